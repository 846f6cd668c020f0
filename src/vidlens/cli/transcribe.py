"""``vidlens transcribe``: speech-to-text (and speakers) of a local file, without a server."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from vidlens.cli._common import fail, progress_bar, settings_from
from vidlens.engines.speech.diarization import SpeakerDiarizer
from vidlens.engines.speech.faster_whisper_engine import FasterWhisperEngine
from vidlens.engines.speech.formats import to_json, to_srt, to_text, to_vtt
from vidlens.engines.speech.pipeline import SpeakerTranscript, transcribe_with_speakers
from vidlens.engines.speech.types import TranscribeOptions, Transcript
from vidlens.errors import VidlensError

FORMATS = ("json", "srt", "text", "vtt")


@click.command("transcribe")
@click.argument("media", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--language", default="auto", show_default=True, help="auto, or a code (en, fr).")
@click.option("--audio-track", default=0, show_default=True, type=click.IntRange(min=0),
              help="Audio stream index, counted among audio streams.")  # fmt: skip
@click.option("--diarize", is_flag=True, help="Label speakers (SPEAKER_00, ...).")
@click.option("--speakers", type=click.IntRange(1, 32), default=None,
              help="Number of speakers when known (with --diarize).")  # fmt: skip
@click.option("--no-fillers", is_flag=True, help="Do not prompt the decoder to keep um/uh.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of standard output.")  # fmt: skip
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.pass_context
def transcribe(
    ctx: click.Context,
    media: Path,
    fmt: str,
    language: str,
    audio_track: int,
    diarize: bool,
    speakers: int | None,
    no_fillers: bool,
    output: Path | None,
    quiet: bool,
) -> None:
    """Transcribe MEDIA (any audio or video file ffmpeg reads) on this machine.

    Uses the same engines and settings as the server (VIDLENS_ENGINES__WHISPER__*,
    VIDLENS_ENGINES__DIARIZATION__*). The progress bar goes to standard error.

    Example: vidlens transcribe talk.mp4 --format srt --diarize -o talk.srt
    """
    if speakers is not None and not diarize:
        raise click.UsageError("--speakers needs --diarize")
    engines = settings_from(ctx).engines
    stt = FasterWhisperEngine(engines.whisper)
    diarizer = SpeakerDiarizer(engines.diarization) if diarize else None
    for engine in (stt, diarizer):
        if engine is None:
            continue
        availability = engine.availability()
        if not availability.available:
            hint = f" ({availability.hint})" if availability.hint else ""
            raise click.ClickException(f"{engine.name} cannot run: {availability.reason}{hint}")
    options = TranscribeOptions(
        language=language.lower(),
        audio_track=audio_track,
        word_timestamps=True,
        keep_fillers=False if no_fillers else None,
    )
    try:
        result = _run(stt, diarizer, media, options, speakers, quiet)
    except VidlensError as exc:
        fail(exc)
        return
    finally:
        stt.close()
        if diarizer is not None:
            diarizer.close()
    text = _render(result.transcript, fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    _summary(result, quiet)


def _run(
    stt: FasterWhisperEngine,
    diarizer: SpeakerDiarizer | None,
    media: Path,
    options: TranscribeOptions,
    speakers: int | None,
    quiet: bool,
) -> SpeakerTranscript:
    with progress_bar(label_width=28, quiet=quiet) as hook:
        return transcribe_with_speakers(
            stt,
            media,
            options,
            diarizer=diarizer,
            num_speakers=speakers,
            ffmpeg=stt.settings.ffmpeg,
            progress=hook,
        )


def _render(transcript: Transcript, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(to_json(transcript), ensure_ascii=False, indent=2) + "\n"
    if fmt == "srt":
        return to_srt(transcript)
    if fmt == "vtt":
        return to_vtt(transcript)
    return to_text(transcript)


def _summary(result: SpeakerTranscript, quiet: bool) -> None:
    if quiet:
        return
    transcript = result.transcript
    parts = [
        f"language {transcript.language}"
        + (
            f" ({transcript.language_probability:.2f})"
            if transcript.language_probability is not None
            else ""
        ),
        f"{transcript.duration:.1f} s of audio",
        f"{len(transcript.segments)} segments",
    ]
    if result.diarization is not None:
        parts.append(f"{len(result.diarization.speakers)} speakers ({result.diarization.mode})")
    if transcript.no_speech_reason:
        parts.append(transcript.no_speech_reason)
    print("; ".join(parts), file=sys.stderr)
