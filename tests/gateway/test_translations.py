"""``/v1/translations`` through the HTTP app: Apertium on text and documents (.txt, .srt,
.vtt, .html, .docx), language detection, clear errors, and the LibreTranslate adapter
against a small fake server on loopback."""

from __future__ import annotations

import io
import json
import shutil
import threading
import zipfile
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import ClientFactory, make_key
from tests.gateway.conftest import MediaServer
from tests.webhooks.webhook_testing import poll_until
from vidlens.config import EngineSettings, Settings
from vidlens.engines.translation.libretranslate import LibreTranslateSettings

srt = pytest.importorskip("srt", reason="dev dependency srt not installed")
webvtt = pytest.importorskip("webvtt", reason="dev dependency webvtt-py not installed")
docx = pytest.importorskip("docx", reason="python-docx not installed")
SettingsMaker = Callable[..., Settings]
pytestmark = pytest.mark.skipif(shutil.which("apertium") is None, reason="needs apertium")


def _body(source: dict[str, Any], **options: Any) -> dict[str, Any]:
    attributes: dict[str, Any] = {"input": source}
    provider = options.pop("provider", None)
    if provider:
        attributes["provider"] = provider
    if options:
        attributes["options"] = options
    return {"data": {"type": "translation-job", "attributes": attributes}}


def _wait(client: TestClient, headers: dict[str, str], job_id: str) -> dict[str, Any]:
    def probe() -> dict[str, Any]:
        document: dict[str, Any] = client.get(f"/v1/translations/{job_id}", headers=headers).json()
        return document

    done: dict[str, Any] = poll_until(
        probe,
        lambda d: d["data"]["attributes"]["status"] in {"completed", "failed"},
        timeout=60,
        what=f"translation {job_id}",
    )["data"]
    return done


def _run(client: TestClient, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    created = client.post("/v1/translations", json=body, headers=headers)
    assert created.status_code == 202, created.text
    return _wait(client, headers, created.json()["data"]["id"])


@pytest.fixture
def local(
    client_factory: ClientFactory, gateway_settings: SettingsMaker
) -> tuple[TestClient, dict[str, str]]:
    client = client_factory(gateway_settings())
    _, key = make_key(client)
    return client, {"Authorization": f"Bearer {key}"}


def test_text_with_detection_and_errors(local: tuple[TestClient, dict[str, str]]) -> None:
    client, headers = local
    text = "The red car is very fast. My friend lives in a big house."
    done = _run(client, headers, _body({"type": "text", "content": text, "target_language": "es"}))
    result = done["attributes"]["result"]
    assert done["attributes"]["status"] == "completed"
    assert result["source_language"] == "en"
    assert result["detected"] is True
    assert result["target_language"] == "es"
    assert result["character_count"] == len(text)
    assert "coche rojo" in result["content"]
    assert "casa grande" in result["content"]
    only = client.get(f"/v1/translations/{done['id']}/result", headers=headers).json()
    assert only == result

    def error(body: dict[str, Any]) -> dict[str, Any]:
        response = client.post("/v1/translations", json=body, headers=headers)
        assert response.status_code == 422, response.text
        first: dict[str, Any] = response.json()["errors"][0]
        return first

    pair = error(_body({"type": "text", "content": text, "target_language": "de"}))
    assert pair["code"] == "UNSUPPORTED_LANGUAGE_PAIR"
    assert "es" in pair["detail"]  # names what en translates to
    assert "ca" in pair["detail"]
    source = error(
        _body({"type": "text", "content": "Hallo", "target_language": "es"}, source_language="de")
    )
    assert source["code"] == "UNSUPPORTED_LANGUAGE_PAIR"
    formality = error(
        _body({"type": "text", "content": text, "target_language": "es"}, formality="formal")
    )
    assert formality["code"] == "UNSUPPORTED_FEATURE"
    assert formality["source"]["pointer"] == "/data/attributes/options/formality"
    assert "default" in formality["detail"]
    short = error(_body({"type": "text", "content": "Hi", "target_language": "es"}))
    assert short["code"] == "LANGUAGE_NOT_DETECTED"
    assert error(_body({"type": "text", "target_language": "es"}))["source"]["pointer"] == (
        "/data/attributes/input/content"
    )
    bad_tag = error(_body({"type": "text", "content": text, "target_language": "spanish!"}))
    assert bad_tag["source"]["pointer"] == "/data/attributes/input/target_language"
    wrong = error({"data": {"type": "transcription-job", "attributes": {"input": {}}}})
    assert wrong["code"] == "VALIDATION_ERROR"


def _documents() -> dict[str, bytes]:
    document = docx.Document()
    document.add_heading("The red car", level=1)
    paragraph = document.add_paragraph("The ")
    paragraph.add_run("red").bold = True
    paragraph.add_run(" car is fast.")
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = "Good morning"
    packed = io.BytesIO()
    document.save(packed)
    return {
        "a.txt": b"My friend lives in a big house.\n\n\nThe car is red.",
        "a.srt": b"1\n00:00:01,000 --> 00:00:03,500\nMy friend lives\nin a big house.\n\n"
        b"2\n00:00:04,000 --> 00:00:05,250\nGood morning.\n",
        "a.vtt": b"WEBVTT\n\nintro\n00:00:01.000 --> 00:00:03.500 align:start\n"
        b"My friend lives in a big house.\n\n00:00:04.000 --> 00:00:05.250\n<b>Good morning</b>\n",
        "a.html": b'<html><body><h1 class="t">The red car</h1><p>My <a href="/x">friend</a> '
        b"lives in a big house.</p><script>var a = 'the car';</script></body></html>",
        "a.docx": packed.getvalue(),
    }


@pytest.fixture
def documents(media_server: MediaServer) -> dict[str, str]:
    urls = {}
    for name, data in _documents().items():
        (media_server.folder / name).write_bytes(data)
        urls[name] = media_server.url(name)
    return urls


def _fetch(client: TestClient, done: dict[str, Any]) -> bytes:
    url = done["attributes"]["result"]["download_url"]
    path = url.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path)
    assert response.status_code == 200, response.text
    return response.content


