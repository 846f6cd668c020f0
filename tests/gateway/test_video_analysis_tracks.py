"""``scenes`` and ``faces`` of ``/v1/video-analyses`` through the HTTP app, the inputs
downloaded from the loopback media server: PySceneDetect's clips against their ground truth,
and clips made here from the face_recognition stills (Obama, Biden, both, Lin-Manuel
Miranda) for tracks and fingerprints."""

from __future__ import annotations

import itertools
import math
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import make_key, media_file
from tests.gateway.conftest import MediaServer
from tests.webhooks.webhook_testing import poll_until
from vidlens.config import Settings
from vidlens.engines.face_id.fingerprint import decode_fingerprint, distance
from vidlens.engines.faces.engine import FaceTracker
from vidlens.engines.faces.settings import FaceTrackingSettings

pytestmark = pytest.mark.media
SHOT = 2.0
"""Seconds each still stays on screen."""
TESTVIDEO_FRAME = 1001 / 30000
"""One frame of pyscenedetect_testvideo.mp4 (29.97 fps)."""


@pytest.fixture(scope="module")
def faces_available() -> None:
    found = FaceTracker(FaceTrackingSettings()).availability()
    if not found.available:
        pytest.skip(f"face tracker unavailable: {found.reason} ({found.hint})")


def _stills(folder: Path, name: str, stills: list[str], size: str) -> None:
    """A clip showing each still for SHOT seconds (cut between them), fitted to ``size``."""
    width, height = size.split("x")
    fit = (
        f"scale={width}:{height}:force_original_aspect_ratio=decrease,"
        f"pad={width}:{height}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=10"
    )
    inputs: list[str] = []
    for still in stills:
        inputs += ["-loop", "1", "-t", str(SHOT), "-i", str(media_file(f"talking/{still}"))]
    graph = ";".join(f"[{i}:v]{fit}[v{i}]" for i in range(len(stills)))
    graph += ";" + "".join(f"[v{i}]" for i in range(len(stills)))
    graph += f"concat=n={len(stills)}:v=1,format=yuv420p[v]"
    subprocess.run(
        [
            "ffmpeg", "-nostdin", "-v", "error", "-y", *inputs, "-filter_complex", graph,
            "-map", "[v]", "-c:v", "libx264", "-preset", "ultrafast", str(folder / name),
        ],
        check=True,
        timeout=120,
    )  # fmt: skip


