"""Speaker diarization accuracy, speed and memory on ../shared/media/diarization.

- DER per file against the RTTM ground truth over the UEM 0-30 s, without collar and with
  a 0.25 s collar (vidlens.engines.speech.diarization.diarization_error_rate: NIST-style
  missed + false alarm + confusion over reference speech, Hungarian speaker mapping).
- Speakers found vs reference, real-time factor (first file includes loading the encoder,
  reported separately), peak RSS of the process.
- The stereo clip: channel mode and per-channel activity vs the groundtruth JSON hint.

Usage: .venv/bin/python bench/diarization_der.py
Writes bench/results/diarization_der.json and prints a markdown table.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from vidlens.engines.speech.diarization import (
    SpeakerDiarizer,
    diarization_error_rate,
    read_rttm,
)

ROOT = Path(__file__).resolve().parent.parent
MEDIA = ROOT.parent / "shared" / "media" / "diarization"
RESULTS = ROOT / "bench" / "results"
FILES = ["pyannote_sample", "pyannote_tests_dev00", "pyannote_tests_tst00"]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    diarizer = SpeakerDiarizer()
    started = time.perf_counter()
    with diarizer.models.acquire("resemblyzer:0.1.4"):
        pass
    load_seconds = time.perf_counter() - started
    rows: list[dict[str, Any]] = []
    for name in FILES:
        result = diarizer.diarize(MEDIA / f"{name}.wav")
        reference = read_rttm(MEDIA / f"{name}.rttm")
        plain = diarization_error_rate(reference, result.turns, uem=(0.0, 30.0))
        collar = diarization_error_rate(reference, result.turns, uem=(0.0, 30.0), collar=0.25)
        rows.append(
            {
                "file": name,
                "der": plain.der,
                "missed": plain.missed,
                "false_alarm": plain.false_alarm,
                "confusion": plain.confusion,
                "reference_speech": plain.total,
                "der_collar_0.25": collar.der,
                "speakers_found": len(result.speakers),
                "speakers_reference": len({t.speaker for t in reference}),
                "real_time_factor": result.metrics["real_time_factor"],
            }
        )
    stereo = diarizer.diarize(MEDIA / "fasterwhisper_stereo_diarization.wav")
    stereo_row = {
        "mode": stereo.mode,
        "speakers": list(stereo.speakers),
        "turns": [[t.start, t.end, t.speaker] for t in stereo.turns],
        "real_time_factor": stereo.metrics["real_time_factor"],
    }
    total = sum(r["reference_speech"] for r in rows)
    pooled = sum(r["der"] * r["reference_speech"] for r in rows) / total
    output = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "encoder_load_seconds": load_seconds,
        "files": rows,
        "pooled_der": pooled,
        "stereo": stereo_row,
        "peak_rss_mb": peak_rss_mb(),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "diarization_der.json").write_text(json.dumps(output, indent=2) + "\n")
    print(
        "| file | DER | DER (0.25 s collar) | miss / FA / conf (s) | speakers found / ref | RTF |"
    )
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['file']} | {r['der']:.3f} | {r['der_collar_0.25']:.3f} | "
            f"{r['missed']:.2f} / {r['false_alarm']:.2f} / {r['confusion']:.2f} | "
            f"{r['speakers_found']} / {r['speakers_reference']} | {r['real_time_factor']:.3f} |"
        )
    print(
        f"\npooled DER (no collar): {pooled:.3f}; encoder load {load_seconds:.1f} s; "
        f"stereo: {stereo.mode} mode, {len(stereo.speakers)} speakers, "
        f"RTF {stereo_row['real_time_factor']:.3f}; peak RSS {output['peak_rss_mb']:.0f} MB"
    )


if __name__ == "__main__":
    main()
