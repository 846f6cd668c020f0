"""Everything the app holds for its lifetime, built once from settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from vidlens.api.credential_cache import CredentialCache
from vidlens.config import Settings
from vidlens.storage.db import Database

if TYPE_CHECKING:
    from vidlens.jobs.queue import JobQueue
    from vidlens.media.store import MediaStore


@dataclass
class AppContext:
    settings: Settings
    db: Database
    store: MediaStore
    queue: JobQueue
    signing_key: str
    admin_token: str
    extras: dict[str, object] = field(default_factory=dict)
    credentials: CredentialCache = field(default_factory=CredentialCache)
