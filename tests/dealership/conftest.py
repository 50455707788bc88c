from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from bot.dealership import loader
from bot.dealership.db import get_engine
from bot.settings import load_settings

AUSTIN = ZoneInfo("America/Chicago")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=AUSTIN)


@pytest.fixture
def demo_db(db: str) -> str:
    """A migrated database holding the demo dealership, loaded on Monday 2026-11-23 at 10:00."""
    data = loader.read_data_file(load_settings().dealership_data)
    with Session(get_engine(db), future=True) as session, session.begin():
        loader.load(session, data, now=MONDAY_10AM)
    return db


@pytest.fixture
def session(demo_db: str):
    with Session(get_engine(demo_db), future=True, expire_on_commit=False) as session:
        yield session
