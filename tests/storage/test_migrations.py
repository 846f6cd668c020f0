"""Alembic migrations build exactly the schema the models declare, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from vidlens.storage.db import Database
from vidlens.storage.migrate import current_revision, upgrade
from vidlens.storage.tables import Base


def test_migrated_schema_matches_models(db: Database) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_upgrade_is_idempotent(db: Database) -> None:
    before = current_revision(db.engine)
    upgrade(db.engine)
    assert current_revision(db.engine) == before
    tables = set(inspect(db.engine).get_table_names())
    assert {"accounts", "api_keys", "credit_entries", "jobs", "media"} <= tables


def test_sqlite_uses_wal(tmp_path: object) -> None:
    database = Database.from_url(f"sqlite:///{tmp_path}/wal.db")
    with database.engine.connect() as connection:
        mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
    database.dispose()
    assert mode == "wal"
