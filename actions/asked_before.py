"""A booking that follows a question about the visit: "if i bring the ls in wed for an oil
change what loaner do i get", answered, then "great, 9am then with that loaner" books that
visit. The question gives the car, the work and the day; the booking's own text what it says
(the time, and the loaner just described, pointed at)."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import timedelta

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from sqlalchemy.orm import Session

from bot.dealership import appointments, services, vehicles
from bot.dealership import models as m
from bot.dealership.dates import SAME_TIME, parse_when
from bot.dealership.db import in_session
from bot.dealership.profile import local_now

# The replies that answer a question about owning and servicing a car.
ANSWERS = {"action_answer_ownership"}
# The loaner just described, pointed at: "with that loaner", "with one of those", "take one".
# A loaner asked for in the question before the booking.
LOANER_WANTED = re.compile(r"\b(?:need|want|get|with|take|i'?d like) (?:a )?loaner\b")
THAT_LOANER = re.compile(
    r"\b(?:with|take|want|need|get|use|and)\s+(?:that|one of (?:those|them|em|the loaners)|one)"
    r"(?:\s+(?:loaner|one|car))?\b")


# The reply said when the car's maintenance is due.
DUE_SAID = re.compile(r"\b(is|was) (next )?due\b|\boverdue\b")


def question_before(tracker: Tracker) -> tuple[str, str] | None:
    """The owner's previous message and the reply's words, when that message was a question
    answered as one; None otherwise."""
    users, answered, reply = 0, False, list[str]()
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            users += 1
            if users == 2:
                # (a question of several in one text: the whole text says what it was about,
                # "do u guys do detailing? how long does it take and how much")
                said = (event.get("metadata") or {}).get("whole_text") or event.get("text")
                return (str(said or ""), " ".join(reply)) if answered else None
        elif users == 1 and kind == "action" and event.get("name") in ANSWERS:
            answered = True
        elif users == 1 and kind == "bot":
            reply.append(str(event.get("text") or ""))
    return None


def visit_described(question: str) -> bool:
    """Whether a question describes a visit: the work, a car pointed at, or a day."""
    return bool(vehicles.named_in(question)) or bool(re.search(
        r"\b(if i (bring|drop|come)|for an? |when i (bring|drop|come))", question.lower()))


async def books_the_visit_asked_about(tracker: Tracker) -> bool:
    """"great, 9am then with that loaner" after the question: a time, or the loaner pointed
    at, for a visit the question described."""
    asked = question_before(tracker)
    text = tracker.latest_message.get("text") or ""
    if asked is None or not text or text.startswith("/") or not visit_described(asked[0]):
        return False
    when = await in_session(lambda s: parse_when(text, local_now(s)))
    return when is not None or bool(THAT_LOANER.search(text.lower()) and "loaner" in asked[1])


async def day_lent(tracker: Tracker, value: str) -> str:
    """A time said without a day ("sweet. around noon?") as a booking starts after a question
    that named one day ("can i bring the nx in wed...?"): on that day. The slot's mapping reads
    the hour alone from the text again, after `from_question` lent the day."""
    asked = question_before(tracker)
    if asked is None or tracker.get_slot("requested_slot") is not None:
        return value

    def work(session: Session) -> str:
        now = local_now(session)
        day, when = parse_when(asked[0], now), parse_when(value, now)
        if day is None or day.first_day is None or day.first_day != day.last_day or \
                when is None or when.has_day:
            return value
        return f"{day.first_day:%a %b} {day.first_day.day} {value}"

    return await in_session(work)


async def from_question(tracker: Tracker, said: Collection[str]) -> list[EventType]:
    """What the question before says of the visit a booking is starting with, where the
    booking's own text (`said`: the slots it set) does not say it."""
    asked = question_before(tracker)
    text = tracker.latest_message.get("text") or ""
    if asked is None or text.startswith("/"):
        return []
    question, reply = asked

    def work(session: Session) -> list[EventType]:
        now = local_now(session)
        events: list[EventType] = []
        if "services" not in said and (codes := [x.code for x in
                                                 services.mentioned(session, question)]):
            events.append(SlotSet("services", codes))
        elif "services" not in said and DUE_SAID.search(reply):
            # "when is my rx due for service" answered: the visit is that maintenance
            events.append(SlotSet("services", ["scheduled_maintenance"]))
        if "vehicle" not in said and (car := vehicles.named_in(question)):
            events.append(SlotSet("vehicle", car))
        day, when = parse_when(question, now), parse_when(text, now)
        if day is not None and day.first_day is not None and day.first_day == day.last_day \
                and (when is None or not when.has_day):
            # the day of the question, at the time of this text ("9am then")
            events.append(SlotSet("appointment_time",
                                  f"{day.first_day:%a %b} {day.first_day.day} {text}"
                                  if when is not None else f"{day.first_day:%a %b} "
                                  f"{day.first_day.day}"))
        if "transport" not in said and (("loaner" in reply and THAT_LOANER.search(
                text.lower())) or LOANER_WANTED.search(question.lower())):
            events.append(SlotSet("transport", "loaner"))  # "...need a loaner, what would i
            # be driving" then "sweet. around noon?"
        return events

    return await in_session(work)


