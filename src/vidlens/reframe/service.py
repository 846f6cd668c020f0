"""Videos and steps of the reframe pipeline: creation, prerequisites, status, results,
downloads and their credit charge. Repository functions take keyword arguments; every
lookup is scoped to the caller's account (a foreign video answers 404 like a missing one).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from vidlens.accounts import credits
from vidlens.config import Settings
from vidlens.errors import Conflict, InvalidInput, NotFound
from vidlens.jobs.queue import JobQueue
from vidlens.media.limits import MediaLimits
from vidlens.reframe.steps import INGEST, OPTIONAL_INPUTS, PREREQUISITES, STEPS, SUFFIXES
from vidlens.storage.db import Database
from vidlens.storage.tables import Job, Media, ReframeStep, ReframeVideo, utcnow

STEP_KIND = "reframe.step"
INGEST_KIND = "reframe.ingest"
PIPELINE_KIND = "reframe.pipeline"


def media_limits(settings: Settings) -> MediaLimits:
    """What ``/api/v2`` accepts: video required, the pipeline's duration limit."""
    return MediaLimits.from_settings(
        settings.media,
        require_video=True,
        max_duration_seconds=settings.reframe.max_duration_seconds,
    )


def result_path(settings: Settings, video_id: str, step: str) -> Path:
    """Where a step's result JSON is kept on the volume."""
    return settings.media_dir / "reframe" / video_id / f"{step}.json"


def output_key(video_id: str, step: str) -> str:
    """The media-store key of a transform's output video."""
    return f"reframe/{video_id}/{step}.mp4"


def create_video(*, session: Session, account_id: str, source_url: str | None) -> ReframeVideo:
    video = ReframeVideo(account_id=account_id, source_url=source_url)
    session.add(video)
    session.flush()
    return video


def get_video(*, session: Session, account_id: str, video_id: str) -> ReframeVideo:
    """Raises: NotFound (also for another account's video)."""
    video = session.get(ReframeVideo, video_id)
    if video is None or video.account_id != account_id:
        raise NotFound(f"Video {video_id!r} not found.", video_id=video_id)
    return video


def get_steps(*, session: Session, video_id: str) -> dict[str, ReframeStep]:
    rows = session.scalars(select(ReframeStep).where(ReframeStep.video_id == video_id))
    return {row.step: row for row in rows}


@dataclass(frozen=True)
class StepState:
    """A step as clients see it."""

    step: str
    status: str
    progress: float
    phase: str | None
    error: dict[str, Any] | None
    job_id: str | None
    created_at: datetime | None
    completed_at: datetime | None
    own_error: bool = False
    """The step itself failed (not the job around it, in the one-call pipeline)."""


def step_state(row: ReframeStep, job: Job | None) -> StepState:
    """Completed once its result is stored; otherwise the state of its job (for the
    one-call pipeline's shared job: ``processing`` only while the job's phase is this
    step, ``pending`` before it)."""
    if row.error is not None and (job is None or job.status not in ("pending", "processing")):
        return StepState(
            row.step,
            "failed",
            0.0,
            None,
            row.error,
            row.job_id,
            row.created_at,
            None,
            own_error=True,
        )
    if row.result is not None:
        return StepState(
            row.step, "completed", 100.0, None, None, row.job_id, row.created_at, row.completed_at
        )
    if job is None:
        return StepState(row.step, "pending", 0.0, None, None, row.job_id, row.created_at, None)
    status, progress, phase = job.status, job.progress, job.phase
    if job.kind == PIPELINE_KIND and status == "processing":
        current = (phase or "").split(":")[0].split("+")
        status = "processing" if row.step in current else "pending"
        progress = job.progress if status == "processing" else 0.0
    if status == "completed":  # a pipeline that ended without this step's result
        status = "failed"
    error = None
    if status in ("failed", "cancelled"):
        error = {"code": job.error_code, "message": job.error_message}
    return StepState(row.step, status, progress, phase, error, row.job_id, row.created_at, None)


def states(*, session: Session, video_id: str) -> dict[str, StepState]:
    rows = get_steps(session=session, video_id=video_id)
    job_ids = [r.job_id for r in rows.values() if r.job_id]
    jobs = (
        {j.id: j for j in session.scalars(select(Job).where(Job.id.in_(job_ids)))}
        if job_ids
        else {}
    )
    return {name: step_state(row, jobs.get(row.job_id or "")) for name, row in rows.items()}


