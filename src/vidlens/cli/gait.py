"""``vidlens gait``: running-gait analysis of a local video, without a server."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from vidlens.cli._common import fail, progress_bar, settings_from
from vidlens.engines.pose import MediaPipePoseEngine
from vidlens.errors import VidlensError
from vidlens.gait.i18n import LANGUAGES, text
from vidlens.gait.options import GaitOptions, InvalidParameter, height_in_cm
from vidlens.gait.pipeline import GaitRun, run
from vidlens.gait.plot import plot_angles
from vidlens.gait.render import VideoSettings, temporary_folder

_ROWS = (
    ("step_frequency_steps_per_min", "cadence"),
    ("speed_meter_per_second", "speed"),
    ("step_length_meter", "step_length"),
    ("ground_contact_time_ms", "ground_contact_time"),
    ("time_of_flight_ms", "flight_time"),
    ("double_support_ms", "double_support"),
    ("duty_factor", "duty_factor"),
    ("vertical_oscillation_cm", "vertical_oscillation"),
    ("trunk_lean_deg", "trunk_lean"),
)


@click.command("gait")
@click.argument("video", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--view", type=click.Choice(["side", "back"]), default="side", show_default=True,
              help="Where the camera stands.")  # fmt: skip
@click.option("--height", type=float, default=170.0, show_default=True,
              help="Runner height in cm (the picture's scale).")  # fmt: skip
@click.option("--weight", type=float, default=70.0, show_default=True, help="Runner weight, kg.")
@click.option("--pace", default=None, help="Pace MM:SS per km (needed with --treadmill).")
@click.option("--treadmill", is_flag=True, help="The runner is on a treadmill.")
@click.option("--pronation-only", is_flag=True, help="Back view: pronation only.")
@click.option("--language", type=click.Choice(LANGUAGES), default="en", show_default=True,
              help="Language of labels and sentences.")  # fmt: skip
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("."), show_default=True,
              help="Where the annotated video, thumbnail and plot go.")  # fmt: skip
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Also write the full analysis as JSON to this file.")  # fmt: skip
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.pass_context
def gait(
    ctx: click.Context,
    video: Path,
    view: str,
    height: float,
    weight: float,
    pace: str | None,
    treadmill: bool,
    pronation_only: bool,
    language: str,
    output_dir: Path,
    json_out: Path | None,
    quiet: bool,
) -> None:
    """Analyse the running (or walking) in VIDEO on this machine.

    Prints the metrics, and writes VIDEO-stem.gait.mp4 (skeleton, angles, contacts),
    .gait.jpg (thumbnail) and .angles.png (joint angles over time) into --output-dir. Uses
    the server's pose settings (VIDLENS_ENGINES__POSE__*) and gait video settings.

    Example: vidlens gait run.mp4 --view side --height 172
    """
    settings = settings_from(ctx)
    try:
        options = GaitOptions(
            analysis_type="side_view" if view == "side" else "back_view",
            height_cm=height_in_cm(height),
            weight_kg=weight,
            pace=pace,
            language=language,
            treadmill=treadmill,
            full_body=not pronation_only,
        )
    except InvalidParameter as exc:
        raise click.BadParameter(exc.message, param_hint=f"--{exc.fields.get('field')}") from None
    availability = MediaPipePoseEngine(settings.engines.pose).availability()
    if not availability.available:
        raise click.ClickException(
            f"the pose engine cannot run: {availability.reason} ({availability.hint})"
        )
    output_dir.mkdir(parents=True, exist_ok=True)
    gait_video = VideoSettings.of(settings)  # the same frame store budget as the jobs
    with temporary_folder() as temp:
        try:
            done = _run(video, options, settings.engines.pose, gait_video, Path(temp), quiet)
        except VidlensError as exc:
            fail(exc)
            return
        written = _write_outputs(done, video, output_dir, language, json_out)
    _print(done, options, written)


def _run(
    video: Path,
    options: GaitOptions,
    pose: Any,
    gait_video: VideoSettings,
    folder: Path,
    quiet: bool,
) -> GaitRun:
    with progress_bar(label_width=20, quiet=quiet) as hook:
        return run(video, options, pose=pose, video=gait_video, folder=folder, progress=hook)


def _write_outputs(
    done: GaitRun, video: Path, folder: Path, language: str, json_out: Path | None
) -> list[Path]:
    stem = video.stem
    annotated = folder / f"{stem}.gait.mp4"
    thumbnail = folder / f"{stem}.gait.jpg"
    shutil.copyfile(done.rendered.video, annotated)
    shutil.copyfile(done.rendered.thumbnail, thumbnail)
    analysis = done.analysis
    plot = plot_angles(
        done.sequence, analysis.series, analysis.stances, folder / f"{stem}.angles.png", language
    )
    written = [annotated, thumbnail, plot]
    if json_out is not None:
        json_out.write_text(
            json.dumps(analysis.biomechanical_analysis, ensure_ascii=False, indent=2),
            encoding="utf-8",
        )
        written.append(json_out)
    return written


def _print(done: GaitRun, options: GaitOptions, written: list[Path]) -> None:
    analysis = done.analysis.biomechanical_analysis
    lang = options.language
    console = Console()
    if analysis.get("summary"):
        console.print(analysis["summary"])
    table = Table(show_header=False, box=None)
    details = analysis["metrics"]["details"]
    warned = {w["text"] for w in analysis.get("warnings", [])}
    for field, key in _ROWS:
        entry = details.get(field)
        if entry is None:
            continue
        value = entry["value"]
        shown = "—" if value is None else f"{value:g} {entry['unit'] or ''}".rstrip()
        note = entry["reason_text"] or entry.get("note_text") or ""
        if note in warned:
            note = "(!)"  # said once below
        table.add_row(text(key, lang), shown, note)
    score = analysis.get("total_score")
    if score is not None:
        table.add_row(text("total_score", lang), f"{score:.2f}", "")
    console.print(table)
    for warning in analysis.get("warnings", []):
        console.print(f"! {warning['text']}")
    for path in written:
        console.print(f"wrote {path}", style="dim")
