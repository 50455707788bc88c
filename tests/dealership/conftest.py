from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from bot.dealership.db import get_engine


@pytest.fixture
def session(demo_db: str):
    with Session(get_engine(demo_db), future=True, expire_on_commit=False) as session:
        yield session
