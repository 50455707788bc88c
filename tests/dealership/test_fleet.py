"""Loaner matching and reservations on the demo fleet (4 ES, 3 NX, 3 RX, 1 LS; all 2026)."""

from __future__ import annotations

import threading
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.dealership import models as m
from bot.dealership.db import get_engine
from bot.dealership.fleet import free_loaners, loaner_period, reserve
from bot.dealership.owners import find_owner_by_mobile

AUSTIN = ZoneInfo("America/Chicago")
TUE_9 = datetime(2026, 11, 24, 9, 0, tzinfo=AUSTIN)
TUE_CLOSE = datetime(2026, 11, 24, 19, 0, tzinfo=AUSTIN)


def lines(cars: list[m.Loaner]) -> list[str]:
    return [car.model_line for car in cars]


def test_the_same_line_first_then_the_next_one_up_then_smaller_ones(session):
    assert lines(free_loaners(session, TUE_9, TUE_CLOSE, "RX")) == [
        "RX", "RX", "RX", "NX", "NX", "NX", "ES", "ES", "ES", "ES"]  # no LS: four lines up
    assert lines(free_loaners(session, TUE_9, TUE_CLOSE, "ES"))[:5] == [
        "ES", "ES", "ES", "ES", "NX"]
    # Nothing of the GX line or the next one up (LC) in the fleet: a smaller one, agreed first.
    assert lines(free_loaners(session, TUE_9, TUE_CLOSE, "GX"))[0] == "RX"
    assert lines(free_loaners(session, TUE_9, TUE_CLOSE, "LX"))[0] == "LS"
    # Nor of the UX or the IS, and nothing smaller: no loaner for a UX.
    assert free_loaners(session, TUE_9, TUE_CLOSE, "UX") == []


def test_within_a_line_the_newest_and_least_driven_first(session):
    cars = [c for c in free_loaners(session, TUE_9, TUE_CLOSE, "ES") if c.model_line == "ES"]
    keys = [(-c.year, c.mileage or 0) for c in cars]
    assert keys == sorted(keys)


def test_the_loaner_is_due_back_at_closing_on_the_day_the_work_ends(session):
    assert loaner_period(session, TUE_9, TUE_9.replace(hour=10)) == (TUE_9, TUE_CLOSE)
    saturday_job = datetime(2026, 11, 28, 16, 0, tzinfo=AUSTIN)
    start, due = loaner_period(session, saturday_job.replace(hour=8), saturday_job)
    assert due.time() == time(17)
    late = datetime(2026, 11, 28, 18, 0, tzinfo=AUSTIN)  # after Saturday's close: Monday
    assert loaner_period(session, late, late)[1] == datetime(2026, 11, 30, 19, tzinfo=AUSTIN)


def test_reservations_upgrade_until_the_fleet_is_out(session):
    dana = find_owner_by_mobile(session, "+15125550142")
    got = [reserve(session, owner_id=dana.id, line="RX", start=TUE_9, end=TUE_CLOSE)
           for _ in range(12)]
    session.commit()
    assert [r.loaner.model_line for r in got[:4]] == ["RX", "RX", "RX", "NX"]
    assert got[-1] is None  # ten cars an RX may have, twelve requests
    # The next morning they are all free again.
    wed = TUE_9.replace(day=25)
    assert len(free_loaners(session, wed, wed.replace(hour=19), "RX")) == 10


def test_twenty_owners_at_the_last_free_loaner_get_it_once(demo_db):
    with Session(get_engine(demo_db), future=True) as session:
        dana = find_owner_by_mobile(session, "+15125550142").id
        for _ in range(6):  # of the seven an ES may have (four ES, three NX)
            reserve(session, owner_id=dana, line="ES", start=TUE_9, end=TUE_CLOSE)
        session.commit()
    barrier = threading.Barrier(20)
    outcomes: list[bool] = []

    def attempt() -> None:
        with Session(get_engine(demo_db), future=True) as session:
            barrier.wait()
            got = reserve(session, owner_id=dana, line="ES", start=TUE_9, end=TUE_CLOSE)
            session.commit()
            outcomes.append(got is not None)

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == [False] * 19 + [True]
    with Session(get_engine(demo_db), future=True) as session:
        live = session.execute(select(m.LoanerReservation)).scalars().all()
        assert len(live) == 7 and len({r.loaner_id for r in live}) == 7


def test_a_loaner_model_asked_for_is_promised_only_when_free_and_then_reserved(session):
    from datetime import timedelta

    from bot.dealership.appointments import make_booking
    from bot.dealership.booking import summarize
    from bot.dealership.fleet import line_asked

    assert [line_asked(session, t) for t in ("an rx is fine", "rx works for me",
                                             "can the loaner be an nx 350?", "a gx loaner please",
                                             "an rx or an nx, either")] == \
        ["RX", "RX", "NX", None, None]
    marcus = find_owner_by_mobile(session, "+15125550199")
    gx = next(v for v in marcus.vehicles if v.model_line == "GX")
    start = TUE_9 + timedelta(hours=1)
    asked = summarize(session, ["oil_change"], gx.id, None, start, "loaner", "RX")
    assert (asked.loaner_line, asked.line_not_free) == ("RX", None)
    booking = make_booking(session, owner_id=marcus.id, vehicle_id=gx.id,
                           service_codes=["oil_change"], start=start, transport="loaner",
                           now=TUE_9 - timedelta(days=1), loaner_line="RX")
    assert booking.loaner.loaner.model_line == "RX"  # not the LS a GX gets by default
    # with every RX out, the summary says so instead of promising one
    for _ in range(3):
        begin, end = loaner_period(session, start, start + timedelta(hours=1))
        reserve(session, owner_id=marcus.id, line="RX", start=begin, end=end)
    late = summarize(session, ["oil_change"], gx.id, None, start, "loaner", "RX")
    assert (late.loaner_line, late.line_not_free) == (None, "RX")


def test_a_line_refused_is_not_asked_for(session):
    from bot.dealership.fleet import line_asked

    assert line_asked(session, "can i get an nx loaner? not one of the ES sedans pls") == "NX"
    assert line_asked(session, "not one of the ES sedans pls") is None
    assert line_asked(session, "no worries, an rx is fine") == "RX"
