"""Extracting one audio track as mono 16 kHz samples with an ffmpeg subprocess.

Two ways in: :func:`extract_audio` returns the whole track as one array (short media, the
diarization engine), :func:`extracted_track` keeps the decoded track on disk and hands out
pieces of it (:meth:`ExtractedTrack.read`), so that a long file never sits in memory whole.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from vidlens.engines.errors import AudioUnreadable
from vidlens.errors import EngineUnavailable

if TYPE_CHECKING:  # numpy arrives with faster-whisper; importing this module must not need it
    import numpy as np
    import numpy.typing as npt

SAMPLE_RATE = 16_000
"""Whisper's input rate, in Hz."""

_SAMPLE_BYTES = 2  # 16-bit PCM on disk
_MAX_STDERR = 400


class ExtractedTrack:
    """A decoded audio track kept on disk as raw 16-bit mono samples at :data:`SAMPLE_RATE`.

    Only the pieces asked for are read into memory (float32 in [-1, 1]).
    """

    def __init__(self, path: Path, track: int) -> None:
        self.path = path
        self.track = track
        self.samples = path.stat().st_size // _SAMPLE_BYTES
        """Number of samples in the track."""

    @property
    def duration(self) -> float:
        """Seconds of audio."""
        return self.samples / SAMPLE_RATE

    def read(self, start: int = 0, stop: int | None = None) -> npt.NDArray[np.float32]:
        """Samples ``[start, stop)`` (clipped to the track) as float32 in [-1, 1]."""
        import numpy as np

        stop = self.samples if stop is None else min(stop, self.samples)
        start = max(0, min(start, stop))
        raw = np.fromfile(self.path, dtype="<i2", count=stop - start, offset=start * _SAMPLE_BYTES)
        samples = raw.astype(np.float32)
        samples /= 32768.0  # in place: one float32 copy of the piece, no more
        return samples


@contextmanager
def extracted_track(
    media: Path, *, track: int, ffmpeg: str, timeout_seconds: float
) -> Iterator[ExtractedTrack]:
    """Decode audio track ``track`` (0-based, among audio streams) of ``media`` to mono
    16 kHz 16-bit samples in a temporary file (deleted when the block exits), about 115 MB
    per hour of audio. ffmpeg's own memory stays small and any container it reads is accepted.

    Raises:
        AudioUnreadable: no audio stream at that index, no decodable samples, or ffmpeg
            failed or ran out of time on the file.
        EngineUnavailable: the ffmpeg executable is not found.
    """
    with tempfile.TemporaryDirectory(prefix="vidlens-audio-") as folder:
        raw = Path(folder) / "track.s16le"
        command = [
            ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-i", str(media),
            "-map", f"0:a:{track}", "-vn", "-sn", "-dn", "-ac", "1", "-ar", str(SAMPLE_RATE),
            "-c:a", "pcm_s16le", "-f", "s16le", str(raw),
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
        if done.returncode != 0 or not raw.is_file():
            raise AudioUnreadable(_describe_failure(track, done.stderr), track=track)
        extracted = ExtractedTrack(raw, track)
        if extracted.samples == 0:
            raise AudioUnreadable(f"audio track {track} decodes to no samples", track=track)
        yield extracted


def extract_audio(
    media: Path, *, track: int, ffmpeg: str, timeout_seconds: float
) -> npt.NDArray[np.float32]:
    """Decode audio track ``track`` (0-based, among audio streams) of ``media`` to mono
    16 kHz float32 samples in [-1, 1], the whole track at once (see :func:`extracted_track`
    to read a long track in pieces).

    Raises:
        AudioUnreadable: no audio stream at that index, no decodable samples, or ffmpeg
            failed or ran out of time on the file.
        EngineUnavailable: the ffmpeg executable is not found.
    """
    with extracted_track(
        media, track=track, ffmpeg=ffmpeg, timeout_seconds=timeout_seconds
    ) as extracted:
        return extracted.read()


def _describe_failure(track: int, stderr: bytes) -> str:
    text = stderr.decode("utf-8", "replace").strip()
    if "matches no streams" in text:
        return f"the media has no audio track {track} (tracks are counted from 0)"
    detail = text.splitlines()[-1][:_MAX_STDERR] if text else "no message"
    if "Decoder" in text and "not found" in text:
        return f"audio track {track} could not be decoded: its codec is not supported ({detail})"
    return f"audio track {track} could not be decoded: {detail}"
