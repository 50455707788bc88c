"""Engine and sessions. One engine per process and URL; a fresh session per unit of work."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, create_engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from bot.settings import load_settings


def sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # SQLite ignores foreign keys unless asked; wait for a writer instead of failing at once.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    # Readers do not wait for the writer, and a commit appends to the log without a full sync:
    # several processes share the file, and every text is a few commits.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def get_engine(url: str | None = None) -> Engine:
    """The engine for `url` (default: DATABASE_URL as set now), created once per process."""
    return _engine(url or load_settings().database_url)


@functools.cache
def _engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # A pool of open connections (SQLAlchemy 1.4 opens one per session for SQLite files).
        pool = {"poolclass": QueuePool} if parsed.database not in (None, "", ":memory:") else {}
        engine = create_engine(url, future=True, connect_args={"check_same_thread": False},
                               **pool)
        event.listen(engine, "connect", sqlite_pragmas)
        return engine
    return create_engine(url, future=True, pool_pre_ping=True)


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A session that commits when the block ends cleanly and rolls back otherwise."""
    factory = sessionmaker(get_engine(url), future=True, expire_on_commit=False)
    with factory() as session, session.begin():
        yield session


get_engine.cache_clear = _engine.cache_clear  # type: ignore[attr-defined]
