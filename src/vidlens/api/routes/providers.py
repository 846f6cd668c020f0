"""AI gateway providers (reference/ai-gateway-api.txt, "Providers"): ``GET /v1/providers``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from vidlens.api.deps import ContextDep, PrincipalDep
from vidlens.gateway.providers import provider_document

router = APIRouter(prefix="/v1/providers", tags=["providers"])

_EXAMPLE: dict[str, Any] = {
    "data": [
        {
            "id": "vidlens-local",
            "type": "provider",
            "attributes": {
                "name": "vidlens (local CPU)",
                "resources": {
                    "transcriptions": {
                        "features": ["language_detection", "timestamps", "diarization"]
                    }
                },
            },
            "meta": {"models": {"speech_to_text": "bundled:whisper-base"}, "unavailable": {}},
        }
    ]
}


@router.get(
    "",
    responses={
        200: {
            "description": "Every provider with the resource types and features it can run "
            "now; meta.unavailable names what is missing and what to install.",
            "content": {"application/json": {"example": _EXAMPLE}},
        },
        401: {"description": "Missing or invalid API key or token."},
    },
)
async def list_providers(principal: PrincipalDep, context: ContextDep) -> JSONResponse:
    """List the providers of this gateway and their capabilities, computed from the engines
    that are installed and configured right now (a missing model removes its features)."""
    del principal  # authentication only: the answer is the same for every account
    document = await run_in_threadpool(provider_document, context.settings)
    return JSONResponse(document)
