"""The invariants the database itself keeps, on SQLite and on PostgreSQL, with two writers."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.dealership import models as m
from bot.dealership.db import get_engine

NINE = datetime(2026, 12, 1, 15, 0, tzinfo=timezone.utc)  # Tue Dec 1, 9:00 in Austin


def add(url: str, *rows) -> list:
    with Session(get_engine(url), future=True, expire_on_commit=False) as session:
        session.add_all(rows)
        session.commit()
    return list(rows)


def owner(n: int = 1) -> m.Owner:
    return m.Owner(name=f"Owner {n}", mobile=f"+1512555{n:04d}", sms_consent=True)


def vehicle(own: m.Owner, vin: str = "JTJHZMDA1M2000142") -> m.Vehicle:
    return m.Vehicle(owner=own, vin=vin, year=2021, make="Lexus", model="RX 350", mileage=1)


def loaner(vin: str = "58ADZ1B10TU000001", plate: str = "LKS-1") -> m.Loaner:
    return m.Loaner(vin=vin, plate=plate, year=2026, make="Lexus", model="ES 350")


def reservation(car: m.Loaner, own: m.Owner, start: datetime, hours: int = 8,
                status: str = "reserved") -> m.LoanerReservation:
    return m.LoanerReservation(loaner_id=car.id, owner_id=own.id, starts_at=start,
                               ends_at=start + timedelta(hours=hours), status=status)


def appointment(car: m.Vehicle, lane: m.ServiceLane, start: datetime, code: str,
                status: str = "scheduled") -> m.Appointment:
    return m.Appointment(code=code, owner_id=car.owner_id, vehicle_id=car.id, lane_id=lane.id,
                         starts_at=start, ends_at=start + timedelta(hours=1), status=status)


def rejected(url: str, *rows) -> bool:
    try:
        add(url, *rows)
    except IntegrityError:
        return True
    return False


def test_vin_is_unique(db):
    dana, marcus = add(db, owner(1), owner(2))
    add(db, vehicle(dana))
    assert rejected(db, vehicle(marcus))


def test_owner_mobile_is_unique(db):
    add(db, owner(1))
    assert rejected(db, m.Owner(name="Someone else", mobile=owner(1).mobile))


def test_vin_has_17_characters_and_leases_alone_end(db):
    (dana,) = add(db, owner(1))
    assert rejected(db, vehicle(dana, vin="JTJHZMDA1M200014"))
    car = vehicle(dana)
    car.lease_end_date = date(2027, 2, 28)
    assert rejected(db, car)


def test_a_loaner_cannot_be_reserved_twice_at_once(db):
    dana, marcus = add(db, owner(1), owner(2))
    (car,) = add(db, loaner())
    add(db, reservation(car, dana, NINE))
    assert rejected(db, reservation(car, marcus, NINE + timedelta(hours=7)))
    assert rejected(db, reservation(car, marcus, NINE - timedelta(hours=1), hours=20))
    # Back to back is fine, and so is a reservation over a cancelled one.
    add(db, reservation(car, marcus, NINE + timedelta(hours=8)))
    add(db, reservation(car, marcus, NINE - timedelta(days=2), status="cancelled"),
        reservation(car, marcus, NINE - timedelta(days=2)))


def test_moving_a_reservation_onto_another_is_refused(db):
    dana, marcus = add(db, owner(1), owner(2))
    (car,) = add(db, loaner())
    add(db, reservation(car, dana, NINE))
    (later,) = add(db, reservation(car, marcus, NINE + timedelta(days=1)))
    with Session(get_engine(db), future=True) as session:
        row = session.get(m.LoanerReservation, later.id)
        row.starts_at = NINE + timedelta(hours=2)
        with pytest.raises(IntegrityError):
            session.commit()


def test_a_slot_takes_no_more_appointments_than_the_shop_has_lanes(db):
    (dana,) = add(db, owner(1))
    (car,) = add(db, vehicle(dana))
    lanes = add(db, m.ServiceLane(number=1), m.ServiceLane(number=2))
    add(db, appointment(car, lanes[0], NINE, "AAAAAA"), appointment(car, lanes[1], NINE, "BBBBBB"))
    assert all(rejected(db, appointment(car, lane, NINE, "CCCCCC")) for lane in lanes)
    # A cancelled appointment frees its place; the next slot is free anyway.
    add(db, appointment(car, lanes[0], NINE + timedelta(minutes=30), "DDDDDD"))
    with Session(get_engine(db), future=True) as session:
        session.execute(update(m.Appointment).where(m.Appointment.code == "AAAAAA")
                        .values(status="cancelled"))
        session.commit()
    add(db, appointment(car, lanes[0], NINE, "EEEEEE"))


def race(url: str, make_rows) -> list[str]:
    """Two writers add conflicting rows at the same moment; returns how each one ended."""
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def writer(n: int) -> None:
        with Session(get_engine(url), future=True) as session:
            session.begin()
            barrier.wait()
            session.add(make_rows(n))
            try:
                session.commit()
                outcomes.append("committed")
            except IntegrityError:
                session.rollback()
                outcomes.append("refused")

    threads = [threading.Thread(target=writer, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


def test_two_writers_cannot_both_take_one_loaner(db):
    dana, marcus = add(db, owner(1), owner(2))
    (car,) = add(db, loaner())
    who = {1: dana, 2: marcus}
    outcomes = race(db, lambda n: reservation(car, who[n], NINE + timedelta(minutes=n)))
    assert outcomes == ["committed", "refused"]


def test_two_writers_cannot_both_take_the_last_place_in_a_slot(db):
    (dana,) = add(db, owner(1))
    (car,) = add(db, vehicle(dana))
    (lane,) = add(db, m.ServiceLane(number=1))
    outcomes = race(db, lambda n: appointment(car, lane, NINE, f"RACE{n}X"))
    assert outcomes == ["committed", "refused"]


def test_a_guest_car_may_wait_for_its_vin_and_year(db):
    (guest,) = add(db, owner(3))
    add(db, m.Vehicle(owner=guest, make="Lexus", model="NX"),
        m.Vehicle(owner=guest, make="Lexus", model="RX"))  # two without VIN are not a clash
