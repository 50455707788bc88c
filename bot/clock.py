"""The current time. CONCIERGE_NOW (ISO 8601 with an offset) pins it, so a demo or an
end-to-end test sees the same week whatever day it runs."""

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
