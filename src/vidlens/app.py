"""The FastAPI application factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.concurrency import run_in_threadpool

from vidlens import __version__
from vidlens.api.analysis_errors import analysis_error_renderer
from vidlens.api.context import AppContext
from vidlens.api.errors import install_error_handlers
from vidlens.api.middleware import RequestIdMiddleware
from vidlens.api.routes import (
    account,
    admin,
    analysis,
    coaching,
    health,
    jobs,
    media,
    oauth,
    providers,
    reframe,
    transcriptions,
    translations,
    video_analyses,
)
from vidlens.coaching.stateless import StatelessRunner
from vidlens.config import Settings
from vidlens.gateway.errors import jsonapi_error_renderer
from vidlens.jobs.embedded import EmbeddedQueue
from vidlens.jobs.handlers import load_registry
from vidlens.media.store import LocalMediaStore
from vidlens.storage.db import Database
from vidlens.storage.migrate import upgrade
from vidlens.webhooks.deliverer import WebhookDeliverer

logger = logging.getLogger("vidlens.app")

DESCRIPTION = """\
Self-hosted video intelligence. Authenticate every call with an API key
(`Authorization: Bearer ng_...` or `X-API-Key: ng_...`) or with a Bearer token from
`POST /oauth/token` (OAuth2 client credentials). Admin routes take the admin token.
"""

_PUBLIC_PATHS = {"/health", "/ready", "/oauth/token"}


def build_context(settings: Settings) -> AppContext:
    """Build the long-lived parts from settings: database, media store, job queue (embedded,
    or Celery when ``settings.jobs.queue_backend`` says so)."""
    from vidlens.jobs.queue import JobQueue

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.media_dir.mkdir(parents=True, exist_ok=True)
    db = Database.from_settings(settings)
    registry = load_registry(settings)
    queue: JobQueue
    if settings.jobs.queue_backend == "celery":
        # Imported here: celery is an optional extra (pip install 'vidlens[celery]').
        from vidlens.jobs.celery_queue import CeleryQueue

        queue = CeleryQueue(settings, db, registry)
    else:
        queue = EmbeddedQueue(settings, db, registry)
    return AppContext(
        settings=settings,
        db=db,
        store=LocalMediaStore(settings.media_dir),
        queue=queue,
        signing_key=settings.secret_key(),
        admin_token=settings.admin_token(),
        extras={"deliverer": WebhookDeliverer(settings, db)},
    )


def create_app(settings: Settings, *, context: AppContext | None = None) -> FastAPI:
    """Create the app. Nothing runs until the lifespan starts: then the schema is migrated,
    abandoned jobs are recovered, and workers and the webhook deliverer start."""
    ctx = context or build_context(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(upgrade, ctx.db.engine)
        ctx.queue.start()
        deliverer = ctx.extras.get("deliverer")
        if isinstance(deliverer, WebhookDeliverer):
            deliverer.start()
        logger.info("vidlens ready", extra={"database": ctx.db.engine.dialect.name})
        try:
            yield
        finally:
            if isinstance(deliverer, WebhookDeliverer):
                await run_in_threadpool(deliverer.stop)
            stateless = ctx.extras.get("coaching")
            if isinstance(stateless, StatelessRunner):
                await run_in_threadpool(stateless.close)
            await run_in_threadpool(ctx.queue.stop)
            ctx.db.dispose()

    app = FastAPI(
        title="vidlens",
        version=__version__,
        description=DESCRIPTION,
        docs_url="/swagger/",
        redoc_url="/redoc",
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.context = ctx
    install_error_handlers(app)
    app.state.error_renderers.register("/oauth/", oauth.oauth_error_renderer)
    app.state.error_renderers.register("/v1/", jsonapi_error_renderer)
    app.state.error_renderers.register("/api/v1/", coaching.coaching_error_renderer)
    app.state.error_renderers.register("/analysis", analysis_error_renderer)
    for module in (health, oauth, admin, account, jobs, media, transcriptions, providers, analysis):
        app.include_router(module.router)
    for module in (video_analyses, translations):
        app.include_router(module.router)
    app.include_router(coaching.router)
    app.include_router(reframe.router)
    app.add_middleware(RequestIdMiddleware)
    app.openapi = _openapi_factory(app)  # type: ignore[method-assign]  # FastAPI's documented hook
    return app


def _openapi_factory(app: FastAPI) -> Callable[[], dict[str, Any]]:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        components = schema.setdefault("components", {})
        components["securitySchemes"] = {
            "bearerApiKey": {"type": "http", "scheme": "bearer", "bearerFormat": "ng_..."},
            "apiKeyHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            "oauth2ClientCredentials": {
                "type": "oauth2",
                "flows": {"clientCredentials": {"tokenUrl": "/oauth/token", "scopes": {}}},
            },
            "adminToken": {"type": "http", "scheme": "bearer"},
        }
        user: list[dict[str, list[str]]] = [
            {"bearerApiKey": []},
            {"apiKeyHeader": []},
            {"oauth2ClientCredentials": []},
        ]
        for path, operations in schema.get("paths", {}).items():
            for operation in operations.values():
                signed = (
                    path.startswith("/media/download")
                    or path.endswith("/document")  # signed translated-document downloads
                    or path.endswith("/files/{name}")  # signed gait video and thumbnail
                )
                if path in _PUBLIC_PATHS or signed:
                    operation["security"] = []
                elif path.startswith("/admin"):
                    operation["security"] = [{"adminToken": []}]
                else:
                    operation["security"] = user
        app.openapi_schema = schema
        return schema

    return openapi
