"""Problem reports, the use case: triage what the owner wrote, write the case at once (on the
car the message names, or the owner's only one), and alert staff right away when it is about
safety; then put the answers to the questions the story left out (which car, since when) on the
case, and photos sent afterwards too. Conversation-free: the caller chooses the words for what
comes back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot import clock
from bot.dealership import reports, vehicles
from bot.dealership.departments import department
from bot.dealership.handoff import open_ticket
from bot.dealership.models import Vehicle
from bot.dealership.owners import cars_of
from bot.dealership.phones import display
from bot.dealership.profile import get_dealership
from bot.dealership.recalls import OpenRecall, told_of
from bot.dealership.triage import SINCE, Finding, category_rule, said_drivable, triage


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
    service_phone: str
    vehicle_id: int | None = None
    added: bool = False  # added to the case reported moments ago, not a new one
    recall: OpenRecall | None = None  # an open recall on the car that may be this trouble


# A routine report this soon after another in the same conversation adds to that case.
ADDS_TO_CASE_WITHIN = timedelta(minutes=30)


def report(session: Session, request: ProblemReport) -> Reported:
    finding = triage(request.text)
    car = None
    if request.owner_id is not None:
        cars = cars_of(session, request.owner_id)
        found = vehicles.match(cars, request.car_named) if request.car_named else []
        car = found[0] if len(found) == 1 else cars[0] if len(cars) == 1 else None
        if finding.loaner and not found:
            car = None  # the loaner's trouble, not the owner's car's (in the shop)
    dealership = get_dealership(session)
    recent = reports.latest_case(session, request.conversation_id, clock.now(),
                                 within=ADDS_TO_CASE_WITHIN)
    if recent is not None and recent.severity == finding.severity == "routine" and \
            not finding.repeat and (car is None or car.id == recent.vehicle_id):
        # "oh and I forgot, there's a sweet smell too": the same visit, the same case
        reports.add_details(session, recent.reference, more=f"Also: {request.text}",
                            media_urls=request.media_urls)
        label = session.get(Vehicle, recent.vehicle_id).label if recent.vehicle_id else None
        return Reported(finding, recent.reference, label, display(dealership.roadside_phone),
                        display(dealership.service_phone), recent.vehicle_id, added=True)
    case = reports.open_case(
        session, description=request.text, finding=finding, owner_id=request.owner_id,
        vehicle_id=car.id if car else None, conversation_id=request.conversation_id,
        media_urls=request.media_urls)
    what = finding.category.replace("_", " ")
    if finding.ticket == "urgent":
        open_ticket(session, conversation_id=request.conversation_id, channel=request.channel,
                    owner_id=request.owner_id, urgency="urgent",
                    reason=f"SAFETY ({finding.category}), case {case.reference}: {request.text}",
                    summary=f"Safety: {what}, case {case.reference}")
    elif finding.ticket or finding.repeat or finding.loaner:
        # the loaner is the dealership's car: its team hears of any trouble with it
        kind = "Back again after a repair" if finding.repeat else \
            f"Loaner: {what}" if finding.loaner else what.capitalize()
        # damage after a collision is the collision center's, where the data file names one:
        # the team the table's situation sends the owner to
        rule = category_rule(finding.category)
        team = rule.situation.team if rule is not None and rule.situation.team and \
            department(session, rule.situation.team) else None
        open_ticket(session, conversation_id=request.conversation_id, channel=request.channel,
                    owner_id=request.owner_id, urgency="normal",
                    reason=f"{kind}, case {case.reference}: {request.text}",
                    summary=f"{kind}, case {case.reference}", department=team)
    return Reported(finding, case.reference, car.label if car else None,
                    display(dealership.roadside_phone), display(dealership.service_phone),
                    car.id if car else None,
                    recall=recall_told_of(session, car.id, request.text) if car else None)


@dataclass(frozen=True)
class TowedIn:
    conversation_id: str
    channel: str
    owner_id: int | None
    reference: str | None  # the case of the trouble, once written
    category: str  # the triage table's category of it
    text: str  # the owner's words


def towed_in(session: Session, request: TowedIn) -> None:
    """A car coming in by tow, which the owner was told an advisor will call about: the service
    team's ticket (the one open already, if any), so that the call is made."""
    case = f", case {request.reference}" if request.reference else ""
    what = request.category.replace("_", " ")
    open_ticket(session, conversation_id=request.conversation_id, channel=request.channel,
                owner_id=request.owner_id, urgency="normal",
                reason=f"Coming in by tow ({what}){case}: {request.text}",
                summary=f"Coming in by tow: {what}{case}")


