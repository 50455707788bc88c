"""Rasa's SQL tracker store, pointed at TRACKER_STORE_URL (a SQLite file under var/ by default).

Rasa's `endpoints.yml` cannot give an environment variable a default; this class reads the same
settings as the rest of Concierge (environment, then `.env`, then the default), so one variable
moves conversations to PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from sqlalchemy import event
from sqlalchemy.engine import make_url

from bot.dealership.db import sqlite_pragmas
from bot.settings import load_settings


class ConciergeTrackerStore(SQLTrackerStore):
    def __init__(self, domain: Any = None, event_broker: Any = None, host: str | None = None,
                 **kwargs: Any) -> None:
        url = host if host and "://" in host else load_settings().tracker_store_url
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # Rasa treats a host holding "://" as the whole database URL.
        super().__init__(domain=domain, host=url, event_broker=event_broker, **kwargs)
        if parsed.get_backend_name() == "sqlite":
            # Every turn reads and writes here: the same settings as the dealership's database,
            # on connections made from now on.
            event.listen(self.engine, "connect", sqlite_pragmas)
            self.engine.dispose()
