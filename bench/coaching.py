"""Communication coaching: end-to-end speed and memory, accuracy where truth exists, and
which expression reader is more trustworthy on talking faces.

- **End to end**: a 60 s talking-head video made by concatenating the four single-speaker
  clips of ../shared/media/talking (640x640, 25 fps, AAC), analysed
  (a) through ``POST /api/v1/full-analysis`` on a real app with a process worker (wall time
  from the request to the 200, peak RSS of the server and of the worker process tree),
  (b) in-process with the default settings (speech and face in parallel, 1 speech thread),
  (c) the peer: the same two passes one after the other (the sequential pipeline), and
  (d) in parallel with 2 speech threads. Target: at most 30 s and under 2 GB.
- **Accuracy**: face presence against "one speaker on screen throughout" (truth 1.0), pace
  against words over duration, and an espeak-ng talk whose fillers are known exactly (17 by
  the English rules) against the same text without um/uh (2): counts and clarity.
- **Expression readers** on each talking clip and on the mirrored clip: the blendshape
  heuristic and the packaged 7-class FER model. No emotion truth ships with the media, so
  the bench measures what a trustworthy reader must do on people talking calmly to a camera:
  stay stable (label changes per second), give the same label on the mirrored face, and not
  follow the mouth's articulation (correlation of the non-neutral share with mouth
  openness); plus smiles on stills whose mouthSmile is known.
- ``--long``: also a 30-minute video (the 60 s one looped) through the in-process path.

Usage: .venv/bin/python bench/coaching.py [--long]
Writes bench/results/coaching.json and prints markdown tables.
"""

from __future__ import annotations

import itertools
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MEDIA = ROOT.parent / "shared" / "media" / "talking"
RESULTS = ROOT / "bench" / "results"
STILLS = {
    "facerec_obama.jpg": True,
    "facerec_alex-lacamoire.png": True,
    "facerec_lin-manuel-miranda.png": False,
    "facerec_biden.jpg": False,
}
"""Stills and whether the face smiles (mouthSmile 0.94 / 0.92 / 0.00 / 0.10 measured)."""


def rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def prepare(folder: Path, long: bool) -> None:
    from vidlens.coaching.evaluation import ffmpeg, talking_head_video, video_with_audio
    from vidlens.engines.delivery.evaluation import (
        FILLER_TALK,
        FILLER_TALK_GAPS,
        espeak_available,
        synthesise,
    )

    talking_head_video(MEDIA, folder / "talk60.mp4", seconds=60.0)
    if long:
        listing = folder / "long.txt"
        listing.write_text(f"file '{folder / 'talk60.mp4'}'\n" * 30)
        ffmpeg("-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy",
               str(folder / "talk30min.mp4"))  # fmt: skip
    if espeak_available():
        clean = tuple(re.sub(r"\b(?:um|uh),?\s*", "", s, flags=re.I) for s in FILLER_TALK)
        for name, sentences in (("fillers", FILLER_TALK), ("clean", clean)):
            talk = synthesise(sentences, FILLER_TALK_GAPS, folder / f"{name}.wav")
            video_with_audio(talk.path, folder / f"{name}.mkv")


def _summary(result: Any, seconds: float) -> dict[str, Any]:
    analysis = result.video_analysis
    face = result.engine_analysis["face"] or {}
    return {
        "seconds": seconds,
        "overall_score": analysis["overall_score"],
        "category_scores": analysis["category_scores"],
        "speaking_pace_wpm": analysis["speaking_pace_wpm"],
        "filler_word_count": analysis["filler_word_count"],
        "words": len((result.transcript or "").split()),
        "duration_seconds": analysis["duration_seconds"],
        "face_presence_ratio": face.get("face_presence_ratio"),
        "face_samples": face.get("sample_count"),
        "triage": result.engine_analysis["triage"]["classification"],
        "flags": result.engine_analysis["governance"]["action_flags"],
    }


