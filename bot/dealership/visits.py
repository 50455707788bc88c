"""An owner's visits as they are told: what is booked, and how the car is coming along (the
use case behind "when is my appointment?" and "is my car ready?"). Conversation-free."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.dealership import appointments, services
from bot.dealership import models as m
from bot.dealership.booking import priced_work
from bot.dealership.profile import get_dealership


@dataclass(frozen=True)
class Visit:
    code: str
    services: list[str]  # the services' names
    car: str
    starts_at: datetime
    transport: str | None = None  # how the owner gets around meanwhile


def visit_of(appointment: m.Appointment) -> Visit:
    return Visit(appointment.code, [s.name for s in appointment.services],
                 appointment.vehicle.label, appointment.starts_at, appointment.transport)


def booked(session: Session, owner_id: int, now: datetime) -> list[Visit]:
    """The owner's upcoming appointments, soonest first."""
    return [visit_of(a) for a in appointments.upcoming(session, owner_id, now)]


@dataclass(frozen=True)
class CarStatus:
    """The visit an owner means by "is my car ready": `status` is the appointment's
    ("scheduled", "checked_in", "in_progress", "ready_for_pickup", "completed", "cancelled")."""

    car: str
    status: str
    starts_at: datetime


def car_status(session: Session, owner_id: int, now: datetime) -> CarStatus | None:
    """The car in the shop now, else today's or the next visit; None: no visit to speak of."""
    visit = appointments.latest_visit(session, owner_id, now)
    if visit is None:
        return None
    return CarStatus(visit.vehicle.label, visit.status, visit.starts_at)


@dataclass(frozen=True)
class VisitWork:
    """All the work of one visit: what "how long will it all take?" asks about."""

    services: list[str]  # the services' names
    minutes: int
    estimate: str | None
    wait_ok: bool  # short enough to wait for in the lounge


def work_of_visit(session: Session, owner_id: int, code: str) -> VisitWork:
    """The work booked on the owner's visit `code`, how long it takes and its estimate."""
    appointment = appointments.by_code(session, owner_id, code)
    found = list(appointment.services)
    minutes = services.duration_minutes(found)
    priced = priced_work(session, appointment.vehicle_id, [s.code for s in found],
                         appointment.starts_at)
    estimate = services.estimate(services.resolve(session, priced)[0])
    return VisitWork([s.name for s in found], minutes, estimate,
                     minutes <= get_dealership(session).wait_up_to_minutes)
