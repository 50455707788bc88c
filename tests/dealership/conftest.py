from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from bot.dealership.db import get_engine

AUSTIN = ZoneInfo("America/Chicago")
MONDAY_10AM = datetime(2026, 11, 23, 10, 0, tzinfo=AUSTIN)


@pytest.fixture
def session(demo_db: str):
    with Session(get_engine(demo_db), future=True, expire_on_commit=False) as session:
        yield session
