"""Changing an appointment, the use case: which of the owner's appointments a reply means,
then cancelling or moving it (the caller asks for a yes first). Conversation-free."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from bot.dealership import appointments, fleet
from bot.dealership import models as m
from bot.dealership.booking import visit_that_day
from bot.dealership.cars_together import cars_named
from bot.dealership.dates import parse_when
from bot.dealership.owners import cars_of

ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}


@dataclass(frozen=True)
class PickRequest:
    owner_id: int
    text: str  # the owner's reply
    code: str | None = None  # the appointment picked before in this conversation
    offered: list[str] = field(default_factory=list)  # codes listed, numbered, to pick from


@dataclass(frozen=True)
class Picked:
    """The owner's upcoming appointments, and the one meant when that is clear."""

    chosen: m.Appointment | None
    booked: list[m.Appointment]
    car_without: str | None = None  # the car the owner named, which has nothing booked


def pick_appointment(text: str, booked: list[m.Appointment], offered: list[str]
                     ) -> m.Appointment | None:
    """Which of the owner's appointments a reply means: its code, its number, its service."""
    said = text.lower()
    for appointment in booked:
        if appointment.code.lower() in said:
            return appointment
    by_code = {a.code: a for a in booked}
    if offered and (found := re.search(r"\b([1-3])\b|\b(first|second|third|1st|2nd|3rd)\b",
                                       said)):
        index = int(found.group(1)) if found.group(1) else ORDINALS[found.group(2)]
        if index <= len(offered):
            return by_code.get(offered[index - 1])
    named = [a for a in booked if any(word in said for s in a.services
                                      for word in s.name.lower().split() if len(word) > 3)]
    return named[0] if len(named) == 1 else None


# The visit named by its day: "the one on friday", "friday's appt", "my appointment tmrw".
VISIT_ON = re.compile(
    r"\b(?:one|appt|appointment|visit|booking)\s+(?:on\s+|for\s+)?((?:this\s+|next\s+)?"
    r"(?:[a-z]+day|mon|tues?|wed|thu(?:rs)?|fri|sat|today|tomorrow|tmrw|tmr)\b)"
    r"|\b([a-z]+day|today|tomorrow|tmrw)'?s\s+(?:one|appt|appointment|visit|booking)\b")


def day_of_visit(text: str, now: datetime) -> date | None:
    """The day a text names a visit by ("cancel the one on friday"), if it does."""
    found = VISIT_ON.search(text.lower())
    if found is None:
        return None
    when = parse_when(found.group(1) or found.group(2), now)
    return when.first_day if when is not None and when.first_day == when.last_day else None


def pick(session: Session, request: PickRequest, now: datetime) -> Picked:
    booked = appointments.upcoming(session, request.owner_id, now)
    chosen = next((a for a in booked if a.code == request.code), None)
    named = cars_named(cars_of(session, request.owner_id), request.text)
    if chosen is None and len(named) == 1:
        # "move my ls appointment": the LS's visit, or, with none, which one is meant
        car = named[0]
        of_car = [a for a in booked if a.vehicle_id == car.id]
        if not of_car:
            return Picked(None, booked, car.label)
        if len(of_car) == 1:
            return Picked(of_car[0], booked)
    if chosen is None and len(booked) == 1:
        chosen = booked[0]
    if chosen is None and (day := day_of_visit(request.text, now)) is not None:
        on_day = [a for a in booked if a.starts_at.astimezone(now.tzinfo).date() == day]
        chosen = on_day[0] if len(on_day) == 1 else None
    if chosen is None:
        chosen = pick_appointment(request.text, booked, request.offered)
    return Picked(chosen, booked)


def cancel(session: Session, owner_id: int, code: str) -> m.Appointment:
    """Cancels the owner's appointment `code` (NotYours, or ValueError when it can't be)."""
    appointment = appointments.by_code(session, owner_id, code)
    appointments.cancel(session, owner_id, appointment.id)
    return appointment


def move(session: Session, owner_id: int, code: str, start: datetime, now: datetime
         ) -> appointments.Moved:
    """Moves the owner's appointment `code` to `start`, with its loaner when one is free then
    (SlotTaken when the time went meanwhile; NotYours or ValueError when it can't be moved)."""
    appointment = appointments.by_code(session, owner_id, code)
    return appointments.reschedule(session, owner_id, appointment.id, start, now)


def loaner_lost_by_moving(session: Session, appointment: m.Appointment, start: datetime,
                          minutes: int) -> bool:
    """Whether moving the appointment to `start` would lose its loaner (none free then)."""
    return bool(appointments.loaner_of(session, appointment)) and not \
        appointments.loaner_for_line(session, appointment.vehicle.model_line, start, minutes)


class CarBusy(ValueError):
    """The car switched to has a visit of its own that day already."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def switch_car(session: Session, owner_id: int, code: str, vehicle_id: int, now: datetime
               ) -> m.Appointment:
    """Puts the owner's appointment `code` on another of their cars ("sorry, I meant the RZ"
    right after booking the LS): the same work and time (CarBusy when that car is in that day
    already; NotYours when either is not theirs)."""
    appointment = appointments.by_code(session, owner_id, code)
    car = session.get(m.Vehicle, vehicle_id)
    if car is None or car.owner_id != owner_id:
        raise appointments.NotYours(vehicle_id)
    zone = now.tzinfo
    busy = visit_that_day(session, owner_id, vehicle_id, appointment.starts_at.astimezone(zone),
                          now)
    if busy is not None and busy.id != appointment.id:
        raise CarBusy(busy.code)
    appointment.vehicle_id = vehicle_id
    if (held := appointments.loaner_of(session, appointment)) is not None:
        # the loaner goes with the car meant: the best free for its line, else the one held
        status, held.status = held.status, "cancelled"
        session.flush()
        begin, end = fleet.loaner_period(session, appointment.starts_at, appointment.ends_at)
        if fleet.reserve(session, owner_id=owner_id, line=car.model_line, start=begin, end=end,
                         appointment_id=appointment.id) is None:
            held.status = status
    session.flush()
    session.refresh(appointment)
    return appointment
