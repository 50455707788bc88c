"""Booking service, the use case: which car the booking is for, then write the booking the
owner confirmed (registering a guest first), or say which answer to ask again when someone else
was faster. Conversation-free: the caller passes what was agreed, and chooses the words for what
comes back."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.dealership import appointments, fleet, joining, ownership, scheduling, services, vehicles
from bot.dealership import models as m
from bot.dealership.cars_together import CarWork
from bot.dealership.owners import car_label, cars_of, register_guest, register_web_guest
from bot.dealership.profile import get_dealership


@dataclass(frozen=True)
class BookingRequest:
    owner_id: int | None  # None: a guest, registered by this booking
    vehicle_id: int | None  # an owner's car; a guest's is made from `vehicle`
    vehicle: str | None  # the car's label as the owner said it ("2019 RX 350")
    services: list[str]  # menu codes
    start: datetime
    transport: str
    guest_name: str | None = None
    texted_from: str | None = None  # a guest's mobile, proven by texting from it
    gave_mobile: str | None = None  # a web guest's typed number: proves nothing
    conversation_id: str = ""
    notes: str | None = None  # the owner's own words, for the advisor
    loaner_line: str | None = None  # the loaner model the owner asked for ("RX")


@dataclass(frozen=True)
class WhichCar:
    owner_id: int | None  # None: a guest, whose car is a model we know
    readings: list[str]  # the answer, as extracted and as the whole message, in that order
    talked_about: str = ""  # the replies just before: "the other car" is the one they didn't name


@dataclass(frozen=True)
class CarFound:
    label: str  # the owner's car's label, or a guest's "2019 RX 350" (the year when said)
    vehicle_id: int | None  # None: a guest's car, made when the booking is written


@dataclass(frozen=True)
class CarNotFound:
    """No car of the owner's `cars` named (none for a guest: no model we know); `several`:
    more than one of them, which the question's buttons settle."""

    cars: list[str]
    several: bool = False


def which_car(session: Session, request: WhichCar) -> CarFound | CarNotFound:
    if request.owner_id is None:
        lines = get_dealership(session).loaner_ladder or []
        model = next(filter(None, (vehicles.guest_model(t, lines) for t in request.readings)),
                     None)
        if model is None:
            return CarNotFound([])
        year = next(filter(None, (vehicles.guest_year(t, model) for t in request.readings)),
                    None)
        return CarFound(f"{year} {model}" if year else model, None)
    cars = cars_of(session, request.owner_id)
    found = next(filter(None, (vehicles.match(cars, t) for t in request.readings)), []) or \
        next(filter(None, (vehicles.other_than(cars, t, request.talked_about)
                           for t in request.readings)), [])
    if len(found) == 1:
        return CarFound(found[0].label, found[0].id)
    return CarNotFound([v.label for v in cars], several=bool(found))


@dataclass(frozen=True)
class Summary:
    """What a booking is, as the owner is told it."""

    services: list[str]  # the services' names
    car: str | None
    start: datetime
    transport: str | None  # None: not chosen; waiting in the lounge is offered
    estimate: str | None  # "$89-129"; None: no charge
    smaller_loaner: str | None = None  # "2026 RX 350h": the loaner free is below the car's line
    loaner_line: str | None = None  # the loaner model asked for, free then ("RX")
    line_not_free: str | None = None  # the loaner model asked for, none free then
    wait_minutes: int | None = None  # no ride chosen: how long the wait in the lounge is
    line_beyond: str | None = None  # the loaner model asked for, above what the car is lent


@dataclass(frozen=True)
class Booked:
    owner_id: int
    code: str
    summary: Summary
    loaner: str | None  # the loaner's year and model, when one is reserved
    web_guest_mobile: str | None  # where a web guest's confirmation is texted


@dataclass(frozen=True)
class Retry:
    """Someone else was faster: ask `slot` again (`appointment_time` or `transport`)."""

    slot: str
    start: datetime


