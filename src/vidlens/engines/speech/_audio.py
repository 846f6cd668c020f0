"""Extracting one audio track as mono 16 kHz samples with an ffmpeg subprocess."""

from __future__ import annotations

import subprocess
import tempfile
import wave
from pathlib import Path
from typing import TYPE_CHECKING

from vidlens.engines.errors import AudioUnreadable
from vidlens.errors import EngineUnavailable

if TYPE_CHECKING:  # numpy arrives with faster-whisper; importing this module must not need it
    import numpy as np
    import numpy.typing as npt

SAMPLE_RATE = 16_000
"""Whisper's input rate, in Hz."""

_MAX_STDERR = 400


def extract_audio(
    media: Path, *, track: int, ffmpeg: str, timeout_seconds: float
) -> npt.NDArray[np.float32]:
    """Decode audio track ``track`` (0-based, among audio streams) of ``media`` to mono
    16 kHz float32 samples in [-1, 1].

    The track goes through a temporary 16-bit WAV file (deleted on return) so that ffmpeg's
    memory stays small and any container ffmpeg reads is accepted.

    Raises:
        AudioUnreadable: no audio stream at that index, no decodable samples, or ffmpeg
            failed or ran out of time on the file.
        EngineUnavailable: the ffmpeg executable is not found.
    """
    with tempfile.TemporaryDirectory(prefix="vidlens-audio-") as folder:
        wav = Path(folder) / "track.wav"
        command = [
            ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-i", str(media),
            "-map", f"0:a:{track}", "-vn", "-sn", "-dn", "-ac", "1", "-ar", str(SAMPLE_RATE),
            "-c:a", "pcm_s16le", "-f", "wav", str(wav),
        ]  # fmt: skip
        try:
            done = subprocess.run(
                command, capture_output=True, timeout=timeout_seconds, check=False
            )
        except FileNotFoundError:
            raise EngineUnavailable(
                f"ffmpeg not found ({ffmpeg})", hint="apt-get install ffmpeg"
            ) from None
        except subprocess.TimeoutExpired:
            raise AudioUnreadable(
                f"extracting audio track {track} took longer than {timeout_seconds:g} s"
            ) from None
        if done.returncode != 0 or not wav.is_file():
            raise AudioUnreadable(_describe_failure(track, done.stderr), track=track)
        samples = _read_wav(wav)
    if samples.size == 0:
        raise AudioUnreadable(f"audio track {track} decodes to no samples", track=track)
    return samples


def _describe_failure(track: int, stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace").strip()
    if "matches no streams" in text:
        return f"the media has no audio track {track} (tracks are counted from 0)"
    detail = text.splitlines()[-1][:_MAX_STDERR] if text else "no message"
    return f"audio track {track} could not be decoded: {detail}"


def _read_wav(path: Path) -> npt.NDArray[np.float32]:
    import numpy as np

    with wave.open(str(path), "rb") as reader:
        frames = reader.readframes(reader.getnframes())
    samples = np.frombuffer(frames, dtype="<i2").astype(np.float32)
    samples /= 32768.0  # in place: one float32 copy of the track, no more
    return samples
