"""The current time. CONCIERGE_NOW (ISO 8601 with an offset; read by bot/settings.py) pins it,
so a demo or an end-to-end test sees the same week whatever day it runs. Business time: what is
open, what is due, when a record was made (the database's defaults too).

`real_now` is the only other clock: security windows (sign-in and code limits, sessions, how
long a turn may run, token expiry, caps on texts an hour) must pass in real time even while a
demo pins the week."""

from __future__ import annotations

from datetime import datetime, timezone

from bot.settings import read_setting


def now() -> datetime:
    """Business time in UTC: the pinned moment when CONCIERGE_NOW is set."""
    return read_setting("pinned_now") or datetime.now(timezone.utc)


def real_now() -> datetime:
    """The real time in UTC, never pinned: for security windows only."""
    return datetime.now(timezone.utc)