def run_direct(video: Path, mode: str) -> dict[str, Any]:
    """One analysis in this fresh process: ``parallel`` (default), ``threads2`` or
    ``sequential`` (the peer)."""
    from vidlens.coaching import analysis as pipeline
    from vidlens.coaching.analysis import CoachingEngines, CoachingRequest, analyze_talk
    from vidlens.config import Settings

    settings = Settings(coaching={"speech_threads": 2 if mode == "threads2" else 1})
    if mode == "sequential":
        original = pipeline._both

        def one_after_the_other(first: Any, second: Any, stop: Any) -> Any:
            return first(), second()

        pipeline._both = one_after_the_other  # type: ignore[assignment]  # the bench's peer
    started = time.perf_counter()
    result = analyze_talk(video, CoachingRequest(), settings, CoachingEngines())
    seconds = time.perf_counter() - started
    if mode == "sequential":
        pipeline._both = original  # type: ignore[assignment]
    return {
        **_summary(result, seconds),
        "mode": mode,
        "peak_rss_mb": rss_mb(),
        "peak_rss_children_mb": rss_mb(resource.RUSAGE_CHILDREN),
    }


def run_http(video: Path, folder: Path) -> dict[str, Any]:
    """``POST /api/v1/full-analysis`` on an app with one process worker."""
    from fastapi.testclient import TestClient
    from pydantic import SecretStr

    from vidlens.app import create_app
    from vidlens.config import AuthSettings, JobSettings, Settings

    admin = "bench-admin-" + "a" * 32
    settings = Settings(
        data_dir=folder / "data",
        auth=AuthSettings(secret_key=SecretStr("bench-secret-" + "s" * 32),
                          admin_token=SecretStr(admin)),
        jobs=JobSettings(workers=1, use_processes=True, poll_interval_seconds=0.05),
        coaching={"sync_window_seconds": 300},
    )  # fmt: skip
    headers = {"Authorization": f"Bearer {admin}"}
    with TestClient(create_app(settings)) as client:
        account = client.post("/admin/accounts", json={"name": "bench"}, headers=headers).json()
        key = client.post(f"/admin/accounts/{account['id']}/keys", json={"name": "b"},
                          headers=headers).json()["key"]  # fmt: skip
        client.post(f"/admin/accounts/{account['id']}/credits", json={"amount": 1000},
                    headers=headers)  # fmt: skip
        started = time.perf_counter()
        response = client.post(
            "/api/v1/full-analysis",
            files={"video": ("talk60.mp4", video.read_bytes(), "video/mp4")},
            headers={"Authorization": f"Bearer {key}"},
        )
        seconds = time.perf_counter() - started
        status = response.status_code
    return {
        "status": status,
        "seconds": seconds,
        "peak_rss_server_mb": rss_mb(),
        "peak_rss_worker_tree_mb": rss_mb(resource.RUSAGE_CHILDREN),
    }


def _readers(video: Path, mirrored: bool) -> dict[str, list[Any]]:
    """Per face sample: heuristic label, model label, model non-neutral share, mouth_open."""
    import numpy as np

    from vidlens.coaching.emotion_model import FER_LABELS, EmotionModel
    from vidlens.engines.face.expression import classify_expression
    from vidlens.engines.face.frames import iter_frames, probe_video
    from vidlens.engines.face.landmarker import FaceLandmarker
    from vidlens.engines.face.settings import FaceSettings

    settings = FaceSettings()
    model = EmotionModel()
    rows: dict[str, list[Any]] = {"times": [], "heuristic": [], "model": [], "nonneutral": [],
                                  "mouth": []}  # fmt: skip
    with FaceLandmarker(settings) as landmarker:
        for frame in iter_frames(video, probe_video(video), sample_fps=10, max_side=640):
            rgb = np.ascontiguousarray(frame.rgb[:, ::-1]) if mirrored else frame.rgb
            face = landmarker.detect(rgb, frame.timestamp).primary
            if face is None:
                continue
            label = classify_expression(face.blendshapes, settings.metrics.expression_threshold)
            probabilities = model.classify(rgb, face.bbox)
            rows["times"].append(frame.timestamp)
            rows["heuristic"].append({"surprised": "surprise", "disgusted": "disgust"}.get(
                label[0], label[0]) if label else None)  # fmt: skip
            rows["model"].append(FER_LABELS[int(probabilities.argmax())])
            rows["nonneutral"].append(1.0 - float(probabilities[FER_LABELS.index("neutral")]))
            rows["mouth"].append(face.mouth_open or 0.0)
    return rows


