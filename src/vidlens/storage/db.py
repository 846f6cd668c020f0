"""Database engine and sessions, built from settings (never at import)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from vidlens.config import Settings


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(
    url: str, *, pool_size: int = 10, echo: bool = False, immediate: bool = True
) -> Engine:
    """Create an engine; SQLite gets WAL mode and a busy timeout so that the server, its
    worker processes and the CLI can share one file."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # A pool as large as the busiest thread pool that uses it: a smaller one churns
        # through overflow connections (reconnect + PRAGMAs) under concurrent polls.
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=max(pool_size, 20),
            max_overflow=20,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling defers BEGIN; emit it ourselves so that
        # BEGIN IMMEDIATE below takes the write lock up front.
        event.listen(engine, "connect", _disable_pysqlite_begin)
        event.listen(engine, "begin", _sqlite_begin_immediate if immediate else _sqlite_no_begin)
        return engine
    return create_engine(
        url, echo=echo, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True
    )


def _disable_pysqlite_begin(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None


def _sqlite_begin_immediate(conn: Any) -> None:
    # IMMEDIATE: a writer takes the lock at BEGIN, so read-then-write transactions never
    # fail on lock upgrade (SQLITE_BUSY) under concurrency.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_no_begin(conn: Any) -> None:
    # Read-only sessions run each statement in its own implicit transaction (autocommit):
    # no BEGIN/COMMIT round trips on the hot path of status polls.
    return None


class Database:
    """Owns the engines and hands out sessions.

    On SQLite, writing sessions begin with ``BEGIN IMMEDIATE`` and read-only ones with a plain
    ``BEGIN`` on a second engine, so that status polls never queue behind writers (WAL lets
    readers run beside one writer). On PostgreSQL both are the same engine.
    """

    def __init__(self, engine: Engine, read_engine: Engine | None = None) -> None:
        self.engine = engine
        self.read_engine = read_engine or engine
        self._factory = sessionmaker(engine, expire_on_commit=False)
        self._read_factory = sessionmaker(self.read_engine, expire_on_commit=False)

    @classmethod
    def from_url(cls, url: str, *, pool_size: int = 10, echo: bool = False) -> Database:
        engine = make_engine(url, pool_size=pool_size, echo=echo)
        if engine.dialect.name != "sqlite":
            return cls(engine)
        return cls(engine, make_engine(url, echo=echo, immediate=False))

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        return cls.from_url(
            settings.database_url,
            pool_size=settings.database.pool_size,
            echo=settings.database.echo,
        )

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in a transaction: committed on success, rolled back on error."""
        with self._factory() as session, session.begin():
            yield session

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A session for reads only (never writes on SQLite)."""
        with self._read_factory() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()
        if self.read_engine is not self.engine:
            self.read_engine.dispose()
