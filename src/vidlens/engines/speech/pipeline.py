"""Transcription with speakers: the one routine every surface uses (gateway jobs, the CLI,
later coaching and reframe).

Without diarization it is plain :meth:`SpeechToTextEngine.transcribe`. With it, the diarizer
runs first (it is cheap next to decoding) and decides how to transcribe:

* ``embedding`` mode (one mixed track): transcribe the track once, then give each word the
  speaker whose turn overlaps it most and each segment the speaker of most of its words
  (:func:`vidlens.engines.speech.diarization.assign_speakers`), and cut segments where
  the speaker changes (:func:`split_at_speaker_changes`);
* ``channel`` mode (a stereo track with one speaker per channel, e.g. a phone call or a
  two-microphone interview): transcribe each channel on its own and merge the segments in
  time order. Overlapping speech is kept this way: in a down-mix, Whisper would write only
  the louder of two simultaneous speakers.
"""

from __future__ import annotations

import dataclasses
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from vidlens.engines.base import ProgressHook, no_progress
from vidlens.engines.errors import AudioUnreadable
from vidlens.engines.speech.diarization import (
    Diarization,
    SpeakerDiarizer,
    SpeakerTurn,
    assign_speakers,
    word_speakers,
)
from vidlens.engines.speech.types import (
    Segment,
    SpeechToTextEngine,
    TranscribeOptions,
    Transcript,
    Word,
)
from vidlens.errors import EngineUnavailable

DIARIZATION_SHARE = 0.15
"""Fraction of the progress given to diarization when it runs."""
FLIP_SECONDS = 0.3
"""A lone word shorter than this is not given to another speaker than both neighbours'."""
_NO_SPACES = frozenset({"zh", "ja", "th", "lo", "my", "km", "yue", "bo"})
"""Languages written without spaces between words (Whisper's words are joined as is)."""


@dataclass(frozen=True, slots=True)
class SpeakerTranscript:
    """A transcript and, when diarization ran, the diarization it was labelled with."""

    transcript: Transcript
    diarization: Diarization | None


def transcribe_with_speakers(
    stt: SpeechToTextEngine,
    media: Path,
    options: TranscribeOptions,
    *,
    diarizer: SpeakerDiarizer | None = None,
    num_speakers: int | None = None,
    ffmpeg: str = "ffmpeg",
    timeout_seconds: float = 3600.0,
    progress: ProgressHook | None = None,
) -> SpeakerTranscript:
    """Transcribe ``media``; with a ``diarizer``, label segments and words with speakers.

    Arguments:
        stt: the speech-to-text engine.
        media: any media file ffmpeg reads.
        options: transcription options (``word_timestamps`` is forced on with a diarizer:
            words are what speakers are assigned to).
        diarizer: run speaker diarization too; ``None`` transcribes only.
        num_speakers: the number of speakers when known (embedding mode).
        ffmpeg: ffmpeg executable, to split a stereo track into its channels.
        timeout_seconds: time allowed to split the channels.
        progress: ``(fraction, phase)`` over the whole run.

    Raises:
        Whatever the engines raise (``AudioUnreadable``, ``InvalidInput``,
        ``EngineUnavailable``).
    """
    report = progress or no_progress
    if diarizer is None:
        return SpeakerTranscript(stt.transcribe(media, options, report), None)

    def diarize_hook(fraction: float, phase: str | None) -> None:
        report(DIARIZATION_SHARE * fraction, f"diarization: {phase}" if phase else "diarization")

    diarization = diarizer.diarize(
        media, audio_track=options.audio_track, num_speakers=num_speakers, progress=diarize_hook
    )
    options = dataclasses.replace(options, word_timestamps=True)

    def transcribe_hook(fraction: float, phase: str | None) -> None:
        report(DIARIZATION_SHARE + (1 - DIARIZATION_SHARE) * fraction, phase)

    if diarization.mode == "channel":
        labelled = _transcribe_channels(
            stt, media, options, ffmpeg, timeout_seconds, transcribe_hook
        )
    else:
        transcript = stt.transcribe(media, options, transcribe_hook)
        labelled = split_at_speaker_changes(_label_words(transcript, diarization.turns))
    return SpeakerTranscript(labelled, diarization)


def _label_words(transcript: Transcript, turns: Sequence[SpeakerTurn]) -> Transcript:
    """Each word takes the speaker whose turn overlaps it most (the nearest turn's when none
    does), then :func:`_smooth` removes one-word flips; each segment takes the speaker of
    most of its words' time."""
    segments = []
    for segment in assign_speakers(transcript, turns).segments:
        speakers = _smooth(segment.words, word_speakers(segment.words, turns))
        segments.append(
            dataclasses.replace(
                segment,
                words=tuple(
                    dataclasses.replace(word, speaker=speaker)
                    for word, speaker in zip(segment.words, speakers, strict=True)
                ),
            )
        )
    return dataclasses.replace(transcript, segments=tuple(segments))


