"""``vidlens reframe``: a local video in, a vertical (or square) video out, no server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from vidlens.cli._common import fail, settings_from
from vidlens.engines.reframe.aspect import parse_aspect
from vidlens.errors import VidlensError
from vidlens.reframe.steps import StepInput, run_step

STEPS = ("scene_detection", "face_tracking_yolov8", "diarization", "active_speaker", "reframe")


@click.command("reframe")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The MP4 to write (H.264 + AAC).")  # fmt: skip
@click.option("--aspect", default="9:16", show_default=True, help="Output aspect ratio W:H.")
@click.option("--mode", type=click.Choice(["auto", "center", "blur_pad"]), default="auto",
              show_default=True,
              help="auto: follow the speaker, blur-pad shots without a face; center: "
              "centre-crop those; blur_pad: never crop.")  # fmt: skip
@click.option("--height", type=click.IntRange(64, 4320), default=None,
              help="Output height in pixels (default: the crop's own height).")  # fmt: skip
@click.option("--no-diarize", is_flag=True, help="Skip speaker diarization (faster).")
@click.option("--crop-path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the camera's crop path (JSON, one entry per frame).")  # fmt: skip
@click.option("--quiet", is_flag=True, help="No progress bars.")
@click.pass_context
def reframe(
    ctx: click.Context,
    source: Path,
    output: Path,
    aspect: str,
    mode: str,
    height: int | None,
    no_diarize: bool,
    crop_path: Path | None,
    quiet: bool,
) -> None:
    """Reframe SOURCE so the person speaking stays in frame, on this machine.

    Runs scene detection, face tracking, diarization, active speaker and the reframe
    transform with the server's engines and settings (VIDLENS_REFRAME__*), one progress
    bar per step on standard error.

    Example: vidlens reframe talk.mp4 -o talk_vertical.mp4 --aspect 9:16
    """
    try:
        parse_aspect(aspect)
    except VidlensError as exc:
        raise click.BadParameter(exc.message, param_hint="--aspect") from None
    settings = settings_from(ctx)
    steps = [s for s in STEPS if not (no_diarize and s == "diarization")]
    parameters: dict[str, Any] = {"aspect_ratio": aspect, "mode": mode, "output_height": height}
    results: dict[str, dict[str, Any]] = {}
    console = Console(stderr=True)
    columns = (
        TextColumn("{task.description:<22}"),
        BarColumn(),
        TextColumn("{task.percentage:>5.1f}%"),
        TimeElapsedColumn(),
        TextColumn("{task.fields[phase]}"),
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    with Progress(*columns, console=console, disable=quiet) as bars:
        tasks = {s: bars.add_task(s, total=1.0, phase="waiting") for s in steps}
        for step in steps:
            try:
                results[step] = _run(bars, tasks[step], step, source, settings, results,
                                     parameters, output)  # fmt: skip
            except VidlensError as exc:
                fail(exc)
    result = results["reframe"]
    if crop_path is not None:
        crop_path.write_text(json.dumps(result["crop_path"], indent=1), encoding="utf-8")
    out = result["output"]
    click.echo(
        f"wrote {output}: {out['width']}x{out['height']}, {out['duration']:.2f} s, "
        f"{len(result['crop_path']['shots'])} camera shots"
        + "".join(f"\nnote: {note}" for note in result["notes"]),
        err=True,
    )


def _run(
    bars: Progress,
    task: TaskID,
    step: str,
    source: Path,
    settings: Any,
    results: dict[str, dict[str, Any]],
    parameters: dict[str, Any],
    output: Path,
) -> dict[str, Any]:
    def hook(fraction: float, phase: str | None) -> None:
        bars.update(task, completed=max(0.0, min(1.0, fraction)), phase=phase or "")

    hook(0.0, "starting")
    outcome = run_step(
        step,
        StepInput(
            source, settings, results, parameters if step == "reframe" else {},
            output if step == "reframe" else None, hook,
        ),
    )  # fmt: skip
    bars.update(task, completed=1.0, phase="done")
    return outcome.result
