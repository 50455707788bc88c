"""A booking that follows a question about the visit: "if i bring the ls in wed for an oil
change what loaner do i get", answered, then "great, 9am then with that loaner" books that
visit. The question gives the car, the work and the day; the booking's own text what it says
(the time, and the loaner just described, pointed at)."""

from __future__ import annotations

import re
from collections.abc import Collection

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from sqlalchemy.orm import Session

from bot.dealership import services, vehicles
from bot.dealership.dates import parse_when
from bot.dealership.db import in_session
from bot.dealership.profile import local_now

# The replies that answer a question about owning and servicing a car.
ANSWERS = {"action_answer_ownership", "utter_ownership"}
# The loaner just described, pointed at: "with that loaner", "with one of those", "take one".
THAT_LOANER = re.compile(
    r"\b(?:with|take|want|need|get|use|and)\s+(?:that|one of (?:those|them|em|the loaners)|one)"
    r"(?:\s+(?:loaner|one|car))?\b")


def question_before(tracker: Tracker) -> tuple[str, str] | None:
    """The owner's previous message and the reply's words, when that message was a question
    answered as one; None otherwise."""
    users, answered, reply = 0, False, list[str]()
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            users += 1
            if users == 2:
                return (str(event.get("text") or ""), " ".join(reply)) if answered else None
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
        if "transport" not in said and "loaner" in reply and \
                THAT_LOANER.search(text.lower()):
            events.append(SlotSet("transport", "loaner"))
        return events

    return await in_session(work)