def test_documents_keep_timestamps_markup_and_formatting(
    local: tuple[TestClient, dict[str, str]], documents: dict[str, str]
) -> None:
    client, headers = local
    done = {
        name: _run(
            client, headers, _body({"type": "document", "url": url, "target_language": "es"})
        )
        for name, url in documents.items()
    }
    assert all(d["attributes"]["status"] == "completed" for d in done.values()), done
    assert {d["attributes"]["result"]["source_language"] for d in done.values()} == {"en"}
    text = _fetch(client, done["a.txt"]).decode()
    assert text.count("\n\n\n") == 1
    assert "casa grande" in text
    cues = list(srt.parse(_fetch(client, done["a.srt"]).decode()))
    assert [(c.start.total_seconds(), c.end.total_seconds()) for c in cues] == [
        (1.0, 3.5),
        (4.0, 5.25),
    ]
    assert "casa grande" in cues[0].content.replace("\n", " ")
    assert cues[0].content.count("\n") == 1  # two lines stay two lines
    assert "Buenos días" in cues[1].content
    captions = webvtt.from_buffer(io.StringIO(_fetch(client, done["a.vtt"]).decode())).captions
    assert captions[0].identifier == "intro"
    assert (captions[0].start, captions[0].end) == ("00:00:01.000", "00:00:03.500")
    assert "align:start" in str(captions[0].settings)
    assert captions[1].raw_text.startswith("<b>")
    page = _fetch(client, done["a.html"]).decode()
    assert '<h1 class="t">' in page
    assert '<a href="/x">' in page
    assert "coche rojo" in page
    assert "var a = 'the car';" in page  # scripts untouched
    translated = docx.Document(io.BytesIO(_fetch(client, done["a.docx"])))
    heading, body = translated.paragraphs[0], translated.paragraphs[1]
    assert heading.style.name == "Heading 1"
    assert "coche rojo" in heading.text.lower()
    bold = [run.text.strip() for run in body.runs if run.bold]
    assert bold == ["rojo"]  # the bold word kept its bold in its new place
    assert translated.tables[0].cell(0, 0).text == "Buenos días"
    link = done["a.docx"]["attributes"]["result"]["download_url"]
    assert client.get(link.split("signature=")[0] + "signature=forged").status_code == 403


