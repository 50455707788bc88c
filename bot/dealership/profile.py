"""The dealership's own profile: name, phones, time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot import clock
from bot.dealership.models import Dealership


class DealershipNotLoaded(LookupError):
    """The database has no dealership yet: load a data file first (`make run` loads the demo)."""


def get_dealership(session: Session) -> Dealership:
    dealership = session.get(Dealership, 1)
    if dealership is None:
        raise DealershipNotLoaded(DealershipNotLoaded.__doc__)
    return dealership


def local_now(session: Session, now: datetime | None = None) -> datetime:
    """`now` (default: the clock) in the dealership's time zone."""
    zone = ZoneInfo(get_dealership(session).time_zone)
    return (now or clock.now()).astimezone(zone)