@pytest.fixture(scope="module")
def served(media_server: MediaServer) -> MediaServer:
    """Adds the scene clips, the hamilton clip and ``people-a.mp4`` (Obama 0-2 s, Biden 2-4 s),
    ``people-b.mp4`` (Obama and Biden together 0-2 s, Lin-Manuel Miranda 2-4 s)."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("needs ffmpeg")
    for name in ("fades", "testvideo", "counter"):
        clip = media_file(f"scenes/pyscenedetect_{name}.mp4")
        shutil.copy(clip, media_server.folder / f"{name}.mp4")
    hamilton = media_file("talking/facerec_short_hamilton_clip.mp4")
    shutil.copy(hamilton, media_server.folder / "hamilton.mp4")
    folder = media_server.folder
    _stills(folder, "people-a.mp4", ["facerec_obama.jpg", "facerec_biden.jpg"], "640x640")
    pair = ["facerec_obama_and_biden.jpg", "facerec_lin-manuel-miranda.png"]
    _stills(folder, "people-b.mp4", pair, "1280x960")
    return media_server


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """The app with one thread worker and a key."""
    from pydantic import SecretStr

    from tests.conftest import ADMIN_TOKEN, SECRET_KEY
    from vidlens.app import create_app
    from vidlens.config import AuthSettings, JobSettings

    settings = Settings(
        data_dir=tmp_path_factory.mktemp("tracks") / "data",
        auth=AuthSettings(secret_key=SecretStr(SECRET_KEY), admin_token=SecretStr(ADMIN_TOKEN)),
        jobs=JobSettings(workers=1, use_processes=False, poll_interval_seconds=0.05),
        url_allowlist="127.0.0.1",
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        _, key = make_key(client)
        yield client, {"Authorization": f"Bearer {key}"}


def _analyse(
    api: tuple[TestClient, dict[str, str]], url: str, features: list[str], **options: Any
) -> dict[str, Any]:
    """Create a job, wait for it; its attributes."""
    client, headers = api
    attributes: dict[str, Any] = {"input": {"url": url, "features": features}}
    if options:
        attributes["options"] = options
    body = {"data": {"type": "video-analysis-job", "attributes": attributes}}
    created = client.post("/v1/video-analyses", json=body, headers=headers)
    assert created.status_code == 202, created.text
    job_id = created.json()["data"]["id"]
    done: dict[str, Any] = poll_until(
        lambda: client.get(f"/v1/video-analyses/{job_id}", headers=headers).json(),
        lambda d: d["data"]["attributes"]["status"] in {"completed", "failed"},
        timeout=180,
        what=f"video analysis {job_id}",
    )["data"]["attributes"]
    return done


def _completed(attributes: dict[str, Any]) -> dict[str, Any]:
    assert attributes["status"] == "completed", attributes.get("error")
    result: dict[str, Any] = attributes["result"]
    return result


def _starts(scenes: list[dict[str, Any]]) -> list[float]:
    assert [s["index"] for s in scenes] == list(range(len(scenes)))
    assert all(set(s) == {"index", "start", "end"} for s in scenes)  # the contract's shape
    for before, after in itertools.pairwise(scenes):
        assert before["end"] == after["start"]  # scenes cover the video
    return [s["start"] for s in scenes]


def test_scenes_match_the_ground_truth(served: MediaServer, api: Any) -> None:
    # fades.mp4 (25 fps): scene starts [0, 84, 167] (PySceneDetect's ThresholdDetector test)
    fades = _completed(_analyse(api, served.url("fades.mp4"), ["scenes"]))
    assert set(fades) == {"video_metadata", "scenes"}
    truth = [0.0, 84 / 25, 167 / 25]
    assert _starts(fades["scenes"]) == pytest.approx(truth, abs=1 / 25 + 1e-3)
    assert fades["scenes"][-1]["end"] == pytest.approx(10.0, abs=1 / 25)
    # testvideo.mp4 (29.97 fps): one boundary per transition, within one frame of the
    # content-cut frames [30, 180, 394] or the fade frames [15, 198, 377]
    video = _completed(_analyse(api, served.url("testvideo.mp4"), ["scenes"]))
    starts = _starts(video["scenes"])
    assert len(starts) == 4
    for start, frames in zip(starts[1:], [(30, 15), (180, 198), (394, 377)], strict=True):
        gap = min(abs(start - f * TESTVIDEO_FRAME) for f in frames)
        assert gap <= TESTVIDEO_FRAME + 1e-3, (start, frames)
    assert video["scenes"][-1]["end"] == pytest.approx(720 * TESTVIDEO_FRAME, abs=0.01)
    # counter.mp4 (10 fps, synthetic): the background changes at frames 10 and 20
    counter = _completed(_analyse(api, served.url("counter.mp4"), ["scenes"]))
    assert _starts(counter["scenes"]) == pytest.approx([0.0, 1.0, 2.0], abs=0.1 + 1e-3)


def _fingerprint(face: dict[str, Any]) -> tuple[float, ...]:
    vector = decode_fingerprint(face["fingerprint"])
    assert len(vector) == 128
    assert math.sqrt(sum(v * v for v in vector)) == pytest.approx(1.0, abs=1e-4)
    return vector


@pytest.mark.usefixtures("faces_available")
def test_fingerprints_tell_people_apart_across_videos(served: MediaServer, api: Any) -> None:
    first = _completed(_analyse(api, served.url("people-a.mp4"), ["faces", "scenes"]))
    second = _completed(_analyse(api, served.url("people-b.mp4"), ["faces"]))
    assert "scenes" not in second  # scenes ran for the tracks but were not asked for
    # people-a: Obama 0-2 s, then Biden 2-4 s; one instance each, cut at the shot change
    obama, biden = first["faces"]
    assert [f["track_id"] for f in first["faces"]] == [1, 2]
    for face, start in ((obama, 0.0), (biden, SHOT)):
        (instance,) = face["instances"]
        assert set(instance) == {"start", "end", "confidence"}
        assert instance["start"] == pytest.approx(start, abs=0.15)
        assert instance["end"] == pytest.approx(start + SHOT, abs=0.15)
        assert 0.5 <= instance["confidence"] <= 1.0
    # people-b: Obama and Biden together 0-2 s, Lin-Manuel Miranda 2-4 s
    assert [f["track_id"] for f in second["faces"]] == [1, 2, 3]
    together = [f for f in second["faces"] if f["instances"][0]["start"] < 1.0]
    (miranda,) = [f for f in second["faces"] if f["instances"][0]["start"] >= 1.0]
    assert len(together) == 2
    known = {"obama": _fingerprint(obama), "biden": _fingerprint(biden)}
    # each person of the first video matches exactly one face of the pair, and every
    # same-person distance is smaller than every different-person one
    pair = [_fingerprint(f) for f in together]
    nearest = {n: min(range(2), key=lambda i: distance(v, pair[i])) for n, v in known.items()}
    assert sorted(nearest.values()) == [0, 1]
    same = [distance(v, pair[nearest[n]]) for n, v in known.items()]
    different = [distance(v, pair[1 - nearest[n]]) for n, v in known.items()]
    different += [distance(v, _fingerprint(miranda)) for v in known.values()]
    assert max(same) < 0.4 < min(different), (same, different)
    # the hamilton clip (a real video with cuts): Lin-Manuel Miranda performs before and
    # after a cutaway; his fingerprint from the still matches that one person only
    hamilton = _completed(_analyse(api, served.url("hamilton.mp4"), ["faces"]))
    gaps = {
        f["track_id"]: distance(_fingerprint(miranda), _fingerprint(f)) for f in hamilton["faces"]
    }
    performer = min(gaps, key=lambda t: gaps[t])
    assert gaps[performer] < 0.4 < min(g for t, g in gaps.items() if t != performer), gaps
    (person,) = [f for f in hamilton["faces"] if f["track_id"] == performer]
    assert len(person["instances"]) >= 2  # re-identified across the cutaway


@pytest.mark.usefixtures("faces_available")
def test_faces_respect_the_threshold_and_empty_or_audio_inputs(
    served: MediaServer, api: Any
) -> None:
    # Obama's track scores about 0.93, Biden's about 0.87: at 0.9 only Obama is left
    strict = _completed(
        _analyse(api, served.url("people-a.mp4"), ["faces"], confidence_threshold=0.9)
    )
    (only,) = strict["faces"]
    assert only["track_id"] == 1
    assert only["instances"][0]["start"] == pytest.approx(0.0, abs=0.15)
    # a video without faces (ffmpeg's test pattern): an empty list, not an error
    empty = _completed(_analyse(api, served.url("silent.mp4"), ["faces", "scenes"]))
    assert empty["faces"] == []
    assert len(empty["scenes"]) == 1
    # audio only: the visual features cannot run
    audio = _analyse(api, served.url("jfk.wav"), ["scenes", "faces"])
    assert audio["status"] == "failed"
    assert audio["error"]["code"] == "VIDEO_UNREADABLE"
    assert "faces, scenes" in audio["error"]["message"]


def test_providers_list_scenes_and_faces(api: Any) -> None:
    client, headers = api
    (provider,) = client.get("/v1/providers", headers=headers).json()["data"]
    offered = provider["attributes"]["resources"]["video-analyses"]["features"]
    assert "scenes" in offered
    faces = FaceTracker(FaceTrackingSettings()).availability()
    assert ("faces" in offered) == faces.available
    assert provider["meta"]["models"]["faces"]["fingerprint"] == "dlib-resnet-v1-128d"


def test_openapi_documents_the_fingerprint_encoding(api: Any) -> None:
    client, _ = api
    document = client.get("/openapi.json").json()
    result = document["paths"]["/v1/video-analyses/{job_id}/result"]["get"]["responses"]["200"]
    schema = result["content"]["application/json"]["schema"]["properties"]
    face = schema["faces"]["anyOf"][0]["items"]["properties"]
    assert "float32" in face["fingerprint"]["description"]
    assert "little-endian" in face["fingerprint"]["description"]
    scene = schema["scenes"]["anyOf"][0]["items"]
    assert set(scene["required"]) == {"index", "start", "end"}


def test_progress_shares_follow_the_phases_that_run() -> None:
    from vidlens.gateway.analysis_job import _shares

    everything = _shares(["speech", "frames", "scenes", "faces"])
    assert everything["speech"][0] == 5.0
    ends = [start + share for start, share in everything.values()]
    assert ends[-1] == pytest.approx(95.0)
    for (start, _), end in zip(list(everything.values())[1:], ends, strict=False):
        assert start == pytest.approx(end)  # one phase after the other, no gap
    assert everything["faces"][1] == pytest.approx(3 * everything["scenes"][1])
    assert _shares(["scenes"]) == {"scenes": (5.0, 90.0)}
    speech_and_frames = _shares(["speech", "frames"])
    assert speech_and_frames == {"speech": (5.0, 45.0), "frames": (50.0, 45.0)}  # as before
