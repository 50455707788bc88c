"""Engine and sessions. One engine per process and URL; a fresh session per unit of work."""

from __future__ import annotations

import asyncio
import functools
import secrets
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import URL, Engine, create_engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool, QueuePool

from bot.settings import load_settings

T = TypeVar("T")


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


_made: list[Engine] = []  # every engine `_engine` made, for `_clear_caches`


@functools.cache
def _engine(url: str) -> Engine:
    engine = _new_engine(url)
    _made.append(engine)
    return engine


def _new_engine(url: str) -> Engine:
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
    with _sessions(url or load_settings().database_url)() as session, session.begin():
        yield session


@functools.cache
def _sessions(url: str) -> sessionmaker:
    # One factory per URL: each sessionmaker makes a Session class of its own, and SQLAlchemy
    # sets up that class's events on its first use, a cost larger than a short unit of work.
    return sessionmaker(_engine(url), future=True, expire_on_commit=False)


async def in_session(work: Callable[..., T], *args: Any, database_url: str | None = None) -> T:
    """Runs `work(session, *args)` in a worker thread, in a session of its own that commits when
    it returns: the one way database work leaves an event loop. The loop serves every
    conversation at once, so a query made on it would stall them all, and a session shared
    between concurrent tasks would mix their work."""

    def run() -> T:
        with session_scope(database_url) as session:
            return work(session, *args)

    return await asyncio.to_thread(run)


def _clear_caches() -> None:
    """Forgets every engine made so far, closing their pooled connections first: one only
    forgotten keeps them open until it is collected, and a server allows only so many."""
    for engine in _made:
        engine.dispose()
    _made.clear()
    _sessions.cache_clear()
    _engine.cache_clear()


get_engine.cache_clear = _clear_caches  # type: ignore[attr-defined]


class DatabaseUnavailable(RuntimeError):
    """The database cannot be used; the message says why in one line, for an operator."""


# Tables one of Concierge's databases already has (the dealership's, the tracker store's): a
# write to one of them is the probe; an empty database gets a table created instead.
PROBE_TABLES = ("alembic_version", "events")
URL_FORMS = "sqlite:///path/to/file.db or postgresql://user:password@host/dbname"


def parse_url(url: str, name: str = "DATABASE_URL") -> URL:
    """`url` read as a database URL, or a plain reason it cannot be."""
    try:
        parsed = make_url(url)
        parsed.get_dialect()
    except (ArgumentError, NoSuchModuleError, ValueError):
        raise DatabaseUnavailable(f"{name} is not a database URL that Concierge can use "
                                  f"(expected {URL_FORMS}).") from None
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:") \
            and not parsed.query.get("uri"):  # a "file:" URI names no folder to make
        folder = Path(parsed.database).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DatabaseUnavailable(f"{name}: the folder {folder} cannot be created "
                                      f"({error.strerror}).") from None
    return parsed


def check_writable(url: str, name: str = "DATABASE_URL") -> None:
    """Raises DatabaseUnavailable unless a new connection to `url` can write: one write in a
    transaction that is rolled back, so that a read-only file, role, server or transaction
    default is found before any owner's message is (PostgreSQL's `default_transaction_read_only`
    included). About a millisecond on SQLite, a connection's set-up on PostgreSQL."""
    parsed = parse_url(url, name)
    engine = create_engine(parsed, future=True, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            existing = [table for table in PROBE_TABLES if inspect(conn).has_table(table)]
            probe = f"DELETE FROM {existing[0]} WHERE 1 = 0" if existing else \
                f"CREATE TABLE concierge_write_probe_{secrets.token_hex(4)} (id INTEGER)"
            conn.rollback()
            if parsed.get_backend_name() == "sqlite":
                # The sqlite3 module starts no transaction before a CREATE: begin one here.
                cursor = conn.connection.driver_connection.cursor()
                cursor.execute("PRAGMA busy_timeout=5000")
                cursor.execute("BEGIN")
                try:
                    cursor.execute(probe)
                finally:
                    cursor.execute("ROLLBACK")
            else:
                with conn.begin() as transaction:
                    conn.execute(text(probe))
                    transaction.rollback()
    except (SQLAlchemyError, sqlite3.Error) as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise DatabaseUnavailable(f"{name} cannot be written: {reason}") from None
    finally:
        engine.dispose()