def recall_of_case(session: Session, reference: str) -> OpenRecall | None:
    """The open recall on a case's car that its trouble may be."""
    case = reports.by_reference(session, reference)
    return recall_told_of(session, case.vehicle_id, case.description) \
        if case is not None and case.vehicle_id else None


def recall_told_of(session: Session, vehicle_id: int, text: str) -> OpenRecall | None:
    """The open recall on the car that the trouble told of may be (its part named)."""
    car = session.get(Vehicle, vehicle_id)
    return told_of(session, car.vin, text) if car is not None else None


def phones(session: Session) -> dict[str, str]:
    """The numbers an owner in trouble is given, as they are written to them."""
    dealership = get_dealership(session)
    collision = department(session, "collision")
    return {"roadside_phone": display(dealership.roadside_phone),
            "service_phone": display(dealership.service_phone),
            "collision_phone": display(collision.phone if collision and collision.phone
                                       else dealership.service_phone)}


def case_vehicle(session: Session, reference: str) -> int | None:
    """The owner's car a case is on, if any."""
    case = reports.by_reference(session, reference)
    return case.vehicle_id if case else None


@dataclass(frozen=True)
class CarAnswer:
    """The answer to "which car is it?" for the case `reference`."""

    reference: str
    owner_id: int | None  # None: a guest, whose car is a model we know
    text: str


@dataclass(frozen=True)
class CarNoted:
    car: str  # the owner's car's label, or the guest's model, now on the case


@dataclass(frozen=True)
class WhichOfCars:
    """The answer named none, or several, of the owner's cars: which of `cars`?"""

    cars: list[str]


@dataclass(frozen=True)
class WhichModel:
    """No model we know was named (or the owner has no car on file)."""


def note_car(session: Session, answer: CarAnswer) -> CarNoted | WhichOfCars | WhichModel:
    if answer.owner_id is None:
        model = vehicles.guest_model(answer.text, get_dealership(session).loaner_ladder or [])
        if model is None:
            return WhichModel()
        reports.add_details(session, answer.reference, more=f"Car: {model}")
        return CarNoted(model)
    cars = cars_of(session, answer.owner_id)
    found = vehicles.match(cars, answer.text)
    if len(found) == 1:
        reports.add_details(session, answer.reference, vehicle_id=found[0].id)
        return CarNoted(found[0].label)
    return WhichOfCars([c.label for c in cars]) if cars else WhichModel()


@dataclass(frozen=True)
class SinceAnswer:
    """The answer to "since when?" for the case `reference`, with the photos sent with it."""

    reference: str
    text: str
    media_urls: list[str] = field(default_factory=list)


def note_since(session: Session, answer: SinceAnswer) -> str:
    """Puts since when on the case, as kept: "not sure" for nothing, "not said" when the answer
    was whether the car can be driven ("no, it's fine to drive") rather than when."""
    since = " ".join(answer.text.split())[:80] or "not sure"
    if said_drivable(since) is not None and not SINCE.search(since.lower()):
        since = "not said"
    reports.add_details(session, answer.reference, since=since, media_urls=answer.media_urls)
    return since


@dataclass(frozen=True)
class Photos:
    conversation_id: str
    media_urls: list[str]


def add_photos(session: Session, photos: Photos, now: datetime) -> str | None:
    """Puts photos on the conversation's recent case: its reference, or None when there is no
    case they can belong to."""
    case = reports.latest_case(session, photos.conversation_id, now)
    if case is None:
        return None
    reports.add_details(session, case.reference, media_urls=photos.media_urls)
    return case.reference
