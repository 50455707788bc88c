"""An owner's own appointments: what is coming up, moving one, cancelling one, how it is going.

Every function takes the owner's id and touches that owner's appointments only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from bot.dealership import fleet
from bot.dealership import models as m
from bot.dealership.scheduling import SlotTaken, book, slot_is_open

ACTIVE = ("scheduled", "checked_in", "in_progress", "ready_for_pickup")


class NotYours(LookupError):
    """No such appointment among this owner's: never say whose it is."""


def _query(owner_id: int):
    return (select(m.Appointment)
            .where(m.Appointment.owner_id == owner_id)
            .options(selectinload(m.Appointment.services), selectinload(m.Appointment.vehicle))
            .order_by(m.Appointment.starts_at))


def upcoming(session: Session, owner_id: int, now: datetime) -> list[m.Appointment]:
    """Scheduled appointments that have not started, soonest first."""
    return list(session.execute(_query(owner_id).where(
        m.Appointment.status == "scheduled", m.Appointment.starts_at >= now)).scalars())


def note_running_late(session: Session, owner_id: int, now: datetime, said: str
                      ) -> m.Appointment | None:
    """Notes on the owner's next appointment, today or tomorrow (one that started up to two
    hours ago counts), that they are running late, in their words ("might be 15 min late
    tmrw"); None when nothing is booked by tomorrow's end."""
    end_of_day = datetime.combine(now.date() + timedelta(days=2), time(0), now.tzinfo)
    appointment = session.execute(_query(owner_id).where(
        m.Appointment.status == "scheduled", m.Appointment.starts_at >= now - timedelta(hours=2),
        m.Appointment.starts_at < end_of_day)).scalars().first()
    if appointment is not None:
        note = f"{now:%-I:%M %p}: running late: {' '.join(said.split())[:160]}"
        appointment.notes = f"{appointment.notes}\n{note}" if appointment.notes else note
        session.flush()
    return appointment


def in_shop(session: Session, owner_id: int) -> list[m.Appointment]:
    """Cars of this owner at the dealership now (checked in, in progress, ready for pickup)."""
    return list(session.execute(_query(owner_id).where(
        m.Appointment.status.in_(("checked_in", "in_progress", "ready_for_pickup")))).scalars())


def owned(session: Session, owner_id: int, appointment_id: int) -> m.Appointment:
    appointment = session.execute(
        _query(owner_id).where(m.Appointment.id == appointment_id)).scalar_one_or_none()
    if appointment is None:
        raise NotYours(appointment_id)
    return appointment


def by_code(session: Session, owner_id: int, code: str) -> m.Appointment:
    appointment = session.execute(
        _query(owner_id).where(m.Appointment.code == code.strip().upper())).scalar_one_or_none()
    if appointment is None:
        raise NotYours(code)
    return appointment


def loaner_of(session: Session, appointment: m.Appointment) -> m.LoanerReservation | None:
    return session.execute(
        select(m.LoanerReservation)
        .where(m.LoanerReservation.appointment_id == appointment.id,
               m.LoanerReservation.status.in_(fleet.LIVE))
        .options(selectinload(m.LoanerReservation.loaner))
    ).scalar_one_or_none()


def last_cancelled(session: Session, owner_id: int, since: datetime) -> m.Appointment | None:
    """The owner's appointment cancelled most lately, if that was after `since`."""
    return session.execute(_query(owner_id).where(
        m.Appointment.status == "cancelled", m.Appointment.updated_at >= since)
        .order_by(None).order_by(m.Appointment.updated_at.desc()).limit(1)).scalar_one_or_none()


def cancel(session: Session, owner_id: int, appointment_id: int) -> m.Appointment:
    """Cancels a scheduled appointment and frees its loaner."""
    appointment = owned(session, owner_id, appointment_id)
    if appointment.status != "scheduled":
        raise ValueError(f"an appointment that is {appointment.status} cannot be cancelled")
    appointment.status = "cancelled"
    if reservation := loaner_of(session, appointment):
        reservation.status = "cancelled"
    if entry := fleet.waitlist_entry(session, appointment):
        entry.status = "cancelled"
    session.flush()
    return appointment


@dataclass
class Moved:
    appointment: m.Appointment
    loaner: m.LoanerReservation | None  # the reservation it now has, if it had one
    loaner_lost: bool = False  # it had a loaner, and none is free at the new time


