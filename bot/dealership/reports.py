"""Problem reports: a case is written the moment an owner reports something, then completed
as they answer, so nothing they said is lost if they stop halfway."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.dealership import models as m
from bot.dealership.codes import new_code
from bot.dealership.triage import Finding, triage

MAX_DESCRIPTION = 4000


def open_case(session: Session, *, description: str, finding: Finding, owner_id: int | None,
              vehicle_id: int | None, conversation_id: str,
              media_urls: list[str] | None = None) -> m.IssueReport:
    case = m.IssueReport(
        reference="R" + new_code(5), owner_id=owner_id, vehicle_id=vehicle_id,
        conversation_id=conversation_id, description=description[:MAX_DESCRIPTION],
        category=finding.category, severity=finding.severity,
        warning_light=finding.warning_light, drivable=finding.drivable,
        since=finding.since[:80] if finding.since else None, media_urls=list(media_urls or []),
    )
    session.add(case)
    session.flush()
    return case


def by_reference(session: Session, reference: str) -> m.IssueReport | None:
    return session.execute(
        select(m.IssueReport).where(m.IssueReport.reference == reference)).scalar_one_or_none()


def add_details(session: Session, reference: str, *, vehicle_id: int | None = None,
                since: str | None = None, drivable: bool | None = None,
                more: str | None = None, media_urls: list[str] | None = None) -> m.IssueReport:
    """Adds what the owner answered (or sent) to the case."""
    case = by_reference(session, reference)
    if case is None:
        raise LookupError(reference)
    if vehicle_id is not None:
        case.vehicle_id = vehicle_id
    if since:
        case.since = since[:80]
    if drivable is not None:
        case.drivable = drivable
    if more:
        case.description = (case.description + "\n" + more)[:MAX_DESCRIPTION]
    if media_urls:
        case.media_urls = [*case.media_urls, *(u for u in media_urls if u not in case.media_urls)]
    session.flush()
    return case


def latest_case(session: Session, conversation_id: str, now: datetime,
                within: timedelta = timedelta(days=2)) -> m.IssueReport | None:
    """The conversation's most recent case still open, if it was reported lately: where a photo
    sent afterwards belongs."""
    return session.execute(
        select(m.IssueReport).where(m.IssueReport.conversation_id == conversation_id,
                                    m.IssueReport.status == "open",
                                    m.IssueReport.created_at >= now - within)
        .order_by(m.IssueReport.created_at.desc(), m.IssueReport.id.desc())).scalars().first()


def car_of_latest_case(session: Session, conversation_id: str, now: datetime) -> str | None:
    """The model of the car in the conversation's latest open case ("GX 550"), if any."""
    case = latest_case(session, conversation_id, now)
    car = session.get(m.Vehicle, case.vehicle_id) if case and case.vehicle_id else None
    return car.model if car is not None else None


@dataclass(frozen=True)
class FiledCase:
    """A written-up case as the owner hears it back, with the visit that fits the problem."""

    reference: str
    service: str | None  # the menu's code for the visit to offer, when the menu has it
    service_name: str  # that visit's name, lower case
    vehicle_id: int | None
    car: str | None  # the car's label, when the case is on one of the owner's cars
    drivable: bool | None


def filed(session: Session, reference: str) -> FiledCase:
    case = by_reference(session, reference)
    if case is None:
        raise LookupError(reference)
    service = triage(case.description).service
    name = session.execute(select(m.Service.name).where(m.Service.code == service)
                           ).scalar_one_or_none()
    car = session.get(m.Vehicle, case.vehicle_id) if case.vehicle_id else None
    return FiledCase(reference=reference, service=service if name else None,
                     service_name=(name or "").lower(), vehicle_id=car.id if car else None,
                     car=car.label if car else None, drivable=case.drivable)