def lounge_wait(session: Session, codes: list[str]) -> int | None:
    """The minutes the work takes, when it is short enough to wait for in the lounge (the
    dealership's `wait_up_to_minutes`); None when it is longer, or unknown."""
    found, _ = services.resolve(session, codes)
    minutes = services.duration_minutes(found)
    return minutes if found and minutes <= get_dealership(session).wait_up_to_minutes else None


def summarize(session: Session, codes: list[str], vehicle_id: int | None, vehicle: str | None,
              start: datetime, transport: str | None, loaner_line: str | None = None
              ) -> Summary:
    """What is to be booked. With no ride chosen yet, the wait in the lounge is what the
    summary offers (`lounge_wait`)."""
    found, _ = services.resolve(session, codes)
    car = car_label(session, vehicle_id) if vehicle_id else vehicle
    smaller, asked, not_free, beyond = None, None, None, None
    if transport == "loaner" and vehicle_id:
        line = session.get(m.Vehicle, vehicle_id).model_line
        minutes = services.duration_minutes(found) or 60
        period = fleet.loaner_period(session, start, start + timedelta(minutes=minutes))
        if loaner_line and not fleet.lendable(session, loaner_line, line):
            # "can it be something bigger like an rx?" for an ES: the best the ES is lent
            beyond, loaner_line = loaner_line, None
        if loaner_line:
            # "an rx is fine": promised only when one is free then
            free = fleet.free_loaners(session, *period, loaner_line)
            asked, not_free = (loaner_line, None) if free and \
                free[0].model_line.upper() == loaner_line.upper() else (None, loaner_line)
        elif loaner := fleet.smaller_loaner(session, line, *period):
            smaller = f"{loaner.year} {loaner.model}"
        elif (free := fleet.free_loaners(session, *period, line)) and \
                free[0].model_line.upper() != line.upper():
            asked = free[0].model_line  # another line than the car's: said at the summary
    return Summary([s.name for s in found], car, start, transport, services.estimate(found),
                   smaller, asked, not_free,
                   services.duration_minutes(found) if transport is None else None, beyond)


def book(session: Session, request: BookingRequest, now: datetime) -> Booked | Retry:
    owner_id, vehicle_id = request.owner_id, request.vehicle_id
    if owner_id is None:
        if request.vehicle is None:
            raise ValueError("a guest's booking needs the car they named")
        year, model = vehicles.split_label(request.vehicle)
        guest = {"name": request.guest_name, "model": model, "year": year,
                 "make": get_dealership(session).brand}
        if request.texted_from:  # texted from this number: it is theirs
            owner, car = register_guest(session, mobile=request.texted_from, **guest)
        elif request.gave_mobile is None:
            raise ValueError("a web guest's booking needs the mobile number they gave")
        else:
            # A number typed into a web chat proves nothing: the booking goes on a guest
            # record for staff, never on the account that number may belong to.
            owner, car = register_web_guest(session, conversation_id=request.conversation_id,
                                            gave=request.gave_mobile, **guest)
        owner_id, vehicle_id = owner.id, car.id
    if vehicle_id is None:
        raise ValueError("a booking needs the car")
    summary = summarize(session, request.services, request.vehicle_id, request.vehicle,
                        request.start, request.transport, request.loaner_line)
    try:
        booking = appointments.make_booking(
            session, owner_id=owner_id, vehicle_id=int(vehicle_id),
            service_codes=request.services, start=request.start,
            transport=request.transport, now=now, loaner_line=summary.loaner_line)
    except scheduling.SlotTaken:
        return Retry("appointment_time", request.start)
    except appointments.NoLoanerFree:
        return Retry("transport", request.start)
    if request.notes:
        booking.appointment.notes = f"In the owner's words: {request.notes}"
    loaner = None
    if booking.loaner is not None:
        car = booking.loaner.loaner
        loaner = f"{car.year} {car.model}"
    web_guest = request.gave_mobile if request.owner_id is None and not request.texted_from \
        else None
    return Booked(owner_id, booking.appointment.code, summary, loaner, web_guest)


# ---- several cars at once: one time and one ride, a visit each -----------------------------

