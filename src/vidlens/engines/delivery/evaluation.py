"""Synthetic talks with known truth for the delivery tests and ``bench/delivery.py``.

No shared clip has filler, pause or pitch ground truth, so the tests synthesise speech with
espeak-ng: sentences whose filler words are known exactly, joined by silences of known
length (the truth for long pauses and monologue breaks), at a known pitch setting.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from vidlens.engines.delivery.lexicons import LEXICONS
from vidlens.engines.delivery.phrases import find_phrases
from vidlens.engines.delivery.tokens import tokens_from_text
from vidlens.errors import EngineUnavailable

SAMPLE_RATE = 16_000

FILLER_TALK: tuple[str, ...] = (
    "Um, I think we should, uh, go to the store later. Uh, and then, um, we can buy some "
    "bread and, uh, maybe some milk.",
    "So, um, the main thing is, uh, that the project is late. Um, we need, uh, more people. "
    "And, um, I guess, uh, more time too.",
    "Well, uh, I am not sure. Um, let me check. Uh, yes, um, the meeting is on Tuesday.",
)
"""The sentences of ``vidlens.engines.speech.evaluation.FILLER_SENTENCES``: 15 "um"/"uh",
plus a sentence-initial "So" and "Well," (17 fillers by the English rules), and the hedges
"I think", "maybe", "I guess", "not sure"."""

DISFLUENT_TALK: tuple[str, ...] = (
    "So I, I think the, the results were good. We went, I mean, we drove to the office, "
    "you know, and, like, everyone was there.",
    "Basically, we need more time. I like this kind of work, and what kind of car do you drive?",
)
"""Fillers by the English rules: "So", "I mean", "you know", "like", "Basically" (5; "I
like" and "what kind of" are literal); repetitions "I, I" and "the, the"; one
self-correction ("We went, I mean, we drove")."""

FILLER_TALK_GAPS = (2.5, 1.2)
"""Silences inserted between the sentences of :data:`FILLER_TALK`, in seconds."""


@dataclass(frozen=True, slots=True)
class SyntheticTalk:
    """A synthesised talk and what is known about it."""

    path: Path
    samples: npt.NDArray[np.float32]
    text: str
    word_count: int
    speech_start: float
    """First non-silent sample, in seconds."""
    speech_end: float
    inserted_pauses: tuple[tuple[float, float], ...]
    """The silences put between the sentences, ``(start, end)`` in seconds."""

    @property
    def words_per_minute(self) -> float:
        """Words of the text over the audible span."""
        return self.word_count / ((self.speech_end - self.speech_start) / 60)


def espeak_available() -> bool:
    return shutil.which("espeak-ng") is not None


def expected_phrases(text: str, language: str = "en") -> tuple[list[str], list[str]]:
    """The filler and hedge kinds the rules find in ``text`` (punctuation as written)."""
    lexicon = LEXICONS[language]
    tokens = tokens_from_text(text)
    no_pauses = [False] * len(tokens)
    return (
        [h.kind for h in find_phrases(tokens, lexicon.fillers, no_pauses)],
        [h.kind for h in find_phrases(tokens, lexicon.hedges, no_pauses)],
    )


def synthesise(
    sentences: Sequence[str],
    gaps: Sequence[float],
    target: Path,
    *,
    voice: str = "en-us",
    speed: int = 145,
    pitch: int = 50,
) -> SyntheticTalk:
    """Speak each sentence with espeak-ng, trim its silent edges, join the sentences with
    ``gaps`` seconds of digital silence, and write a 16 kHz mono WAV to ``target``.

    Raises:
        EngineUnavailable: espeak-ng is not installed.
    """
    if not espeak_available():
        raise EngineUnavailable("espeak-ng is not installed", hint="apt-get install espeak-ng")
    if len(gaps) != len(sentences) - 1:
        raise ValueError("one gap between each two sentences")
    pieces: list[npt.NDArray[np.float32]] = []
    pauses: list[tuple[float, float]] = []
    position = 0
    with tempfile.TemporaryDirectory(prefix="vidlens-espeak-") as folder:
        for index, sentence in enumerate(sentences):
            wav = Path(folder) / f"s{index}.wav"
            subprocess.run(
                ["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-w", str(wav),
                 sentence],
                check=True, capture_output=True,
            )  # fmt: skip
            speech = _trim(_read_16k(wav))
            pieces.append(speech)
            position += speech.size
            if index < len(gaps):
                silence = np.zeros(round(gaps[index] * SAMPLE_RATE), dtype=np.float32)
                pauses.append((position / SAMPLE_RATE, (position + silence.size) / SAMPLE_RATE))
                pieces.append(silence)
                position += silence.size
    lead = np.zeros(SAMPLE_RATE // 2, dtype=np.float32)  # 0.5 s before and after
    samples = np.concatenate([lead, *pieces, lead])
    offset = lead.size / SAMPLE_RATE
    _write(target, samples)
    text = " ".join(sentences)
    return SyntheticTalk(
        path=target,
        samples=samples,
        text=text,
        word_count=len(text.split()),
        speech_start=offset,
        speech_end=offset + position / SAMPLE_RATE,
        inserted_pauses=tuple((s + offset, e + offset) for s, e in pauses),
    )


def _read_16k(path: Path) -> npt.NDArray[np.float32]:
    from scipy.signal import resample_poly  # type: ignore[import-untyped]  # no stubs

    with wave.open(str(path), "rb") as reader:
        rate = reader.getframerate()
        data = np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2")
    samples = data.astype(np.float64) / 32768.0
    if rate != SAMPLE_RATE:
        divisor = np.gcd(rate, SAMPLE_RATE)
        samples = resample_poly(samples, SAMPLE_RATE // divisor, rate // divisor)
    result: npt.NDArray[np.float32] = samples.astype(np.float32)
    return result


def _trim(samples: npt.NDArray[np.float32], level: float = 1e-3) -> npt.NDArray[np.float32]:
    loud = np.flatnonzero(np.abs(samples) > level)
    if loud.size == 0:
        return samples[:0]
    return samples[loud[0] : loud[-1] + 1]


def _write(path: Path, samples: npt.NDArray[np.float32]) -> None:
    pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2")
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(SAMPLE_RATE)
        writer.writeframes(pcm.tobytes())
