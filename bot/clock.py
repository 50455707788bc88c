"""The current time. CONCIERGE_NOW (ISO 8601 with an offset) pins it, so a demo or an
end-to-end test sees the same week whatever day it runs.

`real_now` is the only other clock: security windows (sign-in and code limits, sessions, how
long a turn may run, token expiry) must pass in real time even while a demo pins the week."""

from __future__ import annotations

import os
from datetime import datetime, timezone


def now() -> datetime:
    pinned = os.environ.get("CONCIERGE_NOW")
    if pinned:
        moment = datetime.fromisoformat(pinned)
        if moment.tzinfo is None:
            raise ValueError("CONCIERGE_NOW needs an offset, e.g. 2026-11-23T10:00:00-06:00")
        return moment.astimezone(timezone.utc)
    return datetime.now(timezone.utc)


def real_now() -> datetime:
    """The real time in UTC, never pinned: for security windows only."""
    return datetime.now(timezone.utc)
