"""A database that cannot be written is found before any owner's text is: a write in a
transaction rolled back, on a new connection."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from bot.dealership.db import DatabaseUnavailable, check_writable, get_engine


def test_a_database_that_can_be_written_passes_and_is_left_as_it_was(db):
    before = sorted(inspect(get_engine(db)).get_table_names())
    check_writable(db)
    assert sorted(inspect(get_engine(db)).get_table_names()) == before


def test_an_empty_database_passes_and_is_left_empty(empty_db):
    check_writable(empty_db)
    assert inspect(get_engine(empty_db)).get_table_names() == []


@contextmanager
def admin(url: str) -> Iterator:
    engine = get_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        yield conn


def test_a_postgresql_database_read_only_by_default_is_refused(postgresql_url):
    name = make_url(postgresql_url).database
    with admin(postgresql_url) as conn:
        conn.execute(text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on'))
    with pytest.raises(DatabaseUnavailable, match="DATABASE_URL cannot be written: .*read-only"):
        check_writable(postgresql_url)


def test_a_postgresql_role_that_may_only_read_is_refused(postgresql_url):
    from bot.dealership import schema

    schema.upgrade(postgresql_url)
    role = f"concierge_reader_{uuid.uuid4().hex[:8]}"
    name = make_url(postgresql_url).database
    with admin(postgresql_url) as conn:
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN'))
        conn.execute(text(f'GRANT CONNECT ON DATABASE "{name}" TO "{role}"'))
        conn.execute(text(f'GRANT USAGE ON SCHEMA public TO "{role}"'))
        conn.execute(text(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{role}"'))
    try:
        reader = make_url(postgresql_url).set(username=role, password=None)
        with pytest.raises(DatabaseUnavailable, match="permission denied"):
            check_writable(reader.render_as_string(hide_password=False))
    finally:
        with admin(postgresql_url) as conn:
            conn.execute(text(f'DROP OWNED BY "{role}"'))
            conn.execute(text(f'DROP ROLE "{role}"'))


def test_a_sqlite_file_opened_read_only_is_refused(sqlite_url):
    check_writable(sqlite_url)  # creates the file
    path = make_url(sqlite_url).database
    with pytest.raises(DatabaseUnavailable, match="readonly"):
        check_writable(f"sqlite:///file:{path}?mode=ro&uri=true")


def test_a_sqlite_file_in_a_folder_that_cannot_be_made_is_refused(tmp_path: Path):
    (tmp_path / "a-file").write_text("")
    with pytest.raises(DatabaseUnavailable, match="folder .* cannot be created"):
        check_writable(f"sqlite:///{tmp_path / 'a-file' / 'var' / 'concierge.db'}")


@pytest.mark.parametrize("url", ["concierge.db", "sqlite//var/x.db", "mysql+nosuch://x/y", ""])
def test_a_url_that_is_not_one_is_refused_plainly(url):
    with pytest.raises(DatabaseUnavailable, match="TRACKER_STORE_URL is not a database URL"):
        check_writable(url, "TRACKER_STORE_URL")
