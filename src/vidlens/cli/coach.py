"""``vidlens coach``: communication coaching of a local video, without a server."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from vidlens.cli._common import fail, progress_bar, settings_from
from vidlens.coaching import intake
from vidlens.coaching.analysis import CoachingEngines, CoachingRequest, analyze_talk
from vidlens.coaching.assemble import CoachingResult
from vidlens.coaching.report_html import render_html
from vidlens.coaching.report_text import render_text
from vidlens.config import Settings
from vidlens.errors import VidlensError
from vidlens.media.limits import check_limits
from vidlens.media.probe import probe_file


@click.command("coach")
@click.argument("video", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--context",
    "context_phrase",
    default=None,
    help='Scenario, e.g. "job interview practice" (default: professional '
    "communication coaching session).",
)
@click.option(
    "--transcript",
    "transcript_file",
    default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A text file with the talk's transcript (used when it matches the audio).",
)
@click.option(
    "--html",
    "html_file",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write a self-contained HTML report (chart and key moments).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON instead.")
@click.option("--no-emotion", is_flag=True, help="Do not infer facial expression or emotion.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.pass_context
def coach(
    ctx: click.Context,
    video: Path,
    context_phrase: str | None,
    transcript_file: Path | None,
    html_file: Path | None,
    as_json: bool,
    no_emotion: bool,
    quiet: bool,
) -> None:
    """Coach the speaker of VIDEO: scores, strengths, what to improve, key moments.

    Uses the same engines and settings as the server (VIDLENS_COACHING__*,
    VIDLENS_ENGINES__WHISPER__*). The progress bar goes to standard error.

    Example: vidlens coach interview.mp4 --context "job interview practice" --html report.html
    """
    os.environ.setdefault("GLOG_minloglevel", "2")  # MediaPipe's native INFO/WARNING lines
    settings = settings_from(ctx)
    if no_emotion:
        coaching = settings.coaching.model_copy(update={"emotion_inference": False})
        settings = settings.model_copy(update={"coaching": coaching})
    transcript = transcript_file.read_text(encoding="utf-8") if transcript_file else None
    engines = CoachingEngines()
    try:
        form = intake.parse_form(
            {
                k: v
                for k, v in (("contextPhrase", context_phrase), ("transcript", transcript))
                if v is not None
            }
        )
        intake.check_engines(settings)
        _check_video(video, settings)
        result = _run(
            video, CoachingRequest(form.context_phrase, form.transcript), settings, engines, quiet
        )
    except VidlensError as exc:
        fail(exc)
        return
    finally:
        engines.close()
    body = result.to_dict()
    if as_json:
        click.echo(json.dumps(body, ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(body), nl=False)
    if html_file is not None:
        html_file.write_text(render_html(body, title=video.name), encoding="utf-8")
        click.echo(f"wrote {html_file}", err=True)


def _check_video(video: Path, settings: Settings) -> None:
    info = probe_file(
        video, ffprobe=settings.media.ffprobe, timeout=settings.media.probe_timeout_seconds
    )
    limits = intake.media_limits(settings.media, settings.coaching, stateless=False)
    check_limits(info, video.stat().st_size, limits)


def _run(
    video: Path, request: CoachingRequest, settings: Settings, engines: CoachingEngines, quiet: bool
) -> CoachingResult:
    with progress_bar(label_width=44, quiet=quiet) as hook:
        return analyze_talk(video, request, settings, engines, hook)
