"""OCR engine accuracy against ground truth, speed and memory.

- ICDAR 2015 (../shared/media/ocr/mmocr_icdar2015_det, incidental scene text; ``###`` boxes
  are "do not care"): word-level precision, recall and F1. Predicted lines are split into
  words; a predicted line whose box centre lies inside a ``###`` quad is ignored (the ICDAR
  protocol's don't-care rule); words are compared case-insensitively without punctuation,
  as a multiset per image. Also the end-to-end line protocol: a prediction matches a
  ground-truth entry when their quads overlap by IoU >= 0.5 and the texts are equal
  (case-insensitive, punctuation removed).
- tesseract phototest (clean page): the same word-level F1.
- MMOCR word crops: recognition accuracy (recognition only, exact, case-insensitive).
- Speed: ms per image on each set, and peak RSS of this process.

Usage: .venv/bin/python bench/ocr.py   (writes bench/results/ocr.json)
"""

from __future__ import annotations

import json
import platform
import re
import resource
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from vidlens.engines.ocr.rapid import RapidOcrEngine
from vidlens.engines.ocr.types import TextLine

ROOT = Path(__file__).resolve().parent.parent
MEDIA = ROOT.parent / "shared" / "media" / "ocr"
RESULTS = ROOT / "bench" / "results"


def norm_words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def read(engine: RapidOcrEngine, path: Path) -> tuple[list[TextLine], float]:
    image = cv2.cvtColor(cv2.imread(str(path)), cv2.COLOR_BGR2RGB)
    start = time.perf_counter()
    lines = engine.read(image)
    return lines, time.perf_counter() - start


def f1(tp: int, predicted: int, truth: int) -> dict[str, float]:
    precision = tp / predicted if predicted else 0.0
    recall = tp / truth if truth else 0.0
    score = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(score, 4)}


def quad_iou(a: np.ndarray, b: np.ndarray) -> float:
    a32, b32 = a.astype(np.float32), b.astype(np.float32)
    inter, _ = cv2.intersectConvexConvex(a32, b32)
    union = cv2.contourArea(a32) + cv2.contourArea(b32) - inter
    return float(inter / union) if union > 0 else 0.0


def icdar() -> dict[str, Any]:
    engine = RapidOcrEngine()
    engine.read(np.zeros((32, 32, 3), np.uint8))  # load the models outside the timing
    tp = predicted = truth = 0
    e2e_tp = e2e_pred = e2e_truth = 0
    seconds: list[float] = []
    images = []
    for path in sorted((MEDIA / "mmocr_icdar2015_det").glob("img_*.jpg")):
        gt_lines = (path.parent / f"gt_{path.stem}.txt").read_text("utf-8-sig").splitlines()
        care, dont = [], []
        for line in gt_lines:
            parts = line.strip().split(",", 8)
            if len(parts) < 9:
                continue
            quad = np.array([float(v) for v in parts[:8]]).reshape(4, 2)
            (dont if parts[8] == "###" else care).append((quad, parts[8]))
        lines, took = read(engine, path)
        seconds.append(took)
        kept = []
        for line in lines:
            quad = np.array(line.quad)
            centre = tuple(float(v) for v in quad.mean(axis=0))
            if any(cv2.pointPolygonTest(d.astype(np.float32), centre, False) >= 0 for d, _ in dont):
                continue
            kept.append((quad, line.text))
        pred_words = Counter(w for _, text in kept for w in norm_words(text))
        gt_words = Counter(w for _, text in care for w in norm_words(text))
        matched = sum((pred_words & gt_words).values())
        tp, predicted, truth = (
            tp + matched,
            predicted + sum(pred_words.values()),
            truth + sum(gt_words.values()),
        )
        used: set[int] = set()
        for quad, text in kept:
            for i, (gquad, gtext) in enumerate(care):
                if i in used:
                    continue
                if quad_iou(quad, gquad) >= 0.5 and norm_words(text) == norm_words(gtext):
                    used.add(i)
                    e2e_tp += 1
                    break
        e2e_pred, e2e_truth = e2e_pred + len(kept), e2e_truth + len(care)
        images.append(
            {
                "image": path.name,
                "predicted": [text for _, text in kept],
                "truth": [text for _, text in care],
                "matched_words": matched,
            }
        )
    return {
        "images": len(seconds),
        "word_level": f1(tp, predicted, truth),
        "words": {"matched": tp, "predicted": predicted, "truth": truth},
        "end_to_end_lines_iou50": f1(e2e_tp, e2e_pred, e2e_truth),
        "ms_per_image": round(1000 * sum(seconds) / len(seconds), 1),
        "per_image": images,
    }


def phototest() -> dict[str, Any]:
    engine = RapidOcrEngine()
    lines, took = read(engine, MEDIA / "tesseract_phototest.png")
    lines, took = read(engine, MEDIA / "tesseract_phototest.png")  # warm
    pred = Counter(w for line in lines for w in norm_words(line.text))
    gt = Counter(norm_words((MEDIA / "tesseract_phototest.txt").read_text()))
    return {
        "word_level": f1(sum((pred & gt).values()), sum(pred.values()), sum(gt.values())),
        "ms_per_image": round(1000 * took, 1),
    }


def crops() -> dict[str, Any]:
    engine = RapidOcrEngine()
    labels = json.loads((MEDIA / "mmocr_word_crops" / "labels.json").read_text())["data_list"]
    right, seconds, misses = 0, [], []
    for entry in labels:
        path = MEDIA / "mmocr_word_crops" / entry["img_path"]
        image = cv2.cvtColor(cv2.imread(str(path)), cv2.COLOR_BGR2RGB)
        start = time.perf_counter()
        line = engine.recognize(image)  # crops are single words: recognition only
        seconds.append(time.perf_counter() - start)
        got = line.text if line is not None else ""
        want = entry["instances"][0]["text"]
        if got.strip().lower() == want.lower():
            right += 1
        else:
            misses.append({"truth": want, "read": got})
    return {
        "accuracy": round(right / len(labels), 4),
        "correct": right,
        "crops": len(labels),
        "misses": misses,
        "ms_per_crop": round(1000 * sum(seconds) / len(seconds), 1),
    }


def main() -> None:
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {len(__import__('os').sched_getaffinity(0))} cores",
        "loadavg": Path("/proc/loadavg").read_text().strip(),
        "engine": "rapidocr 3.10.0, PP-OCRv6 small det/rec, onnxruntime, 2 threads",
        "icdar2015": icdar(),
        "phototest": phototest(),
        "word_crops": crops(),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "ocr.json").write_text(json.dumps(report, indent=2))
    summary = {k: v for k, v in report.items() if k != "icdar2015"}
    summary["icdar2015"] = {k: v for k, v in report["icdar2015"].items() if k != "per_image"}
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
