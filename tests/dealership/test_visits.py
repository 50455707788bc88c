"""An owner's visits as they are told, on the demo dealership on Monday 2026-11-23 10:00: what
is booked, and where the car is."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.dealership import appointments
from bot.dealership.owners import find_owner_by_mobile
from bot.dealership.visits import booked, car_status

NOW = datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("America/Chicago"))
PRIYA = "+17375550110"  # a tire rotation booked for tomorrow at 9:00
DANA = "+15125550142"  # nothing booked


def test_whats_booked(session):
    owner = find_owner_by_mobile(session, PRIYA)
    [visit] = booked(session, owner.id, NOW)
    assert visit.services == ["Tire rotation"] and visit.car.endswith("NX 450h+")
    assert visit.starts_at == datetime(2026, 11, 24, 9, tzinfo=NOW.tzinfo)
    assert booked(session, find_owner_by_mobile(session, DANA).id, NOW) == []


def test_where_the_car_is(session):
    owner = find_owner_by_mobile(session, PRIYA)
    status = car_status(session, owner.id, NOW)
    assert status is not None and status.status == "scheduled"
    appointments.upcoming(session, owner.id, NOW)[0].status = "in_progress"
    session.flush()
    status = car_status(session, owner.id, NOW)
    assert status is not None and status.status == "in_progress"
    assert car_status(session, find_owner_by_mobile(session, DANA).id, NOW) is None
