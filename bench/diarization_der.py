"""Speaker diarization accuracy, speed and memory on ../shared/media/diarization.

- DER per file against the RTTM ground truth over the UEM 0-30 s, without collar and with
  a 0.25 s collar, and pooled over the three files (weighted by reference speech), by our
  scorer (vidlens.engines.speech.diarization.diarization_error_rate: NIST-style missed +
  false alarm + confusion over reference speech, 1 ms sampling, Hungarian speaker mapping)
  and by the standard one, pyannote.metrics' DiarizationErrorRate (collar 0.5 s in its
  convention: 0.25 s on each side of each boundary; overlap scored), side by side.
- Speakers found vs reference, the pipeline used (``mode``), overlapped speech found,
  real-time factor after one warm-up run (model loading and the warm-up run's RTF reported
  separately), peak RSS of the process.
- Variants with the same models: the oracle speaker count (``num_speakers`` = reference),
  the engine without the segmentation model (window clustering only, one speaker per
  instant: the previous default), and a leave-one-out check of ``local_cluster_threshold``
  (chosen on two files over 0.14-0.30, scored on the third).
- The stereo clip: channel mode and per-channel activity vs the groundtruth JSON hint.

Usage: .venv/bin/python bench/diarization_der.py
Writes bench/results/diarization_der.json and prints a markdown table.
"""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import resource
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from vidlens.engines.speech.diarization import (
    ENCODER_ID,
    SpeakerDiarizer,
    SpeakerTurn,
    diarization_error_rate,
    read_rttm,
)
from vidlens.engines.speech.diarization_settings import DiarizationSettings

ROOT = Path(__file__).resolve().parent.parent
MEDIA = ROOT.parent / "shared" / "media" / "diarization"
RESULTS = ROOT / "bench" / "results"
FILES = ["pyannote_sample", "pyannote_tests_dev00", "pyannote_tests_tst00"]
UEM = (0.0, 30.0)
THRESHOLDS = [round(0.14 + 0.02 * i, 2) for i in range(9)]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def pyannote_metrics_available() -> bool:
    try:
        return importlib.util.find_spec("pyannote.metrics") is not None
    except ModuleNotFoundError:
        return False


def pyannote_der(
    reference: list[SpeakerTurn], turns: tuple[SpeakerTurn, ...], collar: float
) -> float | None:
    """DER by pyannote.metrics (``collar`` is its total width), or None when not installed."""
    if not pyannote_metrics_available():
        return None
    from pyannote.core import Annotation, Segment, Timeline
    from pyannote.metrics.diarization import DiarizationErrorRate

    def annotation(items: list[SpeakerTurn] | tuple[SpeakerTurn, ...]) -> Annotation:
        out = Annotation()
        for i, turn in enumerate(items):
            out[Segment(turn.start, turn.end), i] = turn.speaker
        return out

    metric = DiarizationErrorRate(collar=collar, skip_overlap=False)
    uem = Timeline([Segment(*UEM)])
    return float(metric(annotation(reference), annotation(turns), uem=uem))


def overlap_seconds(turns: list[SpeakerTurn] | tuple[SpeakerTurn, ...]) -> Any:
    """Milliseconds of the UEM where two or more of ``turns`` overlap, as a boolean mask."""
    import numpy as np

    heard = np.zeros(int(UEM[1] * 1000), dtype=int)
    for turn in turns:
        heard[int(turn.start * 1000) : int(min(turn.end, UEM[1]) * 1000)] += 1
    return heard >= 2


def pooled(rows: list[dict[str, Any]], key: str, total_key: str) -> float:
    total = sum(r[total_key] for r in rows)
    return sum(r[key] * r[total_key] for r in rows) / total if total else 0.0


def score(
    name: str, reference: list[SpeakerTurn], turns: tuple[SpeakerTurn, ...]
) -> dict[str, Any]:
    plain = diarization_error_rate(reference, turns, uem=UEM)
    collar = diarization_error_rate(reference, turns, uem=UEM, collar=0.25)
    return {
        "file": name,
        "der": plain.der,
        "missed": plain.missed,
        "false_alarm": plain.false_alarm,
        "confusion": plain.confusion,
        "reference_speech": plain.total,
        "der_collar_0.25": collar.der,
        "reference_speech_collar_0.25": collar.total,
        "pyannote_metrics_der": pyannote_der(reference, turns, 0.0),
        "pyannote_metrics_der_collar_0.25": pyannote_der(reference, turns, 0.5),
        "overlap_reference_s": float(overlap_seconds(reference).sum() / 1000),
        "overlap_found_s": float(overlap_seconds(turns).sum() / 1000),
        "overlap_correct_s": float(
            (overlap_seconds(reference) & overlap_seconds(turns)).sum() / 1000
        ),
    }


def run_files(
    diarizer: SpeakerDiarizer,
    references: dict[str, list[SpeakerTurn]],
    *,
    oracle: bool = False,
) -> list[dict[str, Any]]:
    rows = []
    for name in FILES:
        reference = references[name]
        count = len({t.speaker for t in reference}) if oracle else None
        result = diarizer.diarize(MEDIA / f"{name}.wav", num_speakers=count)
        row = score(name, reference, result.turns)
        row["mode"] = result.mode
        row["speakers_found"] = len(result.speakers)
        row["speakers_reference"] = len({t.speaker for t in reference})
        row["real_time_factor"] = result.metrics["real_time_factor"]
        rows.append(row)
    return rows


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "files": rows,
        "pooled_der": pooled(rows, "der", "reference_speech"),
        "pooled_der_collar_0.25": pooled(rows, "der_collar_0.25", "reference_speech_collar_0.25"),
    }


