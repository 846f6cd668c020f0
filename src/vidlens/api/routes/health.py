"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from vidlens import __version__
from vidlens.api.context import AppContext
from vidlens.api.deps import ContextDep
from vidlens.api.schemas import HealthPublic, ReadyPublic

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthPublic)
async def health() -> HealthPublic:
    """Liveness: the process answers. No dependencies are checked."""
    return HealthPublic(version=__version__)


def _checks(context: AppContext) -> dict[str, str]:
    checks: dict[str, str] = {}
    try:
        with context.db.read_session() as session:
            session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # readiness reports any failure, it never raises
        checks["database"] = f"error: {type(exc).__name__}"
    media_dir = context.settings.media_dir
    checks["media_store"] = "ok" if media_dir.is_dir() else "error: media directory missing"
    return checks


@router.get(
    "/ready",
    response_model=ReadyPublic,
    responses={503: {"model": ReadyPublic, "description": "A dependency is failing."}},
)
async def ready(context: ContextDep) -> JSONResponse:
    """Readiness: the database answers and the media store is writable."""
    checks = await run_in_threadpool(_checks, context)
    ok = all(value == "ok" for value in checks.values())
    body = ReadyPublic(status="ready" if ok else "not_ready", checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if ok else 503)
