"""Several of an owner's cars in one booking, on the demo dealership: which cars a message
names, the work named for each, "both" to which car, and another car joined to a booking under
way; then both visits written, or neither."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from bot.dealership import models as m
from bot.dealership.booking import (
    BookedTogether,
    BookingRequest,
    Retry,
    book_beside_visit,
    book_together,
)
from bot.dealership.cars_together import (
    CarWork,
    both_answered,
    car_added,
    same_time_as,
    work_by_car,
)
from bot.dealership.owners import find_owner_by_mobile
from bot.dealership.profile import local_now
from tests.demo import KENJI, MARCUS


def kenji(session):
    owner = find_owner_by_mobile(session, KENJI)
    cars = {car.model_line: car for car in owner.vehicles}
    return owner, cars["LS"], cars["RZ"]


def test_both_cars_each_with_its_own_work(session):
    owner, ls, rz = kenji(session)
    found = work_by_car(session, owner.id, "can you take both my cars sat morning? ls needs an "
                                           "oil change, rz a tire rotation")
    assert [(c.vehicle_id, c.services) for c in found] == [
        (ls.id, ["oil_change"]), (rz.id, ["tire_rotation"])]


def test_work_said_once_goes_to_both_cars(session):
    owner, ls, rz = kenji(session)
    found = work_by_car(session, owner.id, "oil change for the LS and the rz tuesday")
    assert [(c.vehicle_id, c.services) for c in found] == [
        (ls.id, ["oil_change"]), (rz.id, ["oil_change"])]


def test_work_said_before_the_car_it_is_for(session):
    owner, ls, rz = kenji(session)
    found = work_by_car(session, owner.id, "need an oil change on the ls and a tire rotation on "
                                           "the rz, can i bring both sat morning?")
    assert [(c.vehicle_id, c.services) for c in found] == [
        (ls.id, ["oil_change"]), (rz.id, ["tire_rotation"])]
    found = work_by_car(session, owner.id, "the rz for a rotation, also an alignment for my ls")
    assert [(c.vehicle_id, c.services) for c in found] == [
        (rz.id, ["tire_rotation"]), (ls.id, ["alignment"])]


def test_one_car_corrected_or_merely_mentioned_is_not_two(session):
    owner, _, _ = kenji(session)
    assert work_by_car(session, owner.id, "oil change on the ls. no wait, the rz") == []
    assert work_by_car(session, owner.id, "oil change on my ls friday") == []
    # the loaner wished for, of a line the owner also owns, is no second car
    assert work_by_car(session, owner.id, "need the RZ in wed at 10 for a tire rotation and "
                       "alignment, can i get a loaner? an LS would be sweet lol") == []
    marcus = find_owner_by_mobile(session, MARCUS)
    # "is" is a word before it is a Lexus: an owner without an IS, or with one, alike
    assert work_by_car(session, marcus.id, "is the es due? the gx is fine") == []


def test_both_in_answer_to_which_car(session):
    owner, ls, rz = kenji(session)
    assert [c.vehicle_id for c in both_answered(session, owner.id, "both", ["oil_change"])] \
        == [ls.id, rz.id]
    assert both_answered(session, owner.id, "the ls", ["oil_change"]) == []


def test_another_car_joined_to_the_booking(session):
    owner, ls, rz = kenji(session)
    added = car_added(session, owner.id, "oh and the rz needs a tire rotation, same time as my "
                      "oil change", ls.id, ["oil_change"], [])
    assert added == CarWork(rz.id, rz.label, ["tire_rotation"])
    # no work named: the booking's own
    assert car_added(session, owner.id, "the rz too please", ls.id, ["oil_change"], []) == \
        CarWork(rz.id, rz.label, ["oil_change"])
    # a switch is not an addition, and the booking's own car is not another
    assert car_added(session, owner.id, "actually do the rz instead", ls.id, ["oil_change"],
                     []) is None
    assert car_added(session, owner.id, "and the ls needs wipers too", ls.id, ["oil_change"],
                     []) is None


def at_nine_tomorrow(session) -> datetime:
    now = local_now(session)
    day = now + timedelta(days=1)
    while day.weekday() == 6:
        day += timedelta(days=1)
    return day.replace(hour=9, minute=0, second=0, microsecond=0)


def test_both_visits_are_written_or_neither(session):
    owner, ls, rz = kenji(session)
    start = at_nine_tomorrow(session)
    request = BookingRequest(owner_id=owner.id, vehicle_id=ls.id, vehicle=ls.label,
                             services=["oil_change"], start=start, transport="loaner")
    beside = [CarWork(rz.id, rz.label, ["tire_rotation"])]
    booked = book_together(session, request, beside, local_now(session))
    assert isinstance(booked, BookedTogether)
    visits = session.scalars(select(m.Appointment).where(
        m.Appointment.owner_id == owner.id, m.Appointment.starts_at == start)).all()
    rides = {v.vehicle_id: v.transport for v in visits}
    # one owner, one loaner: it goes with the first car's visit
    assert rides == {ls.id: "loaner", rz.id: "wait"}
    assert booked.beside[0][1] != booked.first.code


def test_no_room_for_the_second_car_writes_neither(session):
    owner, ls, rz = kenji(session)
    start = at_nine_tomorrow(session)
    lanes = session.scalars(select(m.ServiceLane).order_by(m.ServiceLane.number)).all()
    for lane in lanes[1:]:
        lane.active = False  # one lane: room for one car at nine
    request = BookingRequest(owner_id=owner.id, vehicle_id=ls.id, vehicle=ls.label,
                             services=["oil_change"], start=start, transport="wait")
    found = book_together(session, request, [CarWork(rz.id, rz.label, ["tire_rotation"])],
                          local_now(session))
    assert found == Retry("appointment_time", start)
    assert session.scalars(select(m.Appointment).where(
        m.Appointment.owner_id == owner.id, m.Appointment.starts_at == start)).all() == []


def test_another_car_booked_at_the_time_of_a_visit_booked_already(session):
    owner, ls, rz = kenji(session)
    start = at_nine_tomorrow(session)
    now = local_now(session)
    first = book_together(session, BookingRequest(
        owner_id=owner.id, vehicle_id=ls.id, vehicle=ls.label, services=["oil_change"],
        start=start, transport="loaner"), [], now)
    visit = session.scalars(select(m.Appointment).where(
        m.Appointment.code == first.first.code)).one()
    booked = book_beside_visit(session, owner.id, visit.id,
                               [CarWork(rz.id, rz.label, ["tire_rotation"])], now)
    assert not isinstance(booked, Retry)
    [(summary, code)] = booked
    rz_visit = session.scalars(select(m.Appointment).where(m.Appointment.code == code)).one()
    # the same time; one owner, one loaner, so no ride of ours for the second car
    assert (rz_visit.vehicle_id, rz_visit.starts_at, rz_visit.transport) == (rz.id, start, "wait")
    assert [s.code for s in rz_visit.services] == ["tire_rotation"]
    # no room at that time for it: nothing written
    lanes = session.scalars(select(m.ServiceLane).order_by(m.ServiceLane.number)).all()
    later = start + timedelta(days=1)  # (a day the rz is not in)
    while later.weekday() == 6:
        later += timedelta(days=1)
    for lane in lanes[1:]:
        lane.active = False
    other = book_together(session, BookingRequest(
        owner_id=owner.id, vehicle_id=ls.id, vehicle=ls.label, services=["tire_rotation"],
        start=later, transport="wait"), [], now)
    visit = session.scalars(select(m.Appointment).where(
        m.Appointment.code == other.first.code)).one()
    before = session.scalars(select(m.Appointment)).all()
    assert book_beside_visit(session, owner.id, visit.id,
                             [CarWork(rz.id, rz.label, ["oil_change"])], now) == \
        Retry("appointment_time", later)
    assert session.scalars(select(m.Appointment)).all() == before


def test_a_car_pointed_at_is_not_brought(session):
    owner, ls, rz = kenji(session)
    assert car_added(session, owner.id, "ok put it in then too, same time, shuttle like the rz",
                     ls.id, ["oil_change"], []) is None
    assert car_added(session, owner.id, "and same time as my rz please", ls.id, ["oil_change"],
                     []) is None
    assert car_added(session, owner.id, "can u do the ls tmrw too? the rz is already in at 9",
                     ls.id, ["oil_change"], []) is None


def test_a_car_already_in_that_day_is_not_booked_twice_its_work_joins_the_visit(session):
    owner, ls, rz = kenji(session)
    start = at_nine_tomorrow(session)
    now = local_now(session)
    book_together(session, BookingRequest(owner_id=owner.id, vehicle_id=rz.id, vehicle=rz.label,
                                          services=["oil_change"], start=start,
                                          transport="shuttle"), [], now)
    later = start + timedelta(hours=2)
    booked = book_together(session, BookingRequest(
        owner_id=owner.id, vehicle_id=ls.id, vehicle=ls.label, services=["oil_change"],
        start=later, transport="wait"), [CarWork(rz.id, rz.label, ["tire_rotation"])], now)
    assert isinstance(booked, BookedTogether)
    rz_visits = session.scalars(select(m.Appointment).where(
        m.Appointment.vehicle_id == rz.id, m.Appointment.status == "scheduled")).all()
    assert [v.starts_at for v in rz_visits] == [start]
    assert {s.code for s in rz_visits[0].services} == {"oil_change", "tire_rotation"}
    assert booked.beside[0][1] == rz_visits[0].code


def test_same_time_as_the_other_cars_visit(session):
    owner, ls, rz = kenji(session)
    start = at_nine_tomorrow(session)
    book_together(session, BookingRequest(owner_id=owner.id, vehicle_id=rz.id, vehicle=rz.label,
                                          services=["oil_change"], start=start,
                                          transport="shuttle"), [], local_now(session))
    now = local_now(session)
    assert same_time_as(session, owner.id, "put the ls in too, same time, shuttle like the rz",
                        ls.id, now) == start
    assert same_time_as(session, owner.id, "same time please", ls.id, now) == start
    assert same_time_as(session, owner.id, "tomorrow at 9", ls.id, now) is None
    # the booking's own car's visit is not another car's
    assert same_time_as(session, owner.id, "same time please", rz.id, now) is None