def reschedule(session: Session, owner_id: int, appointment_id: int, start: datetime,
               now: datetime) -> Moved:
    """Moves an appointment (and its loaner) to `start`; SlotTaken when that slot is not open.

    Inside a savepoint the old place is released first, so a move within the same day's slots
    works; if the new place is gone (or another writer takes it meanwhile) nothing changes.
    """
    appointment = owned(session, owner_id, appointment_id)
    if appointment.status != "scheduled":
        raise ValueError(f"an appointment that is {appointment.status} cannot be moved")
    duration = appointment.ends_at - appointment.starts_at
    try:
        with session.begin_nested():
            appointment.status = "cancelled"
            session.flush()
            if not slot_is_open(session, start, int(duration.total_seconds() // 60), now):
                raise SlotTaken(start)
            taken = select(m.Appointment.lane_id).where(
                m.Appointment.starts_at == start, m.Appointment.status != "cancelled")
            lane = session.execute(
                select(m.ServiceLane.id).where(m.ServiceLane.active.is_(True),
                                               m.ServiceLane.id.not_in(taken))
                .order_by(m.ServiceLane.number)).scalars().first()
            if lane is None:
                raise SlotTaken(start)
            appointment.starts_at, appointment.ends_at = start, start + duration
            appointment.lane_id, appointment.status = lane, "scheduled"
            session.flush()
    except IntegrityError as error:
        raise SlotTaken(start) from error
    return Moved(appointment, *_move_loaner(session, appointment))


def _move_loaner(session: Session, appointment: m.Appointment
                 ) -> tuple[m.LoanerReservation | None, bool]:
    old = loaner_of(session, appointment)
    if old is None:
        if entry := fleet.waitlist_entry(session, appointment):
            entry.starts_at, entry.ends_at = fleet.loaner_period(
                session, appointment.starts_at, appointment.ends_at)
        return None, False
    start, end = fleet.loaner_period(session, appointment.starts_at, appointment.ends_at)
    old.status = "cancelled"
    session.flush()
    line = appointment.vehicle.model_line
    new = fleet.reserve(session, owner_id=appointment.owner_id, line=line, start=start, end=end,
                        appointment_id=appointment.id)
    if new is None:
        appointment.transport = "shuttle"  # no loaner then: the shuttle, as the owner was told
    return new, new is None


def latest_visit(session: Session, owner_id: int, now: datetime) -> m.Appointment | None:
    """The visit an owner means by "is my car ready": in the shop now, else today's or the next."""
    if cars := in_shop(session, owner_id):
        return cars[0]
    start_of_day = now - timedelta(hours=now.hour, minutes=now.minute)
    todays = list(session.execute(_query(owner_id).where(
        m.Appointment.starts_at >= start_of_day,
        m.Appointment.starts_at < start_of_day + timedelta(days=1),
        m.Appointment.status != "cancelled")).scalars())
    if todays:
        return todays[0]
    soon = upcoming(session, owner_id, now)
    return soon[0] if soon else None


class NoLoanerFree(Exception):
    """Every loaner is out for that time: offer the shuttle, another day or the waitlist."""


def loaner_free(session: Session, vehicle_id: int, start: datetime, duration_minutes: int
                ) -> m.Loaner | None:
    """The loaner an owner would get for an appointment at `start`, or None."""
    vehicle = session.get(m.Vehicle, vehicle_id)
    return loaner_for_line(session, vehicle.model_line, start, duration_minutes)


def loaner_for_line(session: Session, line: str, start: datetime, duration_minutes: int
                    ) -> m.Loaner | None:
    begin, end = fleet.loaner_period(session, start, start + timedelta(minutes=duration_minutes))
    cars = fleet.free_loaners(session, begin, end, line)
    return cars[0] if cars else None


@dataclass
class Booking:
    appointment: m.Appointment
    loaner: m.LoanerReservation | None


def make_booking(session: Session, *, owner_id: int, vehicle_id: int, service_codes: list[str],
                 start: datetime, transport: str, now: datetime,
                 loaner_line: str | None = None) -> Booking:
    """Books the appointment and, for transport "loaner", its loaner (the best for the line the
    owner asked for, else for their car's): both or neither.

    Transport "waitlist" (no loaner was free) books the shuttle and puts the owner on the
    loaner waitlist. SlotTaken or NoLoanerFree when someone else was faster; the caller's
    transaction then holds nothing of this booking (it runs in a savepoint).
    """
    vehicle = session.get(m.Vehicle, vehicle_id)
    if vehicle is None or vehicle.owner_id != owner_id:
        raise NotYours(vehicle_id)
    with session.begin_nested():
        appointment = book(session, owner_id=owner_id, vehicle_id=vehicle_id,
                           service_codes=service_codes, start=start,
                           transport="shuttle" if transport == "waitlist" else transport,
                           now=now)
        if transport == "waitlist":
            fleet.join_waitlist(session, appointment)
        reservation = None
        if transport == "loaner":
            begin, end = fleet.loaner_period(session, appointment.starts_at, appointment.ends_at)
            reservation = fleet.reserve(session, owner_id=owner_id,
                                        line=loaner_line if loaner_line and fleet.lendable(
                                            session, loaner_line, vehicle.model_line)
                                        else vehicle.model_line,
                                        start=begin, end=end, appointment_id=appointment.id)
            if reservation is None:
                raise NoLoanerFree(start)
    return Booking(appointment, reservation)


def nearest_loaner_slot(session: Session, line: str, start: datetime, duration_minutes: int,
                        now: datetime, days: int = 14) -> datetime | None:
    """The open slot nearest after `start`'s day, at about the same time, with a loaner free."""
    from bot.dealership.dates import When
    from bot.dealership.scheduling import open_slots

    for offset in range(1, days + 1):
        day = (start + timedelta(days=offset)).date()
        at = start.timetz().replace(tzinfo=None)
        offer = open_slots(session, When(first_day=day, last_day=day, at=at), duration_minutes,
                           now)
        target = start + timedelta(days=offset)
        for slot in sorted(offer.slots, key=lambda s: abs(s - target)):
            if slot.date() == day and loaner_for_line(session, line, slot, duration_minutes):
                return slot
    return None