def check_prerequisites(step: str, known: dict[str, StepState]) -> None:
    """Raises Conflict (409) naming the first prerequisite that has not completed."""
    for needed in PREREQUISITES.get(step, ()):
        state = known.get(needed)
        if state is None or state.status != "completed":
            where = (
                "POST /api/v2/ingest"
                if needed == INGEST
                else f"POST /api/v2/analyze with model_type {needed!r}"
            )
            found = "has not been run" if state is None else f"is {state.status}"
            raise Conflict(
                f"{step} needs {needed} to be completed first; {needed} {found}. "
                f"Run {where} and poll GET /api/v2/status until it is completed.",
                step=step,
                missing_step=needed,
                missing_status=None if state is None else state.status,
            )
        check_prerequisites(needed, known)


def prepare_step(
    *, session: Session, video_id: str, step: str, parameters: dict[str, Any]
) -> ReframeStep:
    """Reset (or create) the step's row for a new run.

    Raises:
        Conflict: the step is already pending or running.
    """
    if step not in STEPS:
        raise InvalidInput(f"Unknown step {step!r}.", field="model_type")
    rows = get_steps(session=session, video_id=video_id)
    row = rows.get(step)
    if row is None:
        row = ReframeStep(video_id=video_id, step=step)
        session.add(row)
    elif row.result is None and row.job_id is not None:
        job = session.get(Job, row.job_id)
        if job is not None and job.status in ("pending", "processing"):
            raise Conflict(
                f"{step} is already {job.status} for this video.", step=step, job_id=job.id
            )
    row.parameters, row.result, row.output_key, row.error = parameters, None, None, None
    row.job_id, row.completed_at, row.created_at = None, None, utcnow()
    session.flush()
    return row


def submit_step(
    *,
    db: Database,
    queue: JobQueue,
    account_id: str,
    video_id: str,
    step: str,
    parameters: dict[str, Any],
) -> Job:
    """Check the prerequisites and queue one analysis or transform.

    Raises:
        NotFound: no such video for this account.
        Conflict: a prerequisite has not completed, or the step is already running.
    """
    with db.session() as session:
        video = get_video(session=session, account_id=account_id, video_id=video_id)
        check_prerequisites(step, states(session=session, video_id=video.id))
        prepare_step(session=session, video_id=video.id, step=step, parameters=parameters)
    job = queue.submit(
        account_id=account_id,
        kind=STEP_KIND,
        params={"video_id": video_id, "step": step, "parameters": parameters},
    )
    _attach(db, video_id, [step], job.id)
    return job


def _attach(db: Database, video_id: str, steps: list[str], job_id: str) -> None:
    with db.session() as session:
        for name, row in get_steps(session=session, video_id=video_id).items():
            if name in steps and row.result is None:
                row.job_id = job_id


def start_ingest(
    *,
    db: Database,
    queue: JobQueue,
    account_id: str,
    url: str,
    kind: str = INGEST_KIND,
    parameters: dict[str, Any] | None = None,
    steps: tuple[str, ...] = (INGEST,),
) -> tuple[ReframeVideo, Job]:
    """A new video fed from ``url`` by a job (``reframe.ingest``, or the one-call
    ``reframe.pipeline`` with ``steps`` its chain)."""
    with db.session() as session:
        video = create_video(session=session, account_id=account_id, source_url=url)
        for step in steps:
            prepare_step(session=session, video_id=video.id, step=step, parameters=parameters or {})
        video_id = video.id
    job = queue.submit(
        account_id=account_id,
        kind=kind,
        params={"video_id": video_id, "url": url, "parameters": parameters or {}},
    )
    _attach(db, video_id, list(steps), job.id)
    with db.read_session() as session:
        return get_video(session=session, account_id=account_id, video_id=video_id), job


def record_upload(*, db: Database, account_id: str, media: Media) -> ReframeVideo:
    """A new video from an upload that is already stored and probed: ingest completed."""
    with db.session() as session:
        video = create_video(session=session, account_id=account_id, source_url=None)
        video.media_id = media.id
        row = prepare_step(session=session, video_id=video.id, step=INGEST, parameters={})
        row.result, row.completed_at = ingest_result(media), utcnow()
        session.flush()
        session.expunge(video)
        return video