def _stability(labels: list[str], times: list[float]) -> float:
    changes = sum(1 for a, b in itertools.pairwise(labels) if a != b)
    return changes / max(1e-9, times[-1] - times[0])


def emotion_comparison() -> dict[str, Any]:
    import numpy as np

    from vidlens.coaching.evaluation import TALKING_CLIPS

    clips = []
    for clip in TALKING_CLIPS:
        plain, flipped = _readers(MEDIA / clip, False), _readers(MEDIA / clip, True)
        n = min(len(plain["times"]), len(flipped["times"]))
        heuristic_nonneutral = [0.0 if h == "neutral" else 1.0 for h in plain["heuristic"]]
        clips.append({
            "clip": clip,
            "face_samples": len(plain["times"]),
            "heuristic": {
                "neutral_share": plain["heuristic"].count("neutral") / len(plain["heuristic"]),
                "label_changes_per_second": _stability(plain["heuristic"], plain["times"]),
                "mirror_agreement": float(np.mean([plain["heuristic"][i] == flipped["heuristic"][i]
                                                   for i in range(n)])),
                "corr_nonneutral_mouth_open": _corr(heuristic_nonneutral, plain["mouth"]),
            },
            "model": {
                "neutral_share": plain["model"].count("neutral") / len(plain["model"]),
                "label_changes_per_second": _stability(plain["model"], plain["times"]),
                "mirror_agreement": float(np.mean([plain["model"][i] == flipped["model"][i]
                                                   for i in range(n)])),
                "corr_nonneutral_mouth_open": _corr(plain["nonneutral"], plain["mouth"]),
            },
        })  # fmt: skip
    return {"clips": clips, "stills": _stills()}


def _corr(a: list[float], b: list[float]) -> float | None:
    import numpy as np

    if len(a) < 3 or float(np.std(a)) == 0.0 or float(np.std(b)) == 0.0:
        return None
    return float(np.corrcoef(a, b)[0, 1])


def _stills() -> list[dict[str, Any]]:
    import cv2
    import numpy as np

    from vidlens.coaching.emotion_model import FER_LABELS, EmotionModel
    from vidlens.engines.face.engine import FaceAnalyzer
    from vidlens.engines.face.expression import classify_expression

    model, analyzer, rows = EmotionModel(), FaceAnalyzer(), []
    for name, smiling in STILLS.items():
        image = cv2.imread(str(MEDIA / name))
        scale = 640 / max(image.shape[:2])
        rgb = np.ascontiguousarray(
            cv2.cvtColor(cv2.resize(image, None, fx=scale, fy=scale), cv2.COLOR_BGR2RGB)
        )
        face = analyzer.analyze_image(rgb).primary
        if face is None:
            rows.append({"still": name, "found": False})
            continue
        probabilities = model.classify(rgb, face.bbox)
        label = classify_expression(face.blendshapes, 0.4)
        rows.append({
            "still": name, "smiling": smiling, "found": True,
            "heuristic": label[0] if label else None,
            "model": FER_LABELS[int(probabilities.argmax())],
            "model_probability": float(probabilities.max()),
        })  # fmt: skip
    return rows


def fillers(folder: Path) -> dict[str, Any] | None:
    from vidlens.coaching.analysis import CoachingEngines, CoachingRequest, analyze_talk
    from vidlens.config import Settings

    if not (folder / "fillers.mkv").exists():
        return None
    engines, out = CoachingEngines(), {}
    for name, truth in (("fillers", 17), ("clean", 2)):
        result = analyze_talk(folder / f"{name}.mkv", CoachingRequest(), Settings(), engines)
        out[name] = {
            "filler_truth": truth,
            "filler_word_count": result.video_analysis["filler_word_count"],
            "clarity": result.video_analysis["category_scores"]["clarity"],
        }
    return out


