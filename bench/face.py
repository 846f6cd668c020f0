"""Face analysis engine: speed, memory and what accuracy the shared media allows.

- Speed: every talking clip of ../shared/media/talking and a 60 s 1080p talking-head video
  made here (the four talking clips, looped, scaled to 1080 px high and centred on a 1920 px
  black frame, H.264 30 fps: hard cuts between the clips) at the default rate (10
  samples/s) and at 2, 5 and 30 (every frame) samples/s:
  ms per sampled frame (whole pipeline, and the landmarker alone), real-time factor (wall
  time / video duration), landmarker load time.
- Memory: peak RSS of the measuring process (a fresh child, started after the test video
  was encoded) and of its largest ffmpeg decoder.
- Blinks: count at each rate against the count on every frame (no blink ground truth ships
  with the media; every frame is the reference the sparser rates can only miss blinks of).
- Accuracy (the media has no per-frame face boxes): face presence against "one speaker on
  screen throughout" (talking clips: truth 1.0) and "no face" (a generated black clip:
  truth 0.0); yaw and roll sign symmetry on mirrored stills; smile on a smiling vs a
  neutral still; the client path: the 60 s video's own samples sent back as
  ``mediapipeSamples`` (JSON) give the same metrics, and how fast they validate.

Usage: .venv/bin/python bench/face.py
Writes bench/results/face.json and prints markdown tables.
"""

from __future__ import annotations

import json
import math
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from vidlens.engines.face.engine import FaceAnalyzer, face_metrics_from_client
from vidlens.engines.face.samples import BLENDSHAPE_NAMES
from vidlens.engines.face.settings import FaceSettings
from vidlens.engines.face.types import FaceReport, FaceSample

ROOT = Path(__file__).resolve().parent.parent
MEDIA = ROOT.parent / "shared" / "media" / "talking"
RESULTS = ROOT / "bench" / "results"
CLIPS = [
    "videoretalking_face1.mp4",
    "videoretalking_face2.mp4",
    "videoretalking_face3.mp4",
    "sadtalker_WDA_AlexandriaOcasioCortez_000.mp4",
]


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


def ffmpeg(*args: str) -> None:
    command = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *args]
    subprocess.run(command, check=True, timeout=600)


def make_long_video(folder: Path) -> Path:
    """60 s at 1920x1080, 30 fps: the talking clips looped, each scaled and centred."""
    parts = []
    for i, clip in enumerate(CLIPS):
        part = folder / f"part{i}.mp4"
        ffmpeg(
            "-i", str(MEDIA / clip), "-an", "-vf",
            "scale=-2:1080,pad=1920:1080:(ow-iw)/2:0,fps=30,format=yuv420p",
            "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", str(part),
        )  # fmt: skip
        parts.append(part)
    listing = folder / "parts.txt"
    listing.write_text("".join(f"file '{p}'\n" for p in parts) * 3)
    target = folder / "talking_60s_1080p.mp4"
    ffmpeg("-f", "concat", "-safe", "0", "-i", str(listing), "-t", "60", "-c", "copy", str(target))
    return target


def speed_row(name: str, report: FaceReport, truth: float | None) -> dict[str, Any]:
    processing = report.processing
    presence = report.metrics.face_presence_ratio
    return {
        "video": name,
        "size": f"{report.width}x{report.height}",
        "duration": report.duration,
        "sample_fps": report.sample_fps,
        "samples": len(report.samples),
        "ms_per_frame": processing["ms_per_frame"],
        "detect_ms_per_frame": processing["detect_ms_per_frame"],
        "model_load_seconds": processing["model_load_seconds"],
        "processing_seconds": processing["processing_seconds"],
        "real_time_factor": processing["real_time_factor"],
        "face_presence": presence,
        "presence_truth": truth,
        "presence_error": None if truth is None or presence is None else abs(presence - truth),
        "eye_contact_ratio": report.metrics.eye_contact_ratio,
        "smile_ratio": report.metrics.smile_ratio,
        "blinks": report.metrics.blinks.count if report.metrics.blinks else None,
        "blinks_per_minute": report.metrics.blinks.rate_per_minute
        if report.metrics.blinks
        else None,
    }


