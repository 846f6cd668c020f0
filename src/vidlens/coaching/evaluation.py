"""Videos with known content for the coaching tests and ``bench/coaching.py``.

- :func:`talking_head_video`: the talking clips of ``../shared/media/talking`` (one frontal
  speaker each, audio in sync), scaled to one size and concatenated in a loop to a given
  length: a longer talking-head video whose every frame shows a face.
- :func:`video_with_audio`: a WAV (e.g. an espeak-ng talk from
  :func:`vidlens.engines.delivery.evaluation.synthesise`) under a plain black picture: speech
  whose words are known exactly, and no face.
- :func:`silent_black_video`, :func:`one_frame_video`: bad-input cases.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

TALKING_CLIPS: tuple[str, ...] = (
    "videoretalking_face1.mp4",
    "videoretalking_face2.mp4",
    "videoretalking_face3.mp4",
    "sadtalker_WDA_AlexandriaOcasioCortez_000.mp4",
)
"""The single-speaker, face-centred clips (the Hamilton clip has cuts and several people)."""


def ffmpeg(*args: str, timeout: float = 600.0) -> None:
    """Run ffmpeg quietly, overwriting outputs.

    Raises:
        subprocess.CalledProcessError: ffmpeg failed.
    """
    command = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *args]
    subprocess.run(command, check=True, timeout=timeout, capture_output=True)


def talking_head_video(
    folder: Path, target: Path, *, seconds: float = 60.0, side: int = 640
) -> Path:
    """Concatenate :data:`TALKING_CLIPS` from ``folder`` (scaled to ``side`` px square, 25
    fps, 44.1 kHz stereo AAC) and loop them to ``seconds``."""
    inputs: list[str] = []
    chains = []
    for i, clip in enumerate(TALKING_CLIPS):
        inputs += ["-i", str(folder / clip)]
        chains.append(f"[{i}:v]scale={side}:{side},fps=25,setsar=1[v{i}]")
        chains.append(f"[{i}:a]aresample=44100,aformat=channel_layouts=stereo[a{i}]")
    joined = "".join(f"[v{i}][a{i}]" for i in range(len(TALKING_CLIPS)))
    graph = ";".join(chains) + f";{joined}concat=n={len(TALKING_CLIPS)}:v=1:a=1[v][a]"
    with tempfile.TemporaryDirectory(prefix="vidlens-talking-") as tmp:
        round_trip = Path(tmp) / "round.mp4"
        ffmpeg(*inputs, "-filter_complex", graph, "-map", "[v]", "-map", "[a]",
               "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-c:a", "aac",
               "-b:a", "128k", str(round_trip))  # fmt: skip
        listing = Path(tmp) / "list.txt"
        repeats = 1 + int(seconds // 20)
        listing.write_text(f"file '{round_trip}'\n" * repeats)
        ffmpeg("-f", "concat", "-safe", "0", "-i", str(listing), "-t", f"{seconds:g}",
               "-c", "copy", str(target))  # fmt: skip
    return target


def video_with_audio(audio: Path, target: Path, *, size: str = "160x120") -> Path:
    """``audio`` under a black picture at 10 fps, as long as the audio. H.264 with the
    audio kept lossless (PCM) when ``target`` is ``.mkv``, else AAC: with AAC (ffmpeg's
    default 128 kb/s) Whisper base dropped 2 of the 15 "uh"/"um" of the filler talk that it
    kept from the WAV and from PCM in MKV (measured), so the filler tests use MKV."""
    codec = "pcm_s16le" if target.suffix == ".mkv" else "aac"
    ffmpeg("-f", "lavfi", "-i", f"color=c=black:s={size}:r=10", "-i", str(audio), "-shortest",
           "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", codec,
           str(target))  # fmt: skip
    return target


def silent_black_video(target: Path, *, seconds: float = 4.0, size: str = "160x120") -> Path:
    """A black picture with a silent audio track."""
    ffmpeg("-f", "lavfi", "-i", f"color=c=black:s={size}:r=10", "-f", "lavfi",
           "-i", "anullsrc=r=16000:cl=mono", "-t", f"{seconds:g}", "-c:v", "libx264",
           "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", str(target))  # fmt: skip
    return target


def one_frame_video(source: Path, target: Path) -> Path:
    """The first frame of ``source`` as a 1-frame video without audio."""
    ffmpeg("-i", str(source), "-frames:v", "1", "-an", "-c:v", "libx264", "-pix_fmt", "yuv420p",
           str(target))  # fmt: skip
    return target