def child(args: list[str]) -> dict[str, Any]:
    command = [sys.executable, __file__, *args]
    done = subprocess.run(command, check=True, capture_output=True, text=True, timeout=7200)
    parsed: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return parsed


def main() -> None:
    if len(sys.argv) >= 3 and sys.argv[1] == "--child":
        kind, target = sys.argv[2], Path(sys.argv[3])
        if kind == "http":
            print(json.dumps(run_http(target / "talk60.mp4", target)))
        elif kind == "emotion":
            print(json.dumps(emotion_comparison()))
        elif kind == "fillers":
            print(json.dumps(fillers(target)))
        else:
            video = target / ("talk30min.mp4" if kind == "long" else "talk60.mp4")
            print(json.dumps(run_direct(video, "parallel" if kind == "long" else kind)))
        return
    long = "--long" in sys.argv
    with tempfile.TemporaryDirectory(prefix="vidlens-coaching-bench-") as name:
        folder = Path(name)
        prepare(folder, long)
        load = os.getloadavg()
        output: dict[str, Any] = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                        "load_average_at_start": load},
            "http": child(["--child", "http", name]),
            "parallel": child(["--child", "parallel", name]),
            "sequential": child(["--child", "sequential", name]),
            "threads2": child(["--child", "threads2", name]),
            "fillers": child(["--child", "fillers", name]),
            "emotion": child(["--child", "emotion", name]),
        }  # fmt: skip
        if long:
            output["long"] = child(["--child", "long", name])
        output["machine"]["load_average_at_end"] = os.getloadavg()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "coaching.json").write_text(json.dumps(output, indent=2) + "\n")
    report(output)


def report(output: dict[str, Any]) -> None:
    http = output["http"]
    print(f"HTTP full-analysis, 60 s video: {http['status']} in {http['seconds']:.1f} s; peak RSS "
          f"server {http['peak_rss_server_mb']:.0f} MB, worker tree "
          f"{http['peak_rss_worker_tree_mb']:.0f} MB")  # fmt: skip
    print("\n| run | seconds | real-time factor | peak RSS MB (+ children) | overall | wpm | "
          "face presence |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    for key in ("parallel", "threads2", "sequential", "long"):
        row = output.get(key)
        if row is None:
            continue
        print(f"| {key} | {row['seconds']:.1f} | {row['seconds'] / row['duration_seconds']:.3f} | "
              f"{row['peak_rss_mb']:.0f} (+{row['peak_rss_children_mb']:.0f}) | "
              f"{row['overall_score']} | {row['speaking_pace_wpm']} | "
              f"{row['face_presence_ratio']:.3f} |")  # fmt: skip
    ratio = output["parallel"]["seconds"] / output["sequential"]["seconds"]
    print(f"\nparallel / sequential (peer) time ratio: {ratio:.2f}")
    p = output["parallel"]
    print(f"pace {p['speaking_pace_wpm']} wpm vs words/duration "
          f"{p['words'] / p['duration_seconds'] * 60:.0f}")  # fmt: skip
    if output["fillers"]:
        print(f"fillers: {output['fillers']}")
    print("\n| clip | reader | neutral share | label changes/s | mirror agreement | "
          "corr(non-neutral, mouth open) |")  # fmt: skip
    print("|---|---|---|---|---|---|")
    for clip in output["emotion"]["clips"]:
        for reader in ("heuristic", "model"):
            r = clip[reader]
            corr = "-" if r["corr_nonneutral_mouth_open"] is None else (
                f"{r['corr_nonneutral_mouth_open']:.2f}")  # fmt: skip
            print(f"| {clip['clip']} | {reader} | {r['neutral_share']:.2f} | "
                  f"{r['label_changes_per_second']:.2f} | {r['mirror_agreement']:.2f} | "
                  f"{corr} |")  # fmt: skip
    for still in output["emotion"]["stills"]:
        print(f"still {still}")


if __name__ == "__main__":
    main()
