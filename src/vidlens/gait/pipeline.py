"""Video in, analysis and pictures out: the steps shared by the job and the CLI.

Progress (fraction of the whole): pose 0-70 %, analysis to 72 %, annotated video to 97 %,
raw data to 100 %. Phases: ``detecting pose``, ``tracking back``, ``analysing``, ``rendering
video``, ``saving``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vidlens.engines.base import ProgressHook, no_progress
from vidlens.engines.pose import MediaPipePoseEngine, PoseSequence, PoseSettings
from vidlens.engines.pose.frames import FrameStore
from vidlens.errors import MediaRejected
from vidlens.gait.analysis import GaitAnalysis, analyze
from vidlens.gait.errors import NoPersonDetected
from vidlens.gait.i18n import text
from vidlens.gait.options import GaitOptions
from vidlens.gait.overlay import Annotations, hud_lines
from vidlens.gait.raw import raw_data
from vidlens.gait.render import Rendered, VideoSettings, render

POSE_SHARE = 0.70
ANALYSIS_DONE = 0.72
VIDEO_DONE = 0.97


@dataclass(frozen=True)
class GaitRun:
    """One analysed video: the pose, the analysis, the pictures and the raw data."""

    sequence: PoseSequence
    analysis: GaitAnalysis
    rendered: Rendered
    raw: dict[str, Any]


def estimate_pose(
    path: Path,
    pose: PoseSettings,
    options: GaitOptions,
    progress: ProgressHook = no_progress,
    frames: FrameStore | None = None,
) -> PoseSequence:
    """The runner's pose sequence (``frames``: filled with the decoded frames, see
    :meth:`MediaPipePoseEngine.estimate`).

    Raises:
        MediaRejected: nobody in the video (code ``no_person_detected``, message in the
            options' language), or no video stream.
        UnsupportedMedia: the video cannot be decoded.
    """

    def hook(fraction: float, phase: str | None) -> None:
        progress(POSE_SHARE * fraction, phase or "detecting pose")

    try:
        return MediaPipePoseEngine(pose).estimate(path, progress=hook, frames=frames)
    except MediaRejected as exc:
        if exc.fields.get("code") == "no_person_detected":
            raise NoPersonDetected(text("error_no_person_detected", options.language)) from exc
        raise


def run(
    path: Path,
    options: GaitOptions,
    *,
    pose: PoseSettings,
    video: VideoSettings,
    folder: Path,
    progress: ProgressHook = no_progress,
) -> GaitRun:
    """Pose, analysis, annotated video and thumbnail (written into ``folder``), raw data.

    The frames decoded for the pose are kept in memory (:class:`FrameStore`, when the clip
    fits its budget and the pose and the video have the same size: both 960 px by default) and
    drawn on for the annotated video, so the clip is decoded only once.

    Raises:
        MediaRejected: nobody in the video (``no_person_detected``) or not one step seen
            (``no_steps``).
        UnsupportedMedia: the video cannot be decoded.
        EngineUnavailable: ffmpeg or the pose model is missing.
    """
    frames = FrameStore(budget_bytes=video.frame_store_bytes)
    try:
        return _run(path, options, pose, video, folder, progress, frames)
    finally:
        frames.clear()


def _run(
    path: Path,
    options: GaitOptions,
    pose: PoseSettings,
    video: VideoSettings,
    folder: Path,
    progress: ProgressHook,
    frames: FrameStore,
) -> GaitRun:
    sequence = estimate_pose(path, pose, options, progress, frames)
    progress(POSE_SHARE, "analysing")
    analysis = analyze(sequence, options)
    progress(ANALYSIS_DONE, "rendering video")
    metrics = analysis.calculated_data["metrics"]
    notes = Annotations(
        seq=analysis.sequence,
        series=analysis.series,
        stances=analysis.stances,
        events=analysis.events,
        hud=hud_lines(
            metrics["step_frequency_steps_per_min"], metrics.get("ground_contact_time_ms")
        ),
        scale=1.0,
    )

    def video_hook(fraction: float, phase: str | None) -> None:
        share = VIDEO_DONE - ANALYSIS_DONE
        progress(ANALYSIS_DONE + share * fraction, phase or "rendering video")

    rendered = render(path, notes, folder, video, progress=video_hook, frames=frames)
    frames.clear()
    progress(VIDEO_DONE, "saving")
    return GaitRun(analysis.sequence, analysis, rendered, raw_data(analysis.sequence))