def ingest_result(media: Media) -> dict[str, Any]:
    """The ingest step's result: what the probe found."""
    return {
        "media_id": media.id,
        "filename": media.filename,
        "source_url": media.source_url,
        "container": media.container,
        "video_codec": media.video_codec,
        "audio_codec": media.audio_codec,
        "duration_seconds": media.duration_seconds,
        "width": media.width,
        "height": media.height,
        "fps": media.fps,
        "has_audio": media.has_audio,
        "size_bytes": media.size_bytes,
    }


def save_result(
    *,
    db: Database,
    settings: Settings,
    video_id: str,
    step: str,
    job_id: str,
    result: dict[str, Any],
    output: str | None = None,
) -> None:
    """Store a completed step's result (database and a JSON file on the volume)."""
    path = result_path(settings, video_id, step)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result), encoding="utf-8")
    with db.session() as session:
        row = get_steps(session=session, video_id=video_id).get(step)
        if row is None:
            row = ReframeStep(video_id=video_id, step=step)
            session.add(row)
        row.job_id, row.result, row.output_key, row.completed_at = job_id, result, output, utcnow()


def save_error(*, db: Database, video_id: str, step: str, code: str, message: str) -> None:
    """Record why a step failed (shown by ``GET /status`` once its job has ended)."""
    with db.session() as session:
        row = get_steps(session=session, video_id=video_id).get(step)
        if row is not None:
            row.error = {"code": code, "message": message}


def load_results(*, db: Database, video_id: str, step: str) -> dict[str, dict[str, Any]]:
    """The stored results a step builds on (its prerequisites, transitively, and the
    optional inputs that exist)."""
    wanted: set[str] = set(OPTIONAL_INPUTS.get(step, ()))
    pending = list(PREREQUISITES.get(step, ()))
    while pending:
        name = pending.pop()
        wanted.add(name)
        pending.extend(PREREQUISITES.get(name, ()))
    found: dict[str, dict[str, Any]] = {}
    with db.read_session() as session:
        rows = get_steps(session=session, video_id=video_id)
        for name in wanted:
            result = rows[name].result if name in rows else None
            if result is not None:
                found[name] = result
    return found


def download_path(
    *, db: Database, settings: Settings, account_id: str, video_id: str, suffix: str
) -> tuple[Path, str]:
    """The output file of a transform, charging the video's credits the first time.

    Charge: 1 credit per second of source video, rounded down, once per video (the
    idempotency key is the video id, whichever output is downloaded).

    Raises:
        NotFound: no such video for this account, or an unknown suffix.
        Conflict: the transform has not completed.
        InsufficientCredits: the balance does not cover the charge (nothing is charged).
    """
    step = SUFFIXES.get(suffix)
    if step is None:
        raise NotFound(f"No output with suffix {suffix!r}; known: {', '.join(SUFFIXES)}.")
    with db.session() as session:
        video = get_video(session=session, account_id=account_id, video_id=video_id)
        known = states(session=session, video_id=video.id)
        state = known.get(step)
        if state is None or state.status != "completed":
            found = "has not been run" if state is None else f"is {state.status}"
            raise Conflict(
                f"Nothing to download yet: the {step} transform {found}. Run POST "
                f"/api/v2/transform with transform_type {step!r} and poll GET /api/v2/status.",
                step=step,
                missing_step=step,
            )
        row = get_steps(session=session, video_id=video.id)[step]
        media = session.get(Media, video.media_id) if video.media_id else None
        seconds = media.duration_seconds if media is not None and media.duration_seconds else 0.0
        entry = credits.charge(
            session=session,
            account_id=account_id,
            amount=math.floor(seconds),
            reason=f"reframe download {video.id}",
            idempotency_key=f"reframe:{video.id}",
        )
        video.charge_id = entry.id
        key = row.output_key or ""
    path = settings.media_dir / key
    if not key or not path.is_file():
        raise NotFound("The output file of this video is missing.", video_id=video_id)
    return path, f"{video_id}{suffix}.mp4"