def leave_one_out(
    diarizer: SpeakerDiarizer, references: dict[str, list[SpeakerTurn]]
) -> dict[str, Any]:
    """DER of every file at every ``local_cluster_threshold``, then choose on two files,
    score the third."""
    table: dict[str, dict[float, dict[str, Any]]] = {name: {} for name in FILES}
    for threshold in THRESHOLDS:
        settings = diarizer.settings.model_copy(update={"local_cluster_threshold": threshold})
        variant = SpeakerDiarizer(settings, models=diarizer.models)
        for row in run_files(variant, references):
            table[row["file"]][threshold] = row
    default = diarizer.settings.local_cluster_threshold
    folds = []
    for held in FILES:
        train = [name for name in FILES if name != held]

        def cost(threshold: float, train: list[str] = train) -> float:
            return pooled([table[n][threshold] for n in train], "der", "reference_speech")

        best = min(THRESHOLDS, key=lambda t: (cost(t), abs(t - default)))
        folds.append(
            {
                "held_out": held,
                "chosen_threshold": best,
                "train_pooled_der": cost(best),
                "held_out_der": table[held][best]["der"],
                "held_out_der_at_default": table[held][default]["der"],
            }
        )
    return {
        "thresholds": THRESHOLDS,
        "der": {name: [table[name][t]["der"] for t in THRESHOLDS] for name in FILES},
        "folds": folds,
    }


def main() -> None:
    diarizer = SpeakerDiarizer()
    started = time.perf_counter()
    with diarizer.models.acquire(ENCODER_ID):
        pass
    load_seconds = time.perf_counter() - started
    warm_up = diarizer.diarize(MEDIA / f"{FILES[0]}.wav")  # torch's first calls are slow
    warm_up_rtf = warm_up.metrics["real_time_factor"]
    references = {name: read_rttm(MEDIA / f"{name}.rttm") for name in FILES}
    main_rows = summary(run_files(diarizer, references))
    oracle = summary(run_files(diarizer, references, oracle=True))
    plain = SpeakerDiarizer(DiarizationSettings(segmentation=False), models=diarizer.models)
    without_segmentation = summary(run_files(plain, references))
    stereo = diarizer.diarize(MEDIA / "fasterwhisper_stereo_diarization.wav")
    stereo_row = {
        "mode": stereo.mode,
        "speakers": list(stereo.speakers),
        "turns": [[t.start, t.end, t.speaker] for t in stereo.turns],
        "real_time_factor": stereo.metrics["real_time_factor"],
    }
    peak = peak_rss_mb()  # before the leave-one-out sweep, which only repeats the same runs
    loo = leave_one_out(diarizer, references)
    output = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "scorer": "vidlens diarization_error_rate, cross-checked by pyannote.metrics "
        + ("4.2.0" if pyannote_metrics_available() else "(not installed: no cross-check)"),
        "settings": diarizer.settings.model_dump(),
        "uem": list(UEM),
        "encoder_load_seconds": load_seconds,
        "warm_up_real_time_factor": warm_up_rtf,
        **main_rows,
        "oracle_speaker_count": oracle,
        "without_segmentation": without_segmentation,
        "leave_one_out_threshold": loo,
        "stereo": stereo_row,
        "peak_rss_mb": peak,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "diarization_der.json").write_text(json.dumps(output, indent=2) + "\n")
    print(f"Scorer: {output['scorer']}\n")
    print(
        "| file | DER (ours / pyannote.metrics) | DER 0.25 s collar (ours / pyannote.metrics) "
        "| miss / FA / conf (s) | overlap found / correct / reference (s) | speakers found / ref "
        "| mode | RTF |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in main_rows["files"]:
        print(
            f"| {r['file']} | {r['der']:.3f} / {_fmt(r['pyannote_metrics_der'])} | "
            f"{r['der_collar_0.25']:.3f} / {_fmt(r['pyannote_metrics_der_collar_0.25'])} | "
            f"{r['missed']:.2f} / {r['false_alarm']:.2f} / {r['confusion']:.2f} | "
            f"{r['overlap_found_s']:.2f} / {r['overlap_correct_s']:.2f} / "
            f"{r['overlap_reference_s']:.2f} | "
            f"{r['speakers_found']} / {r['speakers_reference']} | {r['mode']} | "
            f"{r['real_time_factor']:.3f} |"
        )
    print(
        f"| pooled | {main_rows['pooled_der']:.3f} | {main_rows['pooled_der_collar_0.25']:.3f} "
        "| | | | | |"
    )
    for label, block in (
        ("oracle speaker count", oracle),
        ("without the segmentation model", without_segmentation),
    ):
        per_file = ", ".join(f"{r['file']} {r['der']:.3f}" for r in block["files"])
        print(
            f"\n{label}: {per_file}; pooled {block['pooled_der']:.3f} "
            f"(collar {block['pooled_der_collar_0.25']:.3f})"
        )
    print("\nleave-one-out local_cluster_threshold:")
    for fold in loo["folds"]:
        print(
            f"- held out {fold['held_out']}: chosen {fold['chosen_threshold']:.2f} "
            f"(train pooled {fold['train_pooled_der']:.3f}), held-out DER "
            f"{fold['held_out_der']:.3f} (at default {fold['held_out_der_at_default']:.3f})"
        )
    print(
        f"\nencoder load {load_seconds:.1f} s; first (warm-up) run RTF {warm_up_rtf:.3f}; "
        f"stereo: {stereo.mode} mode, "
        f"{len(stereo.speakers)} speakers, RTF {stereo_row['real_time_factor']:.3f}; "
        f"peak RSS {peak:.0f} MB"
    )


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


if __name__ == "__main__":
    main()
