"""Annotated dependency aliases used by routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from vidlens.accounts.service import Principal
from vidlens.api.auth import require_admin, require_principal
from vidlens.api.context import AppContext
from vidlens.config import Settings
from vidlens.storage.db import Database


def get_context(request: Request) -> AppContext:
    context: AppContext = request.app.state.context
    return context


def get_settings(request: Request) -> Settings:
    return get_context(request).settings


def get_db(request: Request) -> Database:
    return get_context(request).db


ContextDep = Annotated[AppContext, Depends(get_context)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
DbDep = Annotated[Database, Depends(get_db)]
PrincipalDep = Annotated[Principal, Depends(require_principal)]
AdminDep = Annotated[None, Depends(require_admin)]