def test_broken_docx_documents_fail_with_unsupported_document(
    local: tuple[TestClient, dict[str, str]], media_server: MediaServer
) -> None:
    client, headers = local
    whole = _documents()["a.docx"]
    content_types = io.BytesIO()
    with zipfile.ZipFile(content_types, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")  # not well-formed XML
    corrupt = bytearray(whole)
    corrupt[len(corrupt) // 3] ^= 0xFF  # a flipped byte inside a compressed part
    broken = {
        "plain.docx": b"My friend lives in a big house.\n",  # text named .docx
        "truncated.docx": whole[: len(whole) // 2],
        "bad-xml.docx": content_types.getvalue(),
        "corrupt.docx": bytes(corrupt),
    }
    for name, data in broken.items():
        (media_server.folder / name).write_bytes(data)
        url = media_server.url(name)
        done = _run(
            client, headers, _body({"type": "document", "url": url, "target_language": "es"})
        )
        attributes = done["attributes"]
        assert attributes["status"] == "failed", (name, attributes)
        assert attributes["error"]["code"] == "UNSUPPORTED_DOCUMENT", (name, attributes["error"])
        assert ".docx" in attributes["error"]["message"], (name, attributes["error"])


@pytest.fixture
def fake_libretranslate() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A LibreTranslate-compatible server: en→fr only, "translates" by upper-casing."""
    calls: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def _send(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._send(200, [{"code": "en", "name": "English", "targets": ["fr"]}])

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["content-length"])))
            calls.append(body)
            texts = body["q"] if isinstance(body["q"], list) else [body["q"]]
            self._send(200, {"translatedText": [f"[fr] {t.upper()}" for t in texts]})

        def log_message(self, format: str, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", calls
    server.shutdown()
    server.server_close()


def test_libretranslate_provider_is_listed_and_chosen(
    client_factory: ClientFactory,
    gateway_settings: SettingsMaker,
    fake_libretranslate: tuple[str, list[dict[str, Any]]],
) -> None:
    url, calls = fake_libretranslate
    engines = EngineSettings(libretranslate=LibreTranslateSettings(url=url))
    client = client_factory(gateway_settings(engines=engines))
    _, key = make_key(client)
    headers = {"X-API-Key": key}
    listed = {p["id"]: p for p in client.get("/v1/providers", headers=headers).json()["data"]}
    assert listed["libretranslate"]["meta"]["translation_pairs"] == {"en": ["fr"]}
    assert listed["libretranslate"]["attributes"]["resources"] == {
        "translations": {"features": ["language_detection"]}
    }
    text = "The red car is very fast. My friend lives in a big house."
    # en->fr: Apertium has no such pair, so the gateway picks the LibreTranslate server.
    done = _run(client, headers, _body({"type": "text", "content": text, "target_language": "fr"}))
    assert done["attributes"]["provider"] == "libretranslate"
    assert done["attributes"]["result"]["content"] == f"[fr] {text.upper()}"
    assert calls[-1]["source"] == "en"
    assert calls[-1]["format"] == "text"
    # en->es goes to the local provider; asking LibreTranslate for it is a clear error.
    local = _run(client, headers, _body({"type": "text", "content": text, "target_language": "es"}))
    assert local["attributes"]["provider"] == "vidlens-local"
    refused = client.post(
        "/v1/translations",
        json=_body(
            {"type": "text", "content": text, "target_language": "es"}, provider="libretranslate"
        ),
        headers=headers,
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["code"] == "UNSUPPORTED_LANGUAGE_PAIR"
    assert "fr" in refused.json()["errors"][0]["detail"]
