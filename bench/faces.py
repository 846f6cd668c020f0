"""Face detectors that run offline here, on the shared media: MediaPipe BlazeFace (short
range, on the frame and square tiles: vidlens' choice), dlib's HOG detector and dlib's CNN
(MMOD) detector from face-recognition-models.

Truth the media allows (no per-frame boxes ship): the talking clips show exactly one face in
every frame; ``facerec_obama_and_biden.jpg`` shows three (the two subjects, and a child
looking down in the lower right corner, checked by eye). On the hamilton clip (performer,
pianist, audience; no per-frame truth) the count of faces found per frame is reported:
every frame of it shows at least one face.

Speed: milliseconds per 640-px frame (wall clock, median over the frames).

Usage: .venv/bin/python bench/faces.py [--frames 12]
Writes bench/results/faces.json.
"""

from __future__ import annotations

import argparse
import atexit
import json
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from vidlens.engines.face.types import BoundingBox
from vidlens.engines.faces.detector import BlazeFaceDetector
from vidlens.engines.faces.models import DLIB_PACKAGE
from vidlens.engines.video.decode import iter_frames, probe

ROOT = Path(__file__).resolve().parent.parent
MEDIA = ROOT.parent / "shared" / "media" / "talking"
RESULTS = ROOT / "bench" / "results"
TALKING = [
    "sadtalker_WDA_AlexandriaOcasioCortez_000.mp4",
    "videoretalking_face1.mp4",
    "videoretalking_face2.mp4",
    "videoretalking_face3.mp4",
]

Detector = Callable[[Any], list[BoundingBox]]


def detectors() -> dict[str, Detector]:
    import importlib.metadata

    import dlib  # type: ignore[import-untyped]

    dist = importlib.metadata.distribution(DLIB_PACKAGE)
    cnn_path = str(dist.locate_file("face_recognition_models/models/mmod_human_face_detector.dat"))
    hog, cnn, blaze = (
        dlib.get_frontal_face_detector(),
        dlib.cnn_face_detection_model_v1(cnn_path),
        BlazeFaceDetector(),
    )
    atexit.register(blaze.close)  # before MediaPipe's own exit handler (last in, first out)

    def boxes(rects: Any, w: int, h: int) -> list[BoundingBox]:
        return [
            BoundingBox(r.left() / w, r.top() / h, r.width() / w, r.height() / h) for r in rects
        ]

    return {
        "blazeface-tiled (vidlens)": lambda rgb: [d.box for d in blaze.detect(rgb)],
        "dlib-hog (upsample 1)": lambda rgb: boxes(hog(rgb, 1), rgb.shape[1], rgb.shape[0]),
        "dlib-cnn-mmod (upsample 0)": lambda rgb: boxes(
            [d.rect for d in cnn(rgb, 0)], rgb.shape[1], rgb.shape[0]
        ),
    }


def frames(path: Path, count: int) -> list[Any]:
    info = probe(path)
    scale = 640 / max(info.width, info.height)
    width, height = round(info.width * scale / 2) * 2, round(info.height * scale / 2) * 2
    rate = count / max(info.duration, 0.1)
    return [
        f.array
        for f in iter_frames(path, width=width, height=height, pix_fmt="rgb24", sample_fps=rate)
        if f.array is not None
    ][:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=12)
    args = parser.parse_args()
    found = detectors()
    report: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "loadavg": Path("/proc/loadavg").read_text().split()[:3],
        "detectors": {},
    }
    clips = {clip: frames(MEDIA / clip, args.frames) for clip in TALKING}
    hamilton = frames(MEDIA / "facerec_short_hamilton_clip.mp4", args.frames * 2)
    still = cv2.cvtColor(cv2.imread(str(MEDIA / "facerec_obama_and_biden.jpg")), cv2.COLOR_BGR2RGB)
    for name, detect in found.items():
        times: list[float] = []
        exact = total = 0
        for images in clips.values():
            for rgb in images:
                started = time.perf_counter()
                count = len(detect(rgb))
                times.append(1000 * (time.perf_counter() - started))
                exact += count == 1
                total += 1
        per_frame = [len(detect(rgb)) for rgb in hamilton]
        pair = len(detect(np.ascontiguousarray(still)))
        report["detectors"][name] = {
            "talking_frames_with_exactly_one_face": f"{exact}/{total}",
            "hamilton_faces_per_frame": per_frame,
            "hamilton_frames_with_a_face": sum(c > 0 for c in per_frame) / len(per_frame),
            "obama_and_biden_faces": pair,
            "ms_per_640px_frame_median": round(statistics.median(times), 1),
        }
        print(name, json.dumps(report["detectors"][name]), flush=True)
    found.clear()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "faces.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
