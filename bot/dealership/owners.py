"""Who is texting: owners found by their mobile number. Guests who book become owners when
their number is proven (they texted from it); a web visitor's booking is kept on a guest
record that staff reconcile."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from bot.dealership.models import (
    Appointment,
    IssueReport,
    LoanerReservation,
    LoanerWaitlist,
    Owner,
    Vehicle,
    WebSession,
)
from bot.dealership.phones import InvalidPhoneNumber, to_e164

WEB_GUEST = "web"


def find_owner_by_mobile(session: Session, raw_number: str) -> Owner | None:
    """The owner whose mobile is `raw_number` in any common notation; None for guests."""
    try:
        mobile = to_e164(raw_number)
    except InvalidPhoneNumber:
        return None
    return session.execute(
        select(Owner).where(Owner.mobile == mobile).options(selectinload(Owner.vehicles))
    ).scalar_one_or_none()


def register_guest(session: Session, *, name: str, mobile: str, model: str, make: str,
                   year: int | None = None) -> tuple[Owner, Vehicle]:
    """The owner record a guest's first booking creates (or finds, for a known mobile), and
    their car by its model. Only for a number the guest proved by texting from it: such a
    guest has asked for replies, so SMS consent is set."""
    e164 = to_e164(mobile)
    owner = session.execute(select(Owner).where(Owner.mobile == e164)).scalar_one_or_none()
    if owner is None:
        owner = Owner(name=_name(name), mobile=e164, sms_consent=True)
        session.add(owner)
        session.flush()
    return owner, _car(session, owner, model, make, year)


def register_web_guest(session: Session, *, conversation_id: str, name: str, gave: str,
                       model: str, make: str, year: int | None = None) -> tuple[Owner, Vehicle]:
    """The guest record of a web chat's booking (one per chat, made at its first booking). The
    number the visitor gave is kept as `unverified_mobile` only: it attaches nothing to the
    owner whose number it may be, and makes nobody's identity. Whether it matches an owner is
    not looked at here, so booking takes the same work either way; staff see it (`on_file`)."""
    chat = session.execute(select(WebSession).where(
        WebSession.conversation_id == conversation_id)).scalar_one_or_none()
    owner = session.get(Owner, chat.guest_owner_id) if chat and chat.guest_owner_id else None
    if owner is None:
        owner = Owner(name=_name(name), mobile=None, sms_consent=False, source=WEB_GUEST)
        session.add(owner)
        session.flush()
        if chat is not None:
            chat.guest_owner_id = owner.id
    owner.unverified_mobile = to_e164(gave)
    return owner, _car(session, owner, model, make, year)


def on_file(session: Session, guest: Owner) -> Owner | None:
    """The owner whose proven mobile is the number a guest record's visitor gave, if any."""
    if not guest.unverified_mobile:
        return None
    return session.execute(select(Owner).where(
        Owner.mobile == guest.unverified_mobile)).scalar_one_or_none()


def _name(name: str) -> str:
    return " ".join(name.split()).title()[:120]


def _car(session: Session, owner: Owner, model: str, make: str, year: int | None) -> Vehicle:
    for vehicle in owner.vehicles:
        if vehicle.model.lower() == model.lower() and year in (None, vehicle.year) or \
                vehicle.model.lower() == model.lower() and vehicle.year is None:
            vehicle.year = vehicle.year or year
            return vehicle
    vehicle = Vehicle(owner=owner, make=make, model=model, year=year)
    session.add(vehicle)
    session.flush()
    return vehicle


# A guest record whose bookings staff moved to the owner on file with the number given.
MOVED = "moved"


def move_to_owner_on_file(session: Session, guest: Owner) -> Owner | None:
    """Moves a web guest record's cars, appointments, loaners, waitlist places and cases to the
    owner whose number the visitor gave, once staff called that owner and are sure it was
    them. A car the owner already has (same model) takes the guest's appointments; the record
    stays, empty, marked moved. None (nothing moved) when no owner has that number."""
    owner = on_file(session, guest) if guest.source == WEB_GUEST else None
    if owner is None:
        return None
    for car in list(guest.vehicles):
        same = next((v for v in owner.vehicles if v.model.lower() == car.model.lower()
                     and car.year in (None, v.year)), None)
        if same is None:
            car.owner_id = owner.id
            continue
        for table in (Appointment, IssueReport):
            session.execute(update(table).where(table.vehicle_id == car.id)
                            .values(vehicle_id=same.id))
        session.delete(car)
    for table in (Appointment, LoanerReservation, LoanerWaitlist, IssueReport):
        session.execute(update(table).where(table.owner_id == guest.id)
                        .values(owner_id=owner.id))
    guest.source = MOVED
    session.flush()
    session.expire_all()
    return owner


def owner_by_id(session: Session, owner_id: int) -> Owner | None:
    return session.get(Owner, owner_id)


def cars_of(session: Session, owner_id: int) -> list[Vehicle]:
    """An owner's cars, in the order the account lists them."""
    owner = session.get(Owner, owner_id)
    return list(owner.vehicles) if owner is not None else []


def car_label(session: Session, vehicle_id: int) -> str | None:
    """How a car is named to its owner ("2021 RX 350")."""
    car = session.get(Vehicle, vehicle_id)
    return car.label if car is not None else None
