"""A day or a time said mid-booking in words the models missed ("no make it 2pm, forgot i have
a mtg", "wait actually make it tmrw same time, today got crazy") goes to the booking form,
which reads it with the date reader, instead of "sorry, I didn't get that" followed, on the
next "yes", by a booking at the time the owner had just changed."""

from __future__ import annotations

import re
from datetime import datetime

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.trackers import DialogueStateTracker

from bot import clock
from bot.dealership.booking_time import AGREES, HEDGES, OPENINGS_ASKED, question_beside
from bot.dealership.dates import parse_when, pick_offered
from bot.policies.moves import GREETING, greets_with_a_time
from bot.policies.routing import RoutingPolicy

FORM = "booking_form"
# The questions a time said then changes or answers.
ASKING = {"appointment_time", "guest_name", "transport", "confirm_booking"}
# What such a text is read as when its time was missed: nothing, a bare answer, a correction,
# or a move ("no make it 2pm") of the visit being booked, when it names no visit of its own.
MISREAD = {"nlu_fallback", "inform", "deny", "reschedule_appointment"}
ANOTHER_VISIT = re.compile(r"\b(appointment|appt|booking|visit|the one|my \w+ one|move|"
                           r"reschedule|push|bump)\b", re.I)


# What a text that picks one of the times offered cannot be, however it picks one.
NOT_A_PICK = {"cancel_appointment", "opt_out", "request_human", "complain", "deny"}
# A pick of the times offered is a few words ("the later one", "the 12:30 pls").
PICK_WORDS = 8


def picks_offered(tracker: DialogueStateTracker) -> bool:
    """"the later one" to the times offered, whatever it was read as (a goodbye, at 0.6)."""
    message = tracker.latest_message
    offered = tracker.get_slot("offered_slots") or []
    if message is None or tracker.active_loop_name != FORM or not offered or \
            tracker.get_slot("requested_slot") != "appointment_time" or \
            (message.intent or {}).get("name") in NOT_A_PICK or \
            (message.text or "").startswith("/") or len((message.text or "").split()) > PICK_WORDS:
        return False  # (a story told mid-booking is no pick: "...worse since last month")
    return pick_offered(message.text or "",
                        [datetime.fromisoformat(str(o)) for o in offered]) is not None


def says_time_unread(tracker: DialogueStateTracker) -> bool:
    message = tracker.latest_message
    if message is None or tracker.active_loop_name != FORM or \
            tracker.get_slot("requested_slot") not in ASKING or \
            ((message.intent or {}).get("name") not in MISREAD and not (
                (message.intent or {}).get("name") == GREETING and
                greets_with_a_time(message.text or ""))) or \
            ((message.intent or {}).get("name") == "reschedule_appointment" and
             ANOTHER_VISIT.search(message.text or "")) or \
            (message.text or "").startswith("/") or \
            any(e.get("entity") in ("when", "option") for e in message.entities):
        return False
    return parse_when(message.text or "", clock.now()) is not None


def asks_openings(tracker: DialogueStateTracker) -> bool:
    """"what do u have sat morning" to "which time works?": the openings of that day, from
    the form, not the hours the question reads as."""
    message = tracker.latest_message
    if message is None or tracker.active_loop_name != FORM or \
            tracker.get_slot("requested_slot") != "appointment_time" or \
            (message.intent or {}).get("name") in NOT_A_PICK or \
            not OPENINGS_ASKED.search(message.text or ""):
        return False
    said = parse_when(message.text or "", clock.now())
    return said is not None and said.first_day is not None


def thanks_that_agree(tracker: DialogueStateTracker) -> bool:
    """"perfect thx" to "Shall I book it?": a yes, though it reads as thanks (the form reads
    it so, `extract_confirm_booking`)."""
    message = tracker.latest_message
    return message is not None and tracker.active_loop_name == FORM and \
        tracker.get_slot("requested_slot") == "confirm_booking" and \
        (message.intent or {}).get("name") == "thank" and bool(AGREES.match(message.text or "")) \
        and not HEDGES.search(message.text or "")


# A question beside the time ("like 1ish? wait is there wifi", "9? oh wait is the recall part
# free"): answered first, by the question's own action, then the form takes the time from the
# same text.
ANSWERS = {"ownership": "action_answer_ownership", "check_recall": "action_check_recall"}


def asked_beside(tracker: DialogueStateTracker) -> str | None:
    message = tracker.latest_message
    if message is None or not question_beside(message.text or ""):
        return None
    return ANSWERS.get((message.intent or {}).get("name") or "")


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False)
class BookingTimePolicy(RoutingPolicy):
    """Sends a time the models missed mid-booking to the form; named in config.yml."""

    def next_action(self, tracker: DialogueStateTracker) -> str | None:
        if tracker.latest_action_name == ACTION_LISTEN_NAME and (
                says_time_unread(tracker) or picks_offered(tracker) or asks_openings(tracker)
                or thanks_that_agree(tracker)):
            return asked_beside(tracker) or FORM
        return None
