"""Problem reports, the use case: triage what the owner wrote, write the case at once (on the
car the message names, or the owner's only one), and alert staff right away when it is about
safety. Conversation-free: the caller chooses the words for what comes back."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from bot.dealership import reports, vehicles
from bot.dealership.handoff import open_ticket
from bot.dealership.owners import cars_of
from bot.dealership.phones import display
from bot.dealership.profile import get_dealership
from bot.dealership.triage import Finding, triage


@dataclass(frozen=True)
class ProblemReport:
    text: str  # the owner's own words
    owner_id: int | None
    conversation_id: str
    channel: str
    car_named: str | None = None  # the car the message names ("my lx"), if any
    media_urls: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Reported:
    finding: Finding
    reference: str
    car: str | None  # the owner's car the case is on
    roadside_phone: str


def report(session: Session, request: ProblemReport) -> Reported:
    finding = triage(request.text)
    car = None
    if request.owner_id is not None:
        cars = cars_of(session, request.owner_id)
        found = vehicles.match(cars, request.car_named) if request.car_named else []
        car = found[0] if len(found) == 1 else cars[0] if len(cars) == 1 else None
    case = reports.open_case(
        session, description=request.text, finding=finding, owner_id=request.owner_id,
        vehicle_id=car.id if car else None, conversation_id=request.conversation_id,
        media_urls=request.media_urls)
    if finding.safety:
        open_ticket(session, conversation_id=request.conversation_id, channel=request.channel,
                    owner_id=request.owner_id, urgency="urgent",
                    reason=f"SAFETY ({finding.category}), case {case.reference}: {request.text}",
                    summary=f"Safety: {finding.category.replace('_', ' ')}, case "
                            f"{case.reference}")
    return Reported(finding, case.reference, car.label if car else None,
                    display(get_dealership(session).roadside_phone))
