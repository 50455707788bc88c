"""Whether a loaner can be had, the use case, on the demo dealership on Monday 2026-11-23 10:00:
free at the time asked, the nearest later time one is, or none."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from bot.dealership import models as m
from bot.dealership.loaners import LoanerFree, LoanerLater, LoanerRequest, NoLoaner, check_loaner
from bot.dealership.owners import find_owner_by_mobile

CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2026, 11, 23, 10, tzinfo=CHICAGO)
WEDNESDAY_9 = datetime(2026, 11, 25, 9, tzinfo=CHICAGO)
ASKED = LoanerRequest("2021 RX 350", ["oil_change"], WEDNESDAY_9)


def test_a_loaner_free_at_the_time_asked(session):
    assert check_loaner(session, ASKED, NOW) == LoanerFree()


def test_all_out_that_day_offers_the_nearest_later_time(session):
    owner = find_owner_by_mobile(session, "+15125550142")
    day = WEDNESDAY_9.replace(hour=0)
    for car in session.execute(select(m.Loaner)).scalars():
        session.add(m.LoanerReservation(loaner_id=car.id, owner_id=owner.id, starts_at=day,
                                        ends_at=day + timedelta(days=1)))
    session.flush()
    answer = check_loaner(session, ASKED, NOW)
    assert isinstance(answer, LoanerLater)
    assert answer.start.date() > WEDNESDAY_9.date()


def test_no_loaner_in_the_fleet(session):
    session.execute(update(m.Loaner).values(active=False))
    assert check_loaner(session, ASKED, NOW) == NoLoaner()
