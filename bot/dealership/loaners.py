"""Whether a loaner can be had for a visit, the use case behind "how will you get around?":
free at the time asked, or the nearest later time one is. Conversation-free: the caller says
which car, what work and when, and chooses the words for what comes back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.dealership import appointments, services, vehicles
from bot.dealership.dates import When
from bot.dealership.scheduling import open_slots


@dataclass(frozen=True)
class LoanerRequest:
    vehicle: str  # the owner's car's label ("2021 RX 350"): loaners go by its line
    services: list[str]  # menu codes: how long the visit takes
    start: datetime


@dataclass(frozen=True)
class LoanerFree:
    """A loaner is free for the visit at the time asked."""


@dataclass(frozen=True)
class LoanerLater:
    """None is free then; one is at `start`, the nearest open time after that day."""

    start: datetime


@dataclass(frozen=True)
class NoLoaner:
    """None is free then, nor at about that time in the next two weeks."""


LoanerAnswer = LoanerFree | LoanerLater | NoLoaner


def check_loaner(session: Session, request: LoanerRequest, now: datetime) -> LoanerAnswer:
    line = vehicles.split_label(request.vehicle)[1].split(" ")[0]
    minutes = services.duration_minutes(services.resolve(session, request.services)[0])
    if appointments.loaner_for_line(session, line, request.start, minutes) is not None:
        return LoanerFree()
    later = appointments.nearest_loaner_slot(session, line, request.start, minutes, now)
    return LoanerLater(later) if later is not None else NoLoaner()


# Open times looked through for a loaner on the day asked: all of a day's, near enough.
DAY_SLOTS = 40


def free_on_day(session: Session, vehicle: str, codes: list[str], when: When,
                now: datetime) -> bool:
    """Whether any open time of the one day `when` asks for (in its window, if it has one)
    has a loaner of the car's line free: before the time is picked, the owner hears at once
    when that day has none ("need a loaner wed" for a car whose line has none free then)."""
    line = vehicles.split_label(vehicle)[1].split(" ")[0]
    minutes = services.duration_minutes(services.resolve(session, codes)[0])
    day = When(first_day=when.first_day, last_day=when.first_day, earliest=when.earliest,
               latest=when.latest)
    # (a day closed or full offers other days' times: the times' reply says why, not this)
    slots = [slot for slot in open_slots(session, day, minutes, now, limit=DAY_SLOTS).slots
             if slot.date() == when.first_day]
    return not slots or any(appointments.loaner_for_line(session, line, slot, minutes)
                            for slot in slots)
