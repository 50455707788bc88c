"""Answers about one owner's own car, computed from the database: warranty, maintenance, lease.

Every date is the dealership's local date; a coverage or interval ends at its date or its
mileage, whichever comes first, and the day it ends is its last covered day's end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.dealership import models as m
from bot.dealership.profile import get_dealership


def is_hybrid(vehicle: m.Vehicle) -> bool:
    """RX 350h, NX 450h+, RZ 450e: Lexus names its hybrids and electrics by the suffix."""
    return vehicle.model.split()[-1].lower().rstrip("+").endswith(("h", "e"))


@dataclass(frozen=True)
class CoverageStatus:
    name: str
    ends_on: date
    ends_at_miles: int
    active: bool
    ended_by: str | None  # "date" or "miles" once it has ended
    includes_roadside: bool = False  # roadside assistance comes with it
    covers: str = ""  # what it covers, as the dealership's data says it


def coverages(session: Session, vehicle: m.Vehicle, today: date) -> list[CoverageStatus]:
    """Each factory coverage that applies to `vehicle`, with its end by date and by miles.

    A coverage is in force through the day before its anniversary and below its mileage; a car
    with no in-service date (a guest's, before check-in) has none that can be stated.
    """
    if vehicle.in_service_date is None:
        return []
    found = []
    rows = session.execute(select(m.Coverage).order_by(m.Coverage.years)).scalars()
    for coverage in rows:
        if coverage.applies_to == "hybrid" and not is_hybrid(vehicle):
            continue
        ends_on = vehicle.in_service_date + relativedelta(years=coverage.years)
        by_date = today >= ends_on
        by_miles = vehicle.mileage is not None and vehicle.mileage >= coverage.miles
        ended_by = "date" if by_date else "miles" if by_miles else None
        found.append(CoverageStatus(coverage.name, ends_on, coverage.miles, ended_by is None,
                                    ended_by, bool(coverage.includes_roadside),
                                    coverage.description or ""))
    return found


@dataclass(frozen=True)
class MaintenanceDue:
    due_on: date
    due_at_miles: int
    overdue: bool
    mileage: int | None
    last_service_date: date | None
    complimentary: bool = False  # the visit due is free: the car is new enough


def complimentary_on(session: Session, vehicle: m.Vehicle, day: date,
                     at_miles: int | None = None) -> bool:
    """Whether scheduled maintenance on `day` (at `at_miles`, or the car's mileage now) falls in
    the free maintenance a new car has: so many months from in service, or miles."""
    dealership = get_dealership(session)
    if not dealership.complimentary_months or vehicle.in_service_date is None:
        return False
    miles = at_miles if at_miles is not None else vehicle.mileage or 0
    return day <= vehicle.in_service_date + relativedelta(
        months=dealership.complimentary_months) and miles <= dealership.complimentary_miles


def maintenance_due(session: Session, vehicle: m.Vehicle, today: date) -> MaintenanceDue:
    """The next maintenance visit: the interval after the last one, by miles or months.

    Without a recorded visit the schedule counts from the in-service date and zero miles: the
    next visit is the next milestone (date or miles) the car has not reached yet.
    """
    dealership = get_dealership(session)
    every_miles, every_months = dealership.maintenance_miles, dealership.maintenance_months
    mileage = vehicle.mileage
    if vehicle.last_service_date is not None:
        due_on = vehicle.last_service_date + relativedelta(months=every_months)
        due_miles = (vehicle.last_service_mileage or 0) + every_miles
    else:
        due_on = (vehicle.in_service_date or today) + relativedelta(months=every_months)
        while due_on <= today:
            due_on += relativedelta(months=every_months)
        due_miles = ((mileage or 0) // every_miles + 1) * every_miles
    overdue = today >= due_on or (mileage is not None and mileage >= due_miles)
    return MaintenanceDue(due_on, due_miles, overdue, mileage, vehicle.last_service_date,
                          complimentary_on(session, vehicle, min(due_on, today) if overdue
                                           else due_on, due_miles))


@dataclass(frozen=True)
class LeaseEnd:
    ends_on: date
    days_left: int


def lease_end(vehicle: m.Vehicle, today: date) -> LeaseEnd | None:
    if vehicle.ownership != "leased" or vehicle.lease_end_date is None:
        return None
    return LeaseEnd(vehicle.lease_end_date, (vehicle.lease_end_date - today).days)


def open_recalls(session: Session, vin: str | None) -> list[m.Recall]:
    if not vin:
        return []  # a car a guest named when booking: no VIN, no recalls known
    return list(session.execute(
        select(m.Recall).where(m.Recall.vin == vin.upper(), m.Recall.status == "open")
        .order_by(m.Recall.safety_risk.desc(), m.Recall.published_on)).scalars())


def remedied_recalls(session: Session, vin: str | None) -> list[m.Recall]:
    if not vin:
        return []
    return list(session.execute(
        select(m.Recall).where(m.Recall.vin == vin.upper(), m.Recall.status == "remedied")
        .order_by(m.Recall.published_on)).scalars())


def car_by_vin(session: Session, vin: str) -> m.Vehicle | None:
    return session.execute(select(m.Vehicle).where(m.Vehicle.vin == vin)).scalar_one_or_none()
