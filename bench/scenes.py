"""Shot detection: F1 and speed of vidlens' detector against PySceneDetect, in one run.

Truth (per clip, from ../shared/media/scenes; a boundary is the first frame of a new shot):

- ``pyscenedetect_counter.mp4``: cuts at frames 10 and 20, exact by construction (each frame
  prints its number; the background colour changes at frames #11 and #21, 0-based 10 and 20).
- ``pyscenedetect_fades.mp4``: fades through black with scene starts 84 and 167
  (``scene_starts_threshold_default`` of its groundtruth.json), and no hard cut.
- ``pyscenedetect_testvideo.mp4``: three transitions. The groundtruth.json gives two frames
  for each, one per detector family: the content detector's cut and the threshold
  detector's fade boundary (black → leaf: 30 or 15; leaf → black → deer: 180 or 198; deer →
  black → leaf: 394 or 377). A detection matches a transition when it is within ±1 frame of
  either of its frames; a second detection on the same transition is a false positive. The
  fade-out to black at the end (AdaptiveDetector's 691) has no shot after it and is not a
  boundary.

Scoring: greedy one-to-one matching in frame order within ±1 frame; precision, recall, F1
(F1 = 0 when nothing matches).

vidlens runs with its default (one decoder thread) and, for reference, with two frame
threads. Peers, same process, same files: PySceneDetect 0.7.2 ``ContentDetector()``,
``AdaptiveDetector()`` (both the defaults its tests use) and, for reference,
``ThresholdDetector()``; through ``detect()`` with its OpenCV backend. Speed: decoded frames
per wall-clock second and decoded frames per CPU second (user + system of the whole
process, every decoder thread included: steadier than wall time on the loaded shared
machine, and it charges OpenCV's decoder threads to PySceneDetect), each the median of
``--runs`` runs, or more for short clips (about 2 s per detector, at most 40 runs), with
the detectors interleaved after one warm-up run each, so page cache and imports favour
nobody. PySceneDetect runs as its users run it: ``open_video`` (OpenCV backend, its own
decoder threads) and ``SceneManager`` with its default ``auto_downscale`` (frames shrunk
to about 256 px wide before scoring: factor 5 for 720p, 7.5 for 1080p); vidlens decimates
to about 128 columns.

Usage: .venv/bin/python bench/scenes.py [--runs 5]
Writes bench/results/scenes.json and prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from vidlens.engines.scenes.engine import SceneDetector
from vidlens.engines.scenes.settings import SceneSettings

ROOT = Path(__file__).resolve().parent.parent
MEDIA = ROOT.parent / "shared" / "media" / "scenes"
RESULTS = ROOT / "bench" / "results"
TOLERANCE = 1

TRUTH: dict[str, list[tuple[int, ...]]] = {
    "pyscenedetect_counter.mp4": [(10,), (20,)],
    "pyscenedetect_fades.mp4": [(84,), (167,)],
    "pyscenedetect_testvideo.mp4": [(30, 15), (180, 198), (394, 377)],
}

Detector = Callable[[Path], tuple[list[int], int]]
"""A detector: path → (boundary frames, frames decoded)."""


def vidlens_detector(path: Path, threads: int = 1) -> tuple[list[int], int]:
    result = SceneDetector(SceneSettings(decode_threads=threads)).detect(path)
    return [b.frame for b in result.boundaries], result.frame_count


def pyscenedetect(kind: str) -> Detector:
    def run(path: Path) -> tuple[list[int], int]:
        from scenedetect import (  # type: ignore[import-untyped]  # no stubs
            AdaptiveDetector,
            ContentDetector,
            ThresholdDetector,
            open_video,
        )
        from scenedetect.scene_manager import SceneManager  # type: ignore[import-untyped]

        detector = {
            "ContentDetector": ContentDetector,
            "AdaptiveDetector": AdaptiveDetector,
            "ThresholdDetector": ThresholdDetector,
        }[kind]()
        video = open_video(str(path))
        manager = SceneManager()
        manager.add_detector(detector)
        manager.detect_scenes(video, show_progress=False)
        scenes = manager.get_scene_list()
        return [start.frame_num for start, _ in scenes[1:]], int(video.frame_number)

    return run


DETECTORS: dict[str, Detector] = {
    "vidlens": vidlens_detector,
    "vidlens (2 decoder threads)": lambda path: vidlens_detector(path, threads=2),
    "ContentDetector": pyscenedetect("ContentDetector"),
    "AdaptiveDetector": pyscenedetect("AdaptiveDetector"),
    "ThresholdDetector": pyscenedetect("ThresholdDetector"),
}


def _cpu() -> float:
    """CPU seconds (user + system) of this process, every thread included (high
    resolution: ``os.times`` counts 10 ms ticks, a third of the counter clip's run)."""
    return time.process_time()


def score(found: Sequence[int], truth: Sequence[tuple[int, ...]]) -> dict[str, float]:
    """Precision, recall and F1 with one-to-one matching within :data:`TOLERANCE`."""
    unmatched = list(truth)
    hits = 0
    for frame in sorted(found):
        for transition in unmatched:
            if any(abs(frame - t) <= TOLERANCE for t in transition):
                unmatched.remove(transition)
                hits += 1
                break
    precision = hits / len(found) if found else (1.0 if not truth else 0.0)
    recall = hits / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if hits else (1.0 if not truth else 0.0)
    return {"precision": precision, "recall": recall, "f1": f1}


def measure(runs: int) -> dict[str, Any]:
    clips: dict[str, Any] = {}
    for clip, truth in TRUTH.items():
        path = MEDIA / clip
        speeds: dict[str, list[float]] = {name: [] for name in DETECTORS}
        cpu: dict[str, list[float]] = {name: [] for name in DETECTORS}
        found: dict[str, list[int]] = {}
        slowest = 0.0
        for name, detector in DETECTORS.items():  # warm-up: imports, page cache
            started = time.perf_counter()
            found[name], _ = detector(path)
            slowest = max(slowest, time.perf_counter() - started)
        # Short clips are run more often (each detector for about 2 s in all, at most 40
        # runs), so that one preemption on the loaded machine does not decide the figure.
        for _ in range(max(runs, min(40, math.ceil(2.0 / max(slowest, 1e-3))))):
            for name, detector in DETECTORS.items():
                started, used = time.perf_counter(), _cpu()
                _, frames = detector(path)
                speeds[name].append(frames / (time.perf_counter() - started))
                cpu[name].append(frames / max(1e-9, _cpu() - used))
        rows: dict[str, dict[str, Any]] = {
            name: {
                "boundaries": found[name],
                **score(found[name], truth),
                "frames_per_second": statistics.median(speeds[name]),
                "frames_per_cpu_second": statistics.median(cpu[name]),
                "runs": len(cpu[name]),
            }
            for name in DETECTORS
        }
        peers = [rows["ContentDetector"], rows["AdaptiveDetector"]]
        best_peer_f1 = max(p["f1"] for p in peers)
        fastest_peer = max(p["frames_per_second"] for p in peers)
        cheapest_peer = max(p["frames_per_cpu_second"] for p in peers)
        clips[clip] = {
            "truth": [list(t) for t in truth],
            "detectors": rows,
            "f1_vs_best_peer": rows["vidlens"]["f1"] - best_peer_f1,
            "speed_ratio_vs_fastest_peer": rows["vidlens"]["frames_per_second"] / fastest_peer,
            "cpu_ratio_vs_cheapest_peer": rows["vidlens"]["frames_per_cpu_second"] / cheapest_peer,
        }
    return clips


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    clips = measure(args.runs)
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "loadavg_before": load_before,
            "loadavg_after": Path("/proc/loadavg").read_text().split()[:3],
        },
        "runs": args.runs,
        "tolerance_frames": TOLERANCE,
        "clips": clips,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "scenes.json").write_text(json.dumps(report, indent=2) + "\n")
    print("| clip | detector | boundaries | P | R | F1 | frames/s | frames/CPU s |")
    print("|---|---|---|---|---|---|---|---|")
    for clip, data in clips.items():
        for name, row in data["detectors"].items():
            print(
                f"| {clip} | {name} | {row['boundaries']} | {row['precision']:.2f} | "
                f"{row['recall']:.2f} | {row['f1']:.2f} | {row['frames_per_second']:.0f} | "
                f"{row['frames_per_cpu_second']:.0f} |"
            )
        print(
            f"| {clip} | **vidlens vs best peer** | | | | "
            f"{data['f1_vs_best_peer']:+.2f} | x{data['speed_ratio_vs_fastest_peer']:.2f} | "
            f"x{data['cpu_ratio_vs_cheapest_peer']:.2f} |"
        )
    after = " ".join(report["machine"]["loadavg_after"])
    print(f"loadavg before {' '.join(load_before)}, after {after}")


if __name__ == "__main__":
    main()
