"""Databases for tests: a fresh SQLite file, and a fresh PostgreSQL database when
TEST_DATABASE_URL names a server (`.ci/run` sets it; under CI it is required)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bot.dealership import loader, schema
from bot.dealership.db import get_engine
from bot.settings import load_settings
from tests.demo import MONDAY_10AM

ROOT = Path(__file__).resolve().parents[1]

PG_SERVER = os.environ.get("TEST_DATABASE_URL")


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("CI") and not PG_SERVER:
        raise pytest.UsageError("CI must run the PostgreSQL tests: set TEST_DATABASE_URL")


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'concierge.db'}"


@pytest.fixture
def postgresql_url() -> Iterator[str]:
    """A database of its own on the TEST_DATABASE_URL server, dropped afterwards."""
    if not PG_SERVER:
        pytest.skip("TEST_DATABASE_URL is not set")
    server = make_url(PG_SERVER)
    name = f"concierge_test_{uuid.uuid4().hex[:12]}"
    admin = get_engine(PG_SERVER).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        get_engine(url).dispose()
        get_engine.cache_clear()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()  # (its connection would stay open until the engine is collected)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_db(request) -> str:
    """The URL of an empty database, once for each engine Concierge supports."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def db(empty_db: str) -> str:
    """The URL of a database migrated to the newest schema."""
    schema.upgrade(empty_db)
    return empty_db


@pytest.fixture
def demo_db(db: str) -> str:
    """A migrated database holding the demo dealership, loaded on Monday 2026-11-23 at 10:00."""
    data = loader.read_data_file(load_settings().dealership_data)
    with Session(get_engine(db), future=True) as session, session.begin():
        loader.load(session, data, now=MONDAY_10AM)
    return db


@pytest.fixture(scope="session")
def trained_agent():
    """The trained model (`make test` trains it first), loaded once for the tests that run it."""
    from rasa.core.agent import Agent

    return Agent.load(str(ROOT / "models" / "concierge.tar.gz"))