def still(name: str) -> np.ndarray:
    image = cv2.imread(str(MEDIA / name))
    if image is None:
        raise SystemExit(f"cannot read {MEDIA / name}")
    return np.ascontiguousarray(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))


def stills(analyzer: FaceAnalyzer) -> dict[str, Any]:
    rows = []
    for name in ["facerec_biden.jpg", "facerec_lin-manuel-miranda.png", "facerec_obama.jpg",
                 "facerec_alex-lacamoire.png"]:  # fmt: skip
        image = still(name)
        face = analyzer.analyze_image(image).primary
        mirrored = analyzer.analyze_image(np.ascontiguousarray(image[:, ::-1])).primary
        if face is None or mirrored is None:
            rows.append({"still": name, "found": False})
            continue
        smile = (face.blendshapes["mouthSmileLeft"] + face.blendshapes["mouthSmileRight"]) / 2
        rows.append(
            {
                "still": name,
                "found": True,
                "yaw": face.yaw,
                "yaw_mirrored": mirrored.yaw,
                "yaw_symmetry_error": abs((face.yaw or 0) + (mirrored.yaw or 0)),
                "roll_symmetry_error": abs((face.roll or 0) + (mirrored.roll or 0)),
                "smile": smile,
            }
        )
    return {"rows": rows}


def rotation(yaw: float, pitch: float, roll: float) -> list[float]:
    """Row-major 4x4 Ry(yaw) Rx(-pitch) Rz(roll), 50 units in front of the camera."""
    y, p, r = (math.radians(v) for v in (yaw, -pitch, roll))
    ry = np.array([[math.cos(y), 0, math.sin(y)], [0, 1, 0], [-math.sin(y), 0, math.cos(y)]])
    rx = np.array([[1, 0, 0], [0, math.cos(p), -math.sin(p)], [0, math.sin(p), math.cos(p)]])
    rz = np.array([[math.cos(r), -math.sin(r), 0], [math.sin(r), math.cos(r), 0], [0, 0, 1]])
    matrix = np.eye(4)
    matrix[:3, :3] = ry @ rx @ rz
    matrix[2, 3] = -50.0
    return [float(v) for v in matrix.reshape(-1)]


def client_document(samples: tuple[FaceSample, ...]) -> list[dict[str, Any]]:
    document = []
    for sample in samples:
        entry: dict[str, Any] = {"timestampMs": round(sample.timestamp * 1000, 3)}
        faces = [f for f in sample.faces if f.landmarks is not None]
        entry["faceLandmarks"] = [
            [{"x": x, "y": y, "z": z} for x, y, z in face.landmarks or ()] for face in faces
        ]
        entry["faceBlendshapes"] = [
            {"categories": [{"categoryName": n, "score": face.blendshapes[n]}
                            for n in BLENDSHAPE_NAMES]}
            for face in faces
        ]  # fmt: skip
        entry["facialTransformationMatrixes"] = [
            {"rows": 4, "columns": 4, "data": rotation(f.yaw or 0, f.pitch or 0, f.roll or 0)}
            for f in faces
        ]
        entry["imageWidth"], entry["imageHeight"] = 1920, 1080
        document.append(entry)
    return document


def client_path(video: Path) -> dict[str, Any]:
    analyzer = FaceAnalyzer(FaceSettings(keep_all_landmarks=True))
    report = analyzer.analyze(video)
    text = json.dumps(client_document(report.samples))
    started = time.perf_counter()
    client = face_metrics_from_client(text)
    seconds = time.perf_counter() - started
    ours = report.metrics
    pairs = {
        "face_presence_ratio": (ours.face_presence_ratio, client.face_presence_ratio),
        "eye_contact_ratio": (ours.eye_contact_ratio, client.eye_contact_ratio),
        "smile_ratio": (ours.smile_ratio, client.smile_ratio),
        "blink_count": (
            ours.blinks.count if ours.blinks else None,
            client.blinks.count if client.blinks else None,
        ),
    }
    return {
        "samples": len(report.samples),
        "json_megabytes": len(text) / 1e6,
        "validate_and_measure_seconds": seconds,
        "ms_per_sample": 1000 * seconds / len(report.samples),
        "video_vs_client": {k: {"video": a, "client": b} for k, (a, b) in pairs.items()},
    }