# ---- a visit cancelled a moment ago, booked again ("can u rebook it when im back, tue dec 8
# same time? shuttle again")

REBOOK = re.compile(r"\b(re-?book|book (it|that|them) (again|back)|put (it|me) back( on)?|"
                    r"book it for when|"
                    # "can u put me down for sat at 9 instead? same thing"
                    r"put (it|me) (down|in) for|same (thing|service|work|stuff|visit))\b")
# How long ago a cancel still is "it".
LATELY = timedelta(days=1)


def cancelled_lately(session: Session, owner_id: int) -> m.Appointment | None:
    return appointments.last_cancelled(session, owner_id, local_now(session) - LATELY)


async def rebooks(tracker: Tracker) -> bool:
    """Whether the latest text books again the visit cancelled a moment ago."""
    owner_id = tracker.get_slot("owner_id")
    text = tracker.latest_message.get("text") or ""
    if owner_id is None or not REBOOK.search(text.lower()):
        return False
    return await in_session(lambda s: cancelled_lately(s, int(owner_id))) is not None


async def from_cancelled(tracker: Tracker, said: Collection[str]) -> list[EventType]:
    """What the visit cancelled a moment ago says of the one booked again: its car and work,
    its time of day ("same time") and its ride ("shuttle again"), where the text does not."""
    owner_id = tracker.get_slot("owner_id")
    text = tracker.latest_message.get("text") or ""
    if owner_id is None or not REBOOK.search(text.lower()):
        return []

    def work(session: Session) -> list[EventType]:
        visit = cancelled_lately(session, int(owner_id))
        if visit is None:
            return []
        now = local_now(session)
        events: list[EventType] = []
        if "services" not in said:
            events.append(SlotSet("services", [s.code for s in visit.services]))
        if "vehicle" not in said:
            events += [SlotSet("vehicle", visit.vehicle.label),
                       SlotSet("vehicle_id", visit.vehicle_id)]
        when = parse_when(text, now)
        if SAME_TIME.search(text.lower()) and when is not None and when.first_day and \
                when.first_day == when.last_day and not when.at:
            at = visit.starts_at.astimezone(now.tzinfo)
            events.append(SlotSet("appointment_time",
                                  f"{when.first_day:%a %b} {when.first_day.day} at "
                                  f"{at:%-I:%M %p}"))
        if "transport" not in said and visit.transport != "loaner":
            # "rebook it": the visit as it was, its ride too (a loaner is asked again: whether
            # one is free depends on the new time)
            events.append(SlotSet("transport", visit.transport))
        return events

    return await in_session(work)