def ride_beside(transport: str) -> str:
    """The ride written on the visit of a car that comes in with the booked one: a loaner goes
    with the first car's visit (one owner, one loaner), so the others need no ride of ours."""
    if transport == "loaner":
        return "wait"
    return "shuttle" if transport == "waitlist" else transport


def estimate_together(session: Session, work: list[list[str]]) -> str | None:
    """The estimate for every car's work, summed."""
    return services.estimate([item for codes in work
                              for item in services.resolve(session, codes)[0]])


def priced_work(session: Session, vehicle_id: int | None, codes: list[str], start: datetime
                ) -> list[str]:
    """The work of a visit that is charged for: scheduled maintenance on a car still in its
    complimentary maintenance is not."""
    car = session.get(m.Vehicle, vehicle_id) if vehicle_id is not None else None
    if car is None or services.MAINTENANCE not in codes or \
            not ownership.complimentary_on(session, car, start.date()):
        return codes
    return [code for code in codes if code != services.MAINTENANCE]


@dataclass(frozen=True)
class BookedTogether:
    first: Booked
    beside: list[tuple[Summary, str]]  # each other car's visit, as said, and its code


def visit_that_day(session: Session, owner_id: int, vehicle_id: int, start: datetime,
                   now: datetime) -> m.Appointment | None:
    """The car's visit already booked on `start`'s day, if any."""
    zone = start.tzinfo
    return next((a for a in appointments.upcoming(session, owner_id, now)
                 if a.vehicle_id == vehicle_id and
                 a.starts_at.astimezone(zone).date() == start.date()), None)


def book_together(session: Session, request: BookingRequest, beside: list[CarWork],
                  now: datetime) -> BookedTogether | Retry:
    """Books the owner's cars that come in together, all or none: when one car's time was just
    taken, nothing is written and the time is asked again."""
    if request.owner_id is None:
        raise ValueError("only an owner's cars on file come in together")
    with session.begin_nested() as together:
        first = book(session, request, now)
        if isinstance(first, Retry):
            together.rollback()
            return first
        booked = _book_beside(session, request, beside, now)
        if isinstance(booked, Retry):
            together.rollback()
            return booked
    return BookedTogether(first, booked)


def book_beside_visit(session: Session, owner_id: int, appointment_id: int,
                      beside: list[CarWork], now: datetime, conversation_id: str = ""
                      ) -> list[tuple[Summary, str]] | Retry:
    """Books the owner's other cars at the time of a visit booked already ("add the detail to
    the lx, and can u do an oil change on my es same time"), all or none."""
    visit = appointments.owned(session, owner_id, appointment_id)
    request = BookingRequest(owner_id=owner_id, vehicle_id=visit.vehicle_id, vehicle=None,
                             services=[], start=visit.starts_at, transport=visit.transport,
                             conversation_id=conversation_id)
    with session.begin_nested() as together:
        booked = _book_beside(session, request, beside, now)
        if isinstance(booked, Retry):
            together.rollback()
    return booked


def _book_beside(session: Session, request: BookingRequest, beside: list[CarWork],
                 now: datetime) -> list[tuple[Summary, str]] | Retry:
    """Each car of `beside` booked at the request's time, or its work joined to the visit it
    has that day; a Retry as soon as one car's time is not to be had."""
    booked = []
    for car in beside:
        if (visit := visit_that_day(session, request.owner_id, car.vehicle_id,
                                    request.start, now)) is not None:
            # a car already in that day is not booked twice: the work joins its visit
            joined = joining.add_services(session, request.owner_id, visit.id, car.services)
            if isinstance(joined, joining.PastClosing):
                return Retry("appointment_time", request.start)
            booked.append((summarize(session, [x.code for x in visit.services],
                                     car.vehicle_id, car.car, visit.starts_at,
                                     visit.transport), visit.code))
            continue
        each = book(session, replace(request, vehicle_id=car.vehicle_id, vehicle=car.car,
                                     services=car.services,
                                     transport=ride_beside(request.transport),
                                     loaner_line=None), now)
        if isinstance(each, Retry):
            return Retry("appointment_time", request.start)
        booked.append((each.summary, each.code))
    return booked
