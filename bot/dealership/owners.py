"""Who is texting: owners found by their mobile number."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.dealership.models import Owner, Vehicle
from bot.dealership.phones import InvalidPhoneNumber, to_e164


def find_owner_by_mobile(session: Session, raw_number: str) -> Owner | None:
    """The owner whose mobile is `raw_number` in any common notation; None for guests."""
    try:
        mobile = to_e164(raw_number)
    except InvalidPhoneNumber:
        return None
    return session.execute(
        select(Owner).where(Owner.mobile == mobile).options(selectinload(Owner.vehicles))
    ).scalar_one_or_none()


def register_guest(session: Session, *, name: str, mobile: str, model: str, make: str
                   ) -> tuple[Owner, Vehicle]:
    """The owner record a guest's first booking creates (or finds, for a known mobile), and
    their car by its model. A guest who texts in has asked for replies: SMS consent is set."""
    e164 = to_e164(mobile)
    owner = session.execute(select(Owner).where(Owner.mobile == e164)).scalar_one_or_none()
    if owner is None:
        owner = Owner(name=" ".join(name.split()).title()[:120], mobile=e164, sms_consent=True)
        session.add(owner)
        session.flush()
    for vehicle in owner.vehicles:
        if vehicle.model.lower() == model.lower():
            return owner, vehicle
    vehicle = Vehicle(owner=owner, make=make, model=model)
    session.add(vehicle)
    session.flush()
    return owner, vehicle
