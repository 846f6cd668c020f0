"""``GET /api/v2/status/{video_id}``: the most recent step of a video, and all of them."""

from __future__ import annotations

from typing import Any

from vidlens.reframe.service import StepState, get_steps, get_video, states
from vidlens.reframe.steps import STEPS, SUFFIXES
from vidlens.storage.db import Database


def _recent(known: dict[str, StepState]) -> StepState:
    """The step a poller cares about: one that is running, else one that failed, else the
    latest created (ties: the furthest completed step of the chain, else the first
    waiting one)."""
    running = [s for s in known.values() if s.status == "processing"]
    if running:
        return running[0]
    failed = [s for s in known.values() if s.status in ("failed", "cancelled")]
    own = [s for s in failed if s.own_error]
    if own:
        return min(own, key=lambda s: STEPS.index(s.step))
    if failed:
        return min(failed, key=lambda s: STEPS.index(s.step))
    latest = max(s.created_at for s in known.values() if s.created_at is not None)
    newest = [s for s in known.values() if s.created_at == latest]
    waiting = [s for s in newest if s.status == "pending"]
    if waiting:
        return min(waiting, key=lambda s: STEPS.index(s.step))
    return max(newest, key=lambda s: STEPS.index(s.step))


def video_status(*, db: Database, account_id: str, video_id: str) -> dict[str, Any]:
    """The status document (raises NotFound for unknown or foreign videos)."""
    with db.read_session() as session:
        video = get_video(session=session, account_id=account_id, video_id=video_id)
        known = states(session=session, video_id=video.id)
        rows = get_steps(session=session, video_id=video.id)
        recent = _recent(known)
        result = rows[recent.step].result if recent.status == "completed" else None
        ordered = sorted(known.values(), key=lambda s: STEPS.index(s.step))
        downloads = {
            suffix: f"/api/v2/download/{video.id}?suffix={suffix}"
            for suffix, step in SUFFIXES.items()
            if known.get(step) is not None and known[step].status == "completed"
        }
        return {
            "video_id": video.id,
            "step": recent.step,
            "status": recent.status,
            "progress": round(recent.progress, 1),
            "phase": recent.phase,
            "error": recent.error,
            "result": result,
            "steps": [
                {
                    "step": s.step,
                    "status": s.status,
                    "progress": round(s.progress, 1),
                    "error": s.error,
                    "job_id": s.job_id,
                    "completed_at": s.completed_at.isoformat() if s.completed_at else None,
                }
                for s in ordered
            ],
            "downloads": downloads,
        }


def step_result(
    *, db: Database, account_id: str, video_id: str, step: str
) -> dict[str, Any] | None:
    """A completed step's stored result, or None when it has not completed.

    Raises:
        NotFound: no such video for this account.
    """
    with db.read_session() as session:
        video = get_video(session=session, account_id=account_id, video_id=video_id)
        row = get_steps(session=session, video_id=video.id).get(step)
        return row.result if row is not None else None
