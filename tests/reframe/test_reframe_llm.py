"""reframe_llm through an OpenAI-compatible chat endpoint: a fake one on loopback (the
external service is the fake; every vidlens engine is real)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.media.media_testing import LocalServer
from tests.reframe.conftest import Api, make_settings, start_api
from vidlens.config import Settings
from vidlens.gateway.providers import provider_document
from vidlens.reframe.llm import LlmFailed, parse_answer
from vidlens.reframe.settings import ReframePipelineSettings


class ChatServer:
    """Answers every chat completion with ``answer`` (the follow list of face ``face``)."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.face = 1
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                owner.requests.append({"path": self.path, "body": body,
                                       "auth": self.headers.get("Authorization")})  # fmt: skip
                content = json.dumps(
                    {"follow": [{"face_id": owner.face, "start": 0, "end": 60}], "reason": "asked"}
                )
                reply = json.dumps({"choices": [{"message": {"content": content}}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, format: str, *args: object) -> None:
                return None

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"


@pytest.fixture(scope="module")
def chat() -> Iterator[ChatServer]:
    server = ChatServer()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture(scope="module")
def llm_api(
    tmp_path_factory: pytest.TempPathFactory, server: LocalServer, chat: ChatServer
) -> Iterator[Api]:
    from pydantic import SecretStr

    reframe = ReframePipelineSettings(
        llm_url=chat.url, llm_model="tiny", llm_api_key=SecretStr("sk-test"),
        pipeline_transcribe=False,
    )  # fmt: skip
    settings = make_settings(tmp_path_factory.mktemp("llm"), reframe=reframe)
    yield from start_api(settings, server)


@pytest.mark.media
def test_the_instruction_picks_whom_to_follow(
    llm_api: Api, chat: ChatServer, clips: dict[str, Path]
) -> None:
    llm_api.server.files["/llm.mp4"] = clips["sbs"].read_bytes()
    video = llm_api.client.post(
        "/api/v2/reframe", json={"url": llm_api.server.url("/llm.mp4")}, headers=llm_api.headers
    ).json()["video_id"]
    status = llm_api.wait(video)
    assert status["status"] == "completed", status
    faces = llm_api.client.get(
        f"/api/v2/results/{video}/face_tracking_yolov8", headers=llm_api.headers
    ).json()
    left = next(t["face_id"] for t in faces["tracks"] if t["boxes"][0]["box"]["x"] < 0.5)
    chat.face = left  # the listener, whom the speaker-following camera does not show
    response = llm_api.client.post(
        "/api/v2/transform",
        json={"video_id": video, "transform_type": "reframe_llm",
              "parameters": {"instruction": "Follow the person on the left"}},
        headers=llm_api.headers,
    )  # fmt: skip
    assert response.status_code == 202, response.text
    status = llm_api.wait(video)
    assert status["step"] == "reframe_llm"
    assert status["status"] == "completed", status
    result = status["result"]
    assert [s["face_id"] for s in result["crop_path"]["shots"]] == [left]
    assert result["llm"]["follow"][0]["face_id"] == left
    sent = chat.requests[-1]
    assert sent["path"] == "/v1/chat/completions"
    assert sent["auth"] == "Bearer sk-test"
    assert sent["body"]["model"] == "tiny"
    people = json.loads(sent["body"]["messages"][1]["content"])["people"]
    assert {p["face_id"] for p in people} == {t["face_id"] for t in faces["tracks"]}
    assert status["downloads"] == {
        "_reframe": f"/api/v2/download/{video}?suffix=_reframe",
        "_reframe_llm": f"/api/v2/download/{video}?suffix=_reframe_llm",
    }


def test_unreadable_answers_are_refused() -> None:
    def reply(content: str) -> httpx.Response:
        return httpx.Response(200, json={"choices": [{"message": {"content": content}}]})

    directives, reason = parse_answer(
        reply('Sure! {"follow": [{"face_id": 2, "start": 1, "end": 99}], "reason": "r"}'),
        {1, 2},
        30.0,
    )
    assert [(d.face_id, d.start, d.end) for d in directives] == [(2, 1.0, 30.0)]
    assert reason == "r"
    for bad in ("no json here", '{"follow": []}', '{"follow": [{"face_id": 7}]}', '{"x": 1}'):
        with pytest.raises(LlmFailed):
            parse_answer(reply(bad), {1, 2}, 30.0)
    with pytest.raises(LlmFailed, match="not a chat completion"):
        parse_answer(httpx.Response(200, json={"nope": 1}), {1}, 30.0)


def test_providers_list_reframe_llm(tmp_path: Path) -> None:
    without = provider_document(Settings(data_dir=tmp_path))["data"][0]
    missing = {u["feature"] for u in without["meta"]["unavailable"].get("reframe", [])}
    assert "reframe_llm" in missing
    assert "reframe" in without["attributes"]["resources"]["reframe"]["features"]
    configured = Settings(data_dir=tmp_path, reframe=ReframePipelineSettings(llm_url="http://x/v1"))
    features = provider_document(configured)["data"][0]["attributes"]["resources"]["reframe"]
    assert "reframe_llm" in features["features"]
