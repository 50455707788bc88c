"""Work added to a visit already booked: "add a tire rotation to tomorrow's visit", or a booking
for a car that is coming in anyway. A visit holds several services; adding one sums their time
and estimate, and the visit must still end by closing that day (its loaner, due back at closing,
stays as it is). Conversation-free: the caller chooses the words."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.dealership import appointments, services
from bot.dealership.dates import parse_when
from bot.dealership.scheduling import Shop

# A visit the owner tells of having, to the end of its sentence: "i know i have the rotation
# tmrw but cant stay for both", "my appt is fri".
TOLD_OF = re.compile(
    r"\b(?:(?:i (?:already |still )?(?:have|got)|i'?ve (?:already )?got|ive (?:already )?got)"
    # (of a visit, not a car: "i have a 2019 rx")
    r"(?=(?:\s+\S+){0,3}?\s+(?:appt|appointment|visit|booking|service|rotation|oil|"
    r"maintenance|alignment|inspection|detail\w*|recall|brakes?|tires?|tmrw|tomorrow|today|"
    r"mon|tues?|wed|thu|thurs|fri|sat|\w+day)\b)|"
    r"(?:i'?m|im|i am) (?:already )?(?:coming|going|bringing it|booked|scheduled)|"
    r"(?:my|the) (?:appt|appointment|visit|booking) (?:is|was|for)|already (?:booked|scheduled))"
    r"\b[^.!?;]*", re.IGNORECASE)


def told_of_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` tells of a visit the owner has already (its words are not the visit asked)."""
    return [m.span() for m in TOLD_OF.finditer(text)]


def without_told_of(text: str) -> str:
    """`text` with the words telling of a visit had already blanked out."""
    for start, end in told_of_spans(text):
        text = text[:start] + " " * (end - start) + text[end:]
    return text


@dataclass(frozen=True)
class VisitAhead:
    """The car's next visit: what a booking for it may join."""

    appointment_id: int
    code: str
    car: str
    services: list[str]  # names
    service_codes: list[str]
    starts_at: datetime
    vehicle_id: int | None = None


def visit_ahead(session: Session, owner_id: int, vehicle_id: int, now: datetime
                ) -> VisitAhead | None:
    """The car's next scheduled visit, if it has one."""
    for visit in appointments.upcoming(session, owner_id, now):
        if visit.vehicle_id == vehicle_id:
            return VisitAhead(visit.id, visit.code, visit.vehicle.label,
                              [s.name for s in visit.services], [s.code for s in visit.services],
                              visit.starts_at, visit.vehicle_id)
    return None


def visit_to_join(session: Session, owner_id: int, vehicle_id: int,
                  said: str | datetime | None, now: datetime,
                  offered: Sequence[datetime] = ()) -> VisitAhead | None:
    """The car's next visit, which a booking for it may join, unless the time the owner said
    (or agreed) for this booking is on another day ("...friday morning", the car in tomorrow),
    or, said without a day ("8:30"), the times offered for it are."""
    ahead = visit_ahead(session, owner_id, vehicle_id, now)
    if ahead is None or not (said or offered):
        return ahead
    day = ahead.starts_at.astimezone(now.tzinfo).date()
    if isinstance(said, datetime):
        return ahead if said.astimezone(now.tzinfo).date() == day else None
    when = parse_when(said, now) if said else None
    if when is not None and when.first_day is not None:
        return ahead if when.first_day <= day <= (when.last_day or when.first_day) else None
    if offered and all(time.astimezone(now.tzinfo).date() != day for time in offered):
        return None
    return ahead


# "add a tire rotation to tomorrow's visit", "can you also do the brakes on my appointment"
ADD_TO_VISIT = re.compile(r"\b(add|also do|throw in|tack on|include|put|check|look at|inspect|"
                          r"test|fix|do)\b.{0,60}"
                          r"\b(to|on|onto|into|in|with|at) "
                          r"(my|the|tomorrow'?s|tmrw'?s|tmr'?s|today'?s|that|this|\w+day'?s) "
                          r"(\w+ )?(visit|appointment|appt|booking|service)\b|"
                          # "add an alignment to the LX tmrw?": the car's visit that day
                          r"\b(add|tack on|throw in)\b.{0,40}\b(to|onto) (my|the|our) \w{2,3}\b"
                          r".{0,12}\b(tmrw|tomorrow|tmr|today|tonight|mon|tues?|wed|thu|thurs|fri|"
                          r"sat|(?!yester)\w+day)\b|"
                          # "ok can u add a brake inspection to it": the visit just spoken of
                          r"\b(add|tack on|throw in)\b.{0,60}\b(to|onto) (it|that|that one)\b"
                          r"(?!\s*(with|for|as|and it))|"
                          # "can u also detail the lx tmrw while its there?"
                          r"\bwhile (it'?s|its|it is|the \w+ is|my \w+ is|she'?s|he'?s) "
                          r"(there|in|in the shop|with (you|u|y'?all))\b")


def visit_named(session: Session, owner_id: int, text: str, now: datetime
                ) -> VisitAhead | None:
    """The visit booked that a text asks to add work to ("...to tomorrow's visit"): the only
    one, or the one on the day the text names; None when it asks no such thing."""
    if not ADD_TO_VISIT.search(text.lower()):
        return None
    booked = appointments.upcoming(session, owner_id, now)
    if len(booked) > 1:
        when = parse_when(text, now)
        day = when.first_day if when is not None else None
        booked = [v for v in booked if day is not None and
                  v.starts_at.astimezone(now.tzinfo).date() == day]
    if len(booked) != 1:
        return None
    return visit_ahead(session, owner_id, booked[0].vehicle_id, now)


@dataclass(frozen=True)
class Joined:
    """The services were added: the visit's services, its new end and estimate."""

    code: str
    car: str
    added: list[str]  # names
    services: list[str]  # names, all of them
    starts_at: datetime
    estimate: str | None
    added_estimate: str | None  # what the work added costs alone
    minutes: int = 0  # how long the whole visit takes now


@dataclass(frozen=True)
class PastClosing:
    """With the work added, the visit would run past closing that day."""

    closes: datetime


def add_services(session: Session, owner_id: int, appointment_id: int, codes: list[str]
                 ) -> Joined | PastClosing:
    appointment = appointments.owned(session, owner_id, appointment_id)
    have = {s.code for s in appointment.services}
    new = [s for s in services.resolve(session, codes)[0] if s.code not in have]
    everything = list(appointment.services) + new
    end = appointment.starts_at + timedelta(minutes=services.duration_minutes(everything))
    shop = Shop.load(session)
    local = appointment.starts_at.astimezone(shop.zone)
    closes = datetime.combine(local.date(), shop.hours[local.weekday()][1], shop.zone)
    if end > closes:
        return PastClosing(closes)
    appointment.services.extend(new)
    appointment.ends_at = max(appointment.ends_at, end)
    session.flush()
    return Joined(appointment.code, appointment.vehicle.label, [s.name for s in new],
                  [s.name for s in everything], appointment.starts_at,
                  services.estimate(everything), services.estimate(new),
                  services.duration_minutes(everything))

