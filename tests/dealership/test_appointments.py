"""An owner's own appointments: booking with a loaner, moving, cancelling, status."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.dealership import appointments as appts
from bot.dealership import fleet
from bot.dealership import models as m
from bot.dealership.owners import find_owner_by_mobile
from bot.dealership.scheduling import SlotTaken

AUSTIN = ZoneInfo("America/Chicago")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=AUSTIN)
TUE_9 = datetime(2026, 11, 24, 9, 0, tzinfo=AUSTIN)
FRI_8 = datetime(2026, 11, 27, 8, 0, tzinfo=AUSTIN)


@pytest.fixture
def dana(session):
    return find_owner_by_mobile(session, "+15125550142")


@pytest.fixture
def marcus(session):
    return find_owner_by_mobile(session, "+15125550199")


@pytest.fixture
def fleet_out_tuesday(session, marcus) -> None:
    """Every loaner out on Tuesday, reserved for Marcus."""
    out_all_tuesday(session, marcus)


def out_all_tuesday(session, marcus) -> None:
    for i in range(11):  # the whole fleet (an LS may be lent for any line below it)
        fleet.reserve(session, owner_id=marcus.id, line="LS",
                      start=TUE_9 + timedelta(minutes=30 * (i + 1)), end=TUE_9.replace(hour=19))
    session.commit()


def book_dana(session, dana, start=TUE_9, transport="loaner") -> appts.Booking:
    booking = appts.make_booking(session, owner_id=dana.id, vehicle_id=dana.vehicles[0].id,
                                 service_codes=["oil_change"], start=start,
                                 transport=transport, now=NOW)
    session.commit()
    return booking


def test_a_booking_with_a_loaner_reserves_the_upgrade_until_closing(session, dana):
    booking = book_dana(session, dana)
    assert booking.appointment.status == "scheduled" and len(booking.appointment.code) == 6
    assert booking.loaner.loaner.model_line == "RX"
    assert booking.loaner.ends_at.astimezone(AUSTIN).hour == 19
    assert [a.code for a in appts.upcoming(session, dana.id, NOW)] == [booking.appointment.code]


def test_no_loaner_free_books_nothing(session, dana, marcus):
    out_all_tuesday(session, marcus)  # the whole fleet, out until Tuesday's close
    with pytest.raises(appts.NoLoanerFree):
        book_dana(session, dana)
    assert appts.upcoming(session, dana.id, NOW) == []


def test_an_owner_sees_and_changes_only_their_own(session, dana, marcus):
    booking = book_dana(session, dana)
    assert appts.upcoming(session, marcus.id, NOW) == []
    with pytest.raises(appts.NotYours):
        appts.cancel(session, marcus.id, booking.appointment.id)
    with pytest.raises(appts.NotYours):
        appts.by_code(session, marcus.id, booking.appointment.code)
    with pytest.raises(appts.NotYours):
        appts.make_booking(session, owner_id=marcus.id, vehicle_id=dana.vehicles[0].id,
                           service_codes=["oil_change"], start=TUE_9, transport="wait", now=NOW)


def test_cancelling_frees_the_place_and_the_loaner(session, dana):
    booking = book_dana(session, dana)
    appts.cancel(session, dana.id, booking.appointment.id)
    session.commit()
    assert appts.upcoming(session, dana.id, NOW) == []
    assert appts.loaner_of(session, booking.appointment) is None
    assert appts.loaner_free(session, dana.vehicles[0].id, TUE_9, 45).id == booking.loaner.loaner_id


def test_moving_takes_the_loaner_along(session, dana):
    booking = book_dana(session, dana)
    moved = appts.reschedule(session, dana.id, booking.appointment.id, FRI_8, NOW)
    session.commit()
    assert moved.appointment.starts_at == FRI_8
    assert moved.loaner.starts_at == FRI_8 and not moved.loaner_lost
    live = session.execute(select(m.LoanerReservation).where(
        m.LoanerReservation.appointment_id == booking.appointment.id,
        m.LoanerReservation.status == "reserved")).scalars().all()
    assert len(live) == 1


def test_moving_to_a_full_or_closed_slot_changes_nothing(session, dana, marcus):
    booking = book_dana(session, dana, transport="wait")
    for _ in range(4):
        appts.make_booking(session, owner_id=marcus.id, vehicle_id=marcus.vehicles[0].id,
                           service_codes=["tire_rotation"], start=FRI_8, transport="wait",
                           now=NOW)
    session.commit()
    for start in (FRI_8, FRI_8 + timedelta(days=2)):  # full; Sunday
        with pytest.raises(SlotTaken):
            appts.reschedule(session, dana.id, booking.appointment.id, start, NOW)
    session.commit()
    session.expire_all()
    again = appts.owned(session, dana.id, booking.appointment.id)
    assert (again.starts_at, again.status) == (TUE_9, "scheduled")


def test_status_follows_the_visit(session, dana):
    booking = book_dana(session, dana, transport="wait")
    assert appts.latest_visit(session, dana.id, NOW).code == booking.appointment.code
    booking.appointment.status = "in_progress"
    session.commit()
    visit = appts.latest_visit(session, dana.id, TUE_9 + timedelta(hours=1))
    assert (visit.code, visit.status) == (booking.appointment.code, "in_progress")


def test_when_the_fleet_is_out_the_nearest_day_with_a_loaner(session, fleet_out_tuesday):
    assert appts.loaner_for_line(session, "RX", TUE_9, 45) is None
    # Wednesday at 9 (Thursday is Thanksgiving, but Wednesday comes first).
    assert appts.nearest_loaner_slot(session, "RX", TUE_9, 45, NOW) == TUE_9 + timedelta(days=1)


def test_the_waitlist_books_the_shuttle_and_records_the_wait(session, dana,
                                                            fleet_out_tuesday):
    booking = book_dana(session, dana, transport="waitlist")
    assert booking.appointment.transport == "shuttle" and booking.loaner is None
    [entry] = fleet.waiting(session)
    assert (entry.owner_id, entry.appointment_id, entry.model_line) == (
        dana.id, booking.appointment.id, "RX")
    assert entry.starts_at == TUE_9 and entry.ends_at.astimezone(AUSTIN).hour == 19

    moved = appts.reschedule(session, dana.id, booking.appointment.id, FRI_8, NOW)
    session.commit()
    assert fleet.waiting(session)[0].starts_at == FRI_8 and moved.loaner is None

    appts.cancel(session, dana.id, booking.appointment.id)
    session.commit()
    assert fleet.waiting(session) == []
