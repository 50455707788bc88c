"""Which visit a change is for, on the demo dealership: the one of the car named, and a car
named that has nothing booked."""

from __future__ import annotations

from datetime import timedelta

from bot.dealership.booking import BookingRequest, book
from bot.dealership.changes import PickRequest, pick
from bot.dealership.owners import find_owner_by_mobile
from bot.dealership.profile import local_now
from tests.demo import DANA, KENJI


def kenji_on_a_weekday(session):
    """Kenji, his cars by line, now, and 10 AM on an open day five or more days ahead."""
    kenji = find_owner_by_mobile(session, KENJI)
    now = local_now(session)
    start = (now + timedelta(days=5)).replace(hour=10, minute=0, second=0, microsecond=0)
    while start.weekday() == 6:
        start += timedelta(days=1)
    return kenji, {car.model_line: car for car in kenji.vehicles}, now, start


def test_a_car_named_picks_its_visit_or_says_it_has_none(session):
    kenji, cars, now, start = kenji_on_a_weekday(session)
    rz = cars["RZ"]
    booked = book(session, BookingRequest(kenji.id, rz.id, rz.label, ["tire_rotation"], start,
                                          "wait"), now)
    found = pick(session, PickRequest(kenji.id, "move my ls appointment to monday"), now)
    assert found.chosen is None and found.car_without == cars["LS"].label
    found = pick(session, PickRequest(kenji.id, "move the rz one to monday"), now)
    assert found.chosen is not None and found.chosen.code == booked.code


def test_a_visit_named_by_its_day():
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from bot.dealership.changes import day_of_visit
    now = datetime(2026, 11, 23, 10, tzinfo=ZoneInfo("America/Chicago"))
    assert day_of_visit("cancel the one on friday, one trip is enough", now) == date(2026, 11,
                                                                                       27)
    assert day_of_visit("cancel my appt tmrw", now) == date(2026, 11, 24)
    # the day a visit moves to names no visit
    assert day_of_visit("move my appointment to friday", now) is None


def test_a_visit_put_on_the_car_meant_keeps_its_work_and_time(session):
    import pytest

    from bot.dealership import appointments
    from bot.dealership.changes import CarBusy, switch_car

    kenji, cars, now, start = kenji_on_a_weekday(session)
    ls, rz = cars["LS"], cars["RZ"]
    booked = book(session, BookingRequest(kenji.id, ls.id, ls.label, ["alignment"], start,
                                          "wait"), now)
    moved = switch_car(session, kenji.id, booked.code, rz.id, now)
    assert (moved.vehicle_id, moved.starts_at, [s.code for s in moved.services]) == (
        rz.id, start, ["alignment"])
    # a car in that day already is not booked twice: said, and nothing changed
    other = book(session, BookingRequest(kenji.id, ls.id, ls.label, ["oil_change"],
                                         start.replace(hour=14), "wait"), now)
    with pytest.raises(CarBusy):
        switch_car(session, kenji.id, other.code, rz.id, now)
    assert appointments.by_code(session, kenji.id, other.code).vehicle_id == ls.id
    # a car that is not the owner's
    dana = find_owner_by_mobile(session, DANA)
    with pytest.raises(appointments.NotYours):
        switch_car(session, kenji.id, other.code, dana.vehicles[0].id, now)


def test_a_loaner_goes_with_the_car_meant(session):
    from bot.dealership import appointments, fleet
    from bot.dealership.changes import switch_car

    kenji, cars, now, start = kenji_on_a_weekday(session)
    ls, rz = cars["LS"], cars["RZ"]
    booked = appointments.make_booking(session, owner_id=kenji.id, vehicle_id=ls.id,
                                       service_codes=["alignment"], start=start,
                                       transport="loaner", now=now)
    assert booked.loaner is not None
    begin, end = fleet.loaner_period(session, booked.appointment.starts_at,
                                     booked.appointment.ends_at)
    for_rz = {car.id for car in fleet.free_loaners(session, begin, end, rz.model_line)}
    moved = switch_car(session, kenji.id, booked.appointment.code, rz.id, now)
    held = appointments.loaner_of(session, moved)
    assert held is not None and held.status != "cancelled"
    # one free for the RZ's line when there was one, else the one held before
    assert held.loaner_id in (for_rz or {booked.loaner.loaner_id})
