"""What the action tests share: the demo database, with business time pinned to the Monday
every test sees."""

from __future__ import annotations

import pytest


@pytest.fixture
def on_demo_db(demo_db, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", demo_db)
    monkeypatch.setenv("CONCIERGE_NOW", "2026-11-23T10:00:00-06:00")
    return demo_db
