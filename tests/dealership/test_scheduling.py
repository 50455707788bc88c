"""Open slots and bookings, with "now" pinned to Monday 2026-11-23, 10:00 in Austin."""

from __future__ import annotations

import threading
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.dealership import models as m
from bot.dealership.dates import When, parse_when
from bot.dealership.db import get_engine
from bot.dealership.owners import find_owner_by_mobile
from bot.dealership.scheduling import SlotTaken, book, open_slots

AUSTIN = ZoneInfo("America/Chicago")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=AUSTIN)  # as the demo_db fixture loads it
OIL = 45  # minutes


def at(d: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(d, time(hour, minute), AUSTIN)


def ask(session: Session, text: str, duration: int = OIL, now: datetime = NOW):
    return open_slots(session, parse_when(text, now), duration, now)


TUE, WED, FRI, SAT = (date(2026, 11, d) for d in (24, 25, 27, 28))


def dana(session: Session) -> tuple[int, int]:
    owner = find_owner_by_mobile(session, "+15125550142")
    return owner.id, owner.vehicles[0].id


def fill(session: Session, start: datetime, count: int) -> None:
    owner_id, vehicle_id = dana(session)
    for _ in range(count):
        book(session, owner_id=owner_id, vehicle_id=vehicle_id, service_codes=["oil_change"],
             start=start, transport="wait", now=NOW)
    session.commit()


def test_asap_is_the_first_slots_an_hour_from_now(session):
    offer = ask(session, "asap")
    assert offer.slots == [at(date(2026, 11, 23), h, mi) for h, mi in ((11, 0), (11, 30), (12, 0))]
    assert offer.problem is None


def test_a_free_time_is_offered_with_its_neighbours(session):
    offer = ask(session, "tmrw at 9")
    assert offer.exact == at(TUE, 9)
    assert offer.slots == [at(TUE, 8, 30), at(TUE, 9), at(TUE, 9, 30)]


def test_a_window_offers_its_first_slots(session):
    offer = ask(session, "next tue after 2")
    assert offer.slots == [at(date(2026, 12, 1), 14), at(date(2026, 12, 1), 14, 30),
                           at(date(2026, 12, 1), 15)]


@pytest.mark.parametrize(("text", "problem", "detail", "until"), [
    ("sunday at 10", "closed_weekly", "Sunday", None),
    ("thursday at 10", "closed", "Thanksgiving Day", None),
    ("12/25 at 9", "closed", "Christmas Day", None),
    ("today at 9", "past", None, None),
    ("today at 10:30", "past", None, None),  # within the hour an advisor needs
    ("tuesday at 8pm", "after_hours", "7:00 AM", "7:00 PM"),
    ("feb 30", "no_such_date", None, None),
])
def test_an_impossible_time_says_why_and_offers_the_nearest(session, text, problem, detail,
                                                             until):
    offer = ask(session, text)
    assert (offer.problem, offer.detail, offer.until) == (problem, detail, until)
    assert offer.exact is None
    assert 1 <= len(offer.slots) <= 3
    assert all(s >= NOW + timedelta(hours=1) for s in offer.slots)
    assert all(s.weekday() != 6 and s.date() != date(2026, 11, 26) for s in offer.slots)


def test_a_day_beyond_the_book_says_how_far_it_goes(session):
    offer = ask(session, "march 2 at 10")
    assert (offer.problem, offer.detail) == ("too_far", "Jan 22")
    assert offer.exact is None and len(offer.slots) == 3
    assert all(date(2027, 1, 20) <= s.date() <= date(2027, 1, 22) for s in offer.slots)
    assert offer.slots == sorted(offer.slots)


def test_sunday_alternatives_are_the_nearest_open_times(session):
    offer = ask(session, "sunday at 10")
    assert offer.slots == [at(SAT, 9, 30), at(SAT, 10), at(date(2026, 11, 30), 10)]


def test_a_long_job_must_end_by_closing_time(session):
    detailing = 180
    assert ask(session, "sat at 2pm", detailing).exact == at(SAT, 14)
    offer = ask(session, "sat at 3pm", detailing)
    assert offer.problem == "after_hours"
    assert max(offer.slots) <= at(SAT, 14)


def test_a_full_slot_is_taken_and_a_full_day_is_full(session):
    fill(session, at(TUE, 10), 4)
    offer = ask(session, "tuesday at 10")
    assert offer.problem == "taken"
    assert at(TUE, 10) not in offer.slots
    for start in [at(WED, 7) + timedelta(minutes=30 * i) for i in range(23)]:  # to 18:00
        fill(session, start, 4)
    offer = ask(session, "wednesday")
    assert (offer.problem, offer.detail) == ("full", "Wednesday")
    assert offer.slots[0] == at(FRI, 7)  # Thursday is Thanksgiving


def test_the_demo_appointment_takes_one_of_four_lanes(session):
    fill(session, at(TUE, 9), 3)  # Priya holds the fourth place at 9:00
    with pytest.raises(SlotTaken):
        fill(session, at(TUE, 9), 1)


def test_a_slot_off_the_grid_or_in_the_past_is_refused(session):
    with pytest.raises(SlotTaken):
        fill(session, at(TUE, 9, 10), 1)
    with pytest.raises(SlotTaken):
        fill(session, at(date(2026, 11, 23), 9), 1)


def test_the_daylight_saving_weekend(session):
    # Clocks go forward on Sunday 2027-03-14: the shop still opens at 7:00 local on Monday.
    friday_before = datetime(2027, 3, 12, 10, 0, tzinfo=AUSTIN)
    offer = open_slots(session, When(first_day=date(2027, 3, 15), last_day=date(2027, 3, 15)),
                       OIL, friday_before)
    assert offer.slots[0] == at(date(2027, 3, 15), 7)
    assert offer.slots[0].utcoffset() == timedelta(hours=-5)
    owner_id, vehicle_id = dana(session)
    booked = book(session, owner_id=owner_id, vehicle_id=vehicle_id,
                  service_codes=["oil_change"], start=offer.slots[0], transport="wait",
                  now=friday_before)
    session.commit()
    session.expire_all()  # read it back from the database
    stored = session.execute(select(m.Appointment).filter_by(code=booked.code)).scalar_one()
    assert stored.starts_at.astimezone(AUSTIN).time() == time(7)
    assert stored.starts_at.hour == 12  # 7:00 CDT is 12:00 UTC (it was 13:00 the week before)


def test_twenty_owners_at_the_last_place_make_one_booking(demo_db):
    with Session(get_engine(demo_db), future=True) as session:
        fill(session, at(TUE, 11), 3)
        owner_id, vehicle_id = dana(session)
    barrier = threading.Barrier(20)
    outcomes: list[str] = []

    def attempt() -> None:
        with Session(get_engine(demo_db), future=True) as session:
            barrier.wait()
            try:
                book(session, owner_id=owner_id, vehicle_id=vehicle_id,
                     service_codes=["oil_change"], start=at(TUE, 11), transport="wait", now=NOW)
                session.commit()
                outcomes.append("booked")
            except SlotTaken:
                session.rollback()
                outcomes.append("alternatives")

    threads = [threading.Thread(target=attempt) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["alternatives"] * 19 + ["booked"]
    with Session(get_engine(demo_db), future=True) as session:
        count = session.execute(select(m.Appointment).where(
            m.Appointment.starts_at == at(TUE, 11))).scalars().all()
        assert len(count) == 4