def _smooth(words: Sequence[Word], speakers: list[str | None]) -> list[str | None]:
    """A single word shorter than :data:`FLIP_SECONDS` whose two neighbours share another
    speaker takes theirs: turn boundaries from 1.6 s embedding windows are not precise
    enough to give one short word to a different person."""
    smoothed = list(speakers)
    for i in range(1, len(words) - 1):
        before, after = smoothed[i - 1], speakers[i + 1]
        short = words[i].end - words[i].start < FLIP_SECONDS
        if short and before is not None and before == after and smoothed[i] != before:
            smoothed[i] = before
    return smoothed


def split_at_speaker_changes(transcript: Transcript) -> Transcript:
    """Cut each segment where its words change speaker, so that every segment has one
    speaker (its text rebuilt from its words; confidence kept from the decoded segment)."""
    joiner = "" if transcript.language in _NO_SPACES else " "
    segments: list[Segment] = []
    for segment in transcript.segments:
        runs: list[list[Word]] = []
        for word in segment.words:
            if runs and runs[-1][-1].speaker == word.speaker:
                runs[-1].append(word)
            else:
                runs.append([word])
        if len(runs) <= 1:
            speaker = runs[0][0].speaker if runs else segment.speaker
            segments.append(dataclasses.replace(segment, speaker=speaker))
            continue
        segments.extend(
            dataclasses.replace(
                segment,
                start=run[0].start,
                end=run[-1].end,
                text=joiner.join(word.text for word in run).strip(),
                words=tuple(run),
                speaker=run[0].speaker,
            )
            for run in runs
        )
    return dataclasses.replace(transcript, segments=tuple(segments))


def _transcribe_channels(
    stt: SpeechToTextEngine,
    media: Path,
    options: TranscribeOptions,
    ffmpeg: str,
    timeout_seconds: float,
    progress: ProgressHook,
) -> Transcript:
    """One transcript per channel, merged. Channel ``i`` is speaker ``SPEAKER_0i``, the
    diarizer's own labels in channel mode."""
    channel_count = 2
    parts: list[Transcript] = []
    with tempfile.TemporaryDirectory(prefix="vidlens-channels-") as folder:
        for index in range(channel_count):
            wav = Path(folder) / f"channel{index}.wav"
            _extract_channel(media, options.audio_track, index, wav, ffmpeg, timeout_seconds)

            def hook(fraction: float, phase: str | None, index: int = index) -> None:
                progress((index + fraction) / channel_count, phase)

            parts.append(stt.transcribe(wav, dataclasses.replace(options, audio_track=0), hook))
    segments: list[Segment] = []
    for index, part in enumerate(parts):
        speaker = f"SPEAKER_{index:02d}"
        segments.extend(
            dataclasses.replace(
                segment,
                speaker=speaker,
                words=tuple(dataclasses.replace(w, speaker=speaker) for w in segment.words),
            )
            for segment in part.segments
        )
    segments.sort(key=lambda s: (s.start, s.end))
    spoken = [part for part in parts if part.segments] or parts
    main = max(spoken, key=lambda part: part.speech_duration)
    reasons = [part.no_speech_reason for part in parts if part.no_speech_reason]
    return dataclasses.replace(
        main,
        segments=tuple(segments),
        duration=max(part.duration for part in parts),
        speech_duration=min(
            max(part.duration for part in parts), sum(part.speech_duration for part in parts)
        ),
        no_speech_reason=None if segments else (reasons[0] if reasons else None),
        metrics={
            key: sum(part.metrics.get(key, 0.0) for part in parts)
            for key in ("processing_seconds",)
        }
        | {"channels": float(channel_count)},
    )


def _extract_channel(
    media: Path, track: int, channel: int, out: Path, ffmpeg: str, timeout_seconds: float
) -> None:
    """Write channel ``channel`` of audio track ``track`` as a mono 16 kHz WAV."""
    command = [
        ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error", "-i", str(media),
        "-map", f"0:a:{track}", "-vn", "-af", f"pan=mono|c0=c{channel}", "-ar", "16000",
        "-c:a", "pcm_s16le", "-f", "wav", str(out),
    ]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout_seconds, check=False)
    except FileNotFoundError:
        raise EngineUnavailable(
            f"ffmpeg not found ({ffmpeg})", hint="apt-get install ffmpeg"
        ) from None
    except subprocess.TimeoutExpired:
        raise AudioUnreadable(f"splitting audio track {track} into channels timed out") from None
    if done.returncode != 0 or not out.is_file():
        detail = done.stderr.decode(errors="replace").strip()[-300:]
        raise AudioUnreadable(f"could not read channel {channel} of audio track {track}: {detail}")
