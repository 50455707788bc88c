"""Engines: one per database URL, following DATABASE_URL; SQLite files in WAL with a pool."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.pool import QueuePool

from bot.dealership.db import get_engine, session_scope


def test_the_default_engine_follows_database_url(tmp_path, monkeypatch):
    first, second = (f"sqlite:///{tmp_path / name}" for name in ("a.db", "b.db"))
    monkeypatch.setenv("DATABASE_URL", first)
    assert str(get_engine().url) == first
    monkeypatch.setenv("DATABASE_URL", second)
    assert str(get_engine().url) == second
    assert get_engine() is get_engine(second)


def test_sqlite_files_use_a_pool_and_the_write_ahead_log(tmp_path):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    assert isinstance(get_engine(url).pool, QueuePool)
    with session_scope(url) as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_sessions_of_one_database_share_one_session_class(tmp_path):
    # A session class made per unit of work has its events set up again each time: that cost
    # was most of the database time of a turn under load.
    url = f"sqlite:///{tmp_path / 'd.db'}"
    with session_scope(url) as first:
        pass
    with session_scope(url) as second:
        pass
    assert type(first) is type(second)
    assert first is not second
    with session_scope(f"sqlite:///{tmp_path / 'e.db'}") as other:
        assert other.get_bind().url != first.get_bind().url