def measure(folder: Path) -> dict[str, Any]:
    """Every measurement, in this (fresh) process, on the videos made in ``folder``."""
    analyzer = FaceAnalyzer()
    long_video, black = folder / "talking_60s_1080p.mp4", folder / "black.mp4"
    clips: list[dict[str, Any]] = []
    for clip in CLIPS:
        clips.append(speed_row(clip, analyzer.analyze(MEDIA / clip), 1.0))
    hamilton = analyzer.analyze(MEDIA / "facerec_short_hamilton_clip.mp4")
    clips.append(speed_row("facerec_short_hamilton_clip.mp4", hamilton, None))
    clips.append(speed_row("black 1280x720, 10 s (generated)", analyzer.analyze(black), 0.0))
    rates = []
    for fps in (2.0, 5.0, 10.0, 30.0):
        report = FaceAnalyzer(FaceSettings(sample_fps=fps)).analyze(long_video)
        rates.append(speed_row(f"talking 60 s 1920x1080 @ {fps:g}/s", report, 1.0))
    return {
        "clips": clips,
        "long_video_rates": rates,
        "stills": stills(analyzer),
        "client_samples": client_path(long_video),
        "peak_rss_mb": peak_rss_mb(),
        "peak_rss_ffmpeg_mb": peak_rss_mb(resource.RUSAGE_CHILDREN),
    }


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        print(json.dumps(measure(Path(sys.argv[2]))))
        return
    with tempfile.TemporaryDirectory(prefix="vidlens-face-bench-") as folder_name:
        folder = Path(folder_name)
        make_long_video(folder)
        ffmpeg("-f", "lavfi", "-i", "color=c=black:s=1280x720:r=30:d=10", "-pix_fmt", "yuv420p",
               str(folder / "black.mp4"))  # fmt: skip
        load_avg = os.getloadavg()
        child = subprocess.run(
            [sys.executable, __file__, "--measure", str(folder)],
            check=True,
            capture_output=True,
            text=True,
        )
    measured: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
    output: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_at_start": load_avg,
        },
        **measured,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "face.json").write_text(json.dumps(output, indent=2) + "\n")
    report(output)


def fmt(value: float | None, spec: str = ".2f") -> str:
    return "-" if value is None else format(value, spec)


def report(output: dict[str, Any]) -> None:
    print("| video | size | samples | ms/frame (all) | ms/frame (landmarker) | model load s | RTF "
          "| presence (truth) | eye contact | smile | blinks (/min) |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in output["clips"] + output["long_video_rates"]:
        truth = "-" if r["presence_truth"] is None else f"{r['presence_truth']:.0f}"
        blinks = "-" if r["blinks"] is None else f"{r['blinks']} ({r['blinks_per_minute']:.0f})"
        print(
            f"| {r['video']} | {r['size']} | {r['samples']} | {r['ms_per_frame']:.1f} | "
            f"{r['detect_ms_per_frame']:.1f} | {r['model_load_seconds']:.2f} | "
            f"{r['real_time_factor']:.3f} | {fmt(r['face_presence'], '.3f')} ({truth}) | "
            f"{fmt(r['eye_contact_ratio'])} | {fmt(r['smile_ratio'])} | {blinks} |"
        )
    print("\n| still | yaw | mirrored yaw | roll symmetry error | smile |")
    print("|---|---|---|---|---|")
    for s in output["stills"]["rows"]:
        if s["found"]:
            print(f"| {s['still']} | {s['yaw']:.1f} | {s['yaw_mirrored']:.1f} | "
                  f"{s['roll_symmetry_error']:.1f} | {s['smile']:.2f} |")  # fmt: skip
    client = output["client_samples"]
    print(
        f"\nclient path: {client['samples']} samples, {client['json_megabytes']:.1f} MB JSON, "
        f"{client['ms_per_sample']:.2f} ms/sample; agreement {client['video_vs_client']}"
    )
    print(
        f"peak RSS {output['peak_rss_mb']:.0f} MB (ffmpeg decoder "
        f"{output['peak_rss_ffmpeg_mb']:.0f} MB); load average at start "
        f"{output['machine']['load_average_at_start']}"
    )


if __name__ == "__main__":
    main()
