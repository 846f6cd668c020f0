"""The ``gait.analysis`` job: pose, analysis, annotated video, thumbnail and raw data of one
uploaded video, stored for ``/analysis/{id}/results``.

Internal kind: only ``POST /analysis`` submits it, after charging the credits (the job carries
the charge, which the job engine refunds when it fails). The uploaded video is deleted once the
job has ended for good (success or a domain failure); the annotated video, the thumbnail and
the raw data stay in the media store, under the job's account.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from pathlib import Path
from typing import Any

from vidlens.errors import NotFound, VidlensError
from vidlens.gait.options import GaitOptions
from vidlens.gait.pipeline import GaitRun, run
from vidlens.gait.raw import video_input_information
from vidlens.gait.render import VideoSettings, temporary_folder
from vidlens.jobs.context import JobContext
from vidlens.jobs.handlers import job_handler
from vidlens.media import service as media_service
from vidlens.media.store import LocalMediaStore, MediaStore

KIND = "gait.analysis"
"""Job kind of an analysis (internal: submitted by ``POST /analysis`` only)."""
SIDE_KEYS = (
    "gait_type",
    "metrics",
    "overstride",
    "foot_landing",
    "joint_angles",
    "running_styles",
    "total_score",
    "score_components",
)
BACK_KEYS = ("gait_type", "gait_cycle", "metrics", "total_score", "score_components")


def options_from_params(params: dict[str, Any]) -> GaitOptions:
    """The options a job was submitted with (validated again)."""
    stored = params.get("options", {})
    return GaitOptions(
        analysis_type="back_view" if stored.get("analysis_type") == "back_view" else "side_view",
        height_cm=float(stored.get("height_cm", 170.0)),
        weight_kg=float(stored.get("weight_kg", 70.0)),
        pace=stored.get("pace"),
        language=str(stored.get("language", "en")),
        treadmill=bool(stored.get("treadmill", False)),
        full_body=bool(stored.get("full_body", True)),
    )


def store_file(store: MediaStore, account_id: str, source: Path, suffix: str) -> str:
    """Copy ``source`` into the store under a new key of the account; the key."""
    key = store.new_key(account_id, suffix)
    try:
        with store.open_write(key) as sink, source.open("rb") as handle:
            shutil.copyfileobj(handle, sink, 1024 * 1024)
        store.commit(key)
    except BaseException:
        store.discard(key)
        raise
    return key


def _save(ctx: JobContext, store: MediaStore, done: GaitRun, folder: Path) -> dict[str, Any]:
    raw_path = folder / "raw_data.json"
    raw_path.write_text(json.dumps(done.raw, separators=(",", ":")), encoding="utf-8")
    files = {
        "output_video": store_file(store, ctx.account_id, done.rendered.video, ".mp4"),
        "thumbnail": store_file(store, ctx.account_id, done.rendered.thumbnail, ".jpg"),
        "raw_data": store_file(store, ctx.account_id, raw_path, ".json"),
    }
    analysis = done.analysis
    side = analysis.biomechanical_analysis["analysis_type"] == "side_view"
    return {
        "biomechanical_analysis": analysis.biomechanical_analysis,
        "calculated_keys": list(SIDE_KEYS if side else BACK_KEYS),
        "video_input_information": video_input_information(done.sequence),
        "files": files,
    }


@job_handler(KIND, event_prefix="analysis", timeout_seconds=600)
def analyse(ctx: JobContext) -> dict[str, Any]:
    """Analyse the job's video (``params``: ``media_id``, ``options``).

    Raises:
        MediaRejected: nobody in the video (``no_person_detected``) or no step seen
            (``no_steps``); the message is in the analysis language.
        UnsupportedMedia: the video does not decode.
    """
    settings = ctx.settings
    options = options_from_params(ctx.params)
    media = ctx.media()
    store = LocalMediaStore(settings.media_dir)
    video = VideoSettings.of(settings)

    def progress(fraction: float, phase: str | None) -> None:
        ctx.progress(100.0 * fraction, phase)

    try:
        with temporary_folder() as temp:
            folder = Path(temp)
            done = run(
                ctx.media_path(media.id),
                options,
                pose=settings.engines.pose,
                video=video,
                folder=folder,
                progress=progress,
            )
            result = _save(ctx, store, done, folder)
    except VidlensError:
        _forget(ctx, store, media.id)  # fails for good: the upload is not needed any more
        raise
    _forget(ctx, store, media.id)
    ctx.progress(100.0, "saving")
    return result


def _forget(ctx: JobContext, store: MediaStore, media_id: str) -> None:
    with contextlib.suppress(NotFound):
        media_service.delete_media(
            db=ctx.db, store=store, account_id=ctx.account_id, media_id=media_id
        )
