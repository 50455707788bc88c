"""A move asked for, then a question in between ("wait what time do you close on saturday?",
"btw is the charging recall something to worry about?"), then the new time ("ok saturday at 9
then"): the time goes to the move, not to a new booking or to an offer made by the answer.

The move's own steps are rules keyed on the step before ("which one, or when to"); a question
answered in between breaks that chain, so for a few texts after the move asked its question, a
text that says a time goes back to `action_ask_reschedule`, which reads it against the times it
offered."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.dealership import vehicles
from bot.dealership.booking_time import AGREES
from bot.dealership.dates import parse_when
from bot.policies.routing import RoutingPolicy

ASK = "action_ask_reschedule"
# What ends a move, or starts something else in its place.
ENDS = {"action_reschedule_appointment", "action_ask_cancel", "action_cancel_appointment",
        "action_start_booking", "action_book_offered", "action_report_issue",
        "action_hand_off", "action_session_start"}
# How many texts after the move's question a time said is still its answer.
OPEN_FOR_TEXTS = 3
# Intents a time said in answer is read as ("ok saturday at 9 then" may read as a booking).
ANSWERS = {"inform", "affirm", "book_service"}
TIME_ENTITIES = {"when", "option"}
UNREAD = "nlu_fallback"
GREETING = "greet"
# "no, make it 2pm" to the times offered: a no that says the time instead. Not "no, friday
# doesn't work", which turns a time down.
NO_BUT = re.compile(r"^\W*(?:no+|nope|nah|actually)\b[\s,.!-]*(?:(?:make it|how about|what about|"
                    r"can (?:we|you|u) do|could (?:we|you|u) do|do|try|change (?:it )?to|"
                    r"rather|instead)\b|(?:at |around |by )?\d)", re.IGNORECASE)
TURNED_DOWN = re.compile(r"\b(?:too (?:early|late|soon)|(?:not|doesn'?t|doesnt|don'?t|dont|"
                         r"can'?t|cant|won'?t|wont|isn'?t|isnt) (?:work|do|make it|be able|good)|"
                         r"no good|bad)\b", re.IGNORECASE)


def another_time(text: str) -> bool:
    """A no to the times offered that says the time wanted instead ("no, make it 2pm")."""
    return bool(NO_BUT.match(text)) and not TURNED_DOWN.search(text)


def greets_with_a_time(text: str) -> bool:
    """"afternoon, like 3?" read as a greeting: a time of day with an hour or a day, which
    "good afternoon" alone is not."""
    said = parse_when(text, datetime.now(timezone.utc))
    return said is not None and (said.at is not None or said.first_day is not None)


def names_a_time(text: str) -> bool:
    """Whether a text names a day or a time ("fri first thing then, whenever u open"); which
    one is read against the offers by the move itself, in the dealership's zone."""
    return parse_when(text, datetime.now(timezone.utc)) is not None


def move_interrupted(tracker: DialogueStateTracker) -> bool:
    """Whether the latest text says a time for a move whose question was interrupted."""
    message = tracker.latest_message
    intent = (message.intent or {}).get("name") if message is not None else None
    instead = intent == "deny" and another_time(message.text or "") if message else False
    if intent == GREETING and message is not None and greets_with_a_time(message.text or ""):
        intent = UNREAD  # "afternoon, like 3?" to "Move it to Friday at 9?": no greeting
    if intent == THANKS and message is not None and \
            any(e.get("entity") in TIME_ENTITIES for e in message.entities):
        intent = UNREAD  # "3 is perfect thx" to the times offered: the pick, not thanks
    if message is None or tracker.active_loop_name or not tracker.get_slot("change_code") or \
            (message.text or "").startswith("/") or \
            (intent not in ANSWERS | {UNREAD} and not instead) or \
            not (any(e.get("entity") in TIME_ENTITIES for e in message.entities) or
                 names_a_time(str((message.metadata or {}).get("whole_text") or message.text))):
        return False
    texts, before_this_text = 0, None
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            texts += 1
            if texts > OPEN_FOR_TEXTS + 1:
                return False
        elif isinstance(event, ActionExecuted) and event.action_name != ACTION_LISTEN_NAME:
            if texts == 1 and before_this_text is None:
                before_this_text = event.action_name
            if event.action_name == ASK:
                # right after the move's question the rules take the answer, but for a time in
                # words the intent classifier did not read ("fri first thing then, whenever u
                # open")
                return before_this_text != ASK or intent == UNREAD or instead
            if event.action_name in ENDS:
                return False
    return False


# A move given up for a cancellation, in words the classifier was unsure of ("actually no just
# cancel it, ill text u next wk to set something up"); not "don't cancel it".
CANCEL_IT = re.compile(r"(?<!don't )(?<!dont )(?<!not )\bcancel (?:it|that|the (?:appt|appointment|"
                       r"visit|booking|whole thing)|my (?:appt|appointment|visit|booking)|"
                       r"everything)\b", re.IGNORECASE)
CANCEL = "action_ask_cancel"
CANCEL_MISREAD = {UNREAD, "deny", "inform", "affirm"}


def cancel_instead(tracker: DialogueStateTracker) -> bool:
    """Whether the latest text, to the move's question, cancels the visit instead."""
    message = tracker.latest_message
    if message is None or tracker.active_loop_name or not tracker.get_slot("change_code") or \
            (message.intent or {}).get("name") not in CANCEL_MISREAD or \
            not CANCEL_IT.search(message.text or ""):
        return False
    came = False
    for event in reversed(tracker.events):
        came = came or isinstance(event, UserUttered)
        if came and isinstance(event, ActionExecuted) and event.action_name != ACTION_LISTEN_NAME:
            return event.action_name == ASK
    return False


# "perfect thx" to "Move your visit ... to tomorrow at 3:00 PM?": a yes, though it reads as
# thanks.
THANKS = "thank"
CONFIRMED = "action_reschedule_appointment"
CONFIRM_ASKED = "utter_confirm_move"


def thanks_for_the_move(tracker: DialogueStateTracker) -> bool:
    """Whether the latest text agrees, in thanks, to the move just put to the owner."""
    message = tracker.latest_message
    if message is None or (message.intent or {}).get("name") != THANKS or \
            not AGREES.match(message.text or "") or tracker.active_loop_name:
        return False
    return last_asked(tracker) == CONFIRM_ASKED


# "yea the lx one. gonna be out of town" to "Cancel your ... (code ...)?": a yes with more said,
# which the classifier reads as nothing; not "yes but make it friday", "yeah no", "yes wait".
YES_FIRST = re.compile(r"^\W*(?:yes+|yea+h?|yep|yup|ya|correct|right|sure|that'?s (?:it|right|"
                       r"the one))\b", re.IGNORECASE)
NOT_A_YES = re.compile(r"\b(?:no|nope|not|don'?t|dont|wait|but|instead|actually|other|wrong|"
                       r"different|change|move|keep|hold on)\b|\?", re.IGNORECASE)
YES_WITH_MORE = {UNREAD, "inform", THANKS, "affirm"}
WRITES = {CONFIRMED, "action_cancel_appointment"}
# The change put to the owner, by its question, and the action that makes it on a yes.
CHANGE_CONFIRMS = {CONFIRM_ASKED: CONFIRMED, "utter_confirm_move_without_loaner": CONFIRMED,
                   "utter_move_still_asked": CONFIRMED,
                   "utter_confirm_cancel": "action_cancel_appointment"}


def yes_to_the_change(tracker: DialogueStateTracker) -> str | None:
    """The action that makes the change just put to the owner, when the latest text says yes
    in more words than the classifier reads as one; None otherwise."""
    message = tracker.latest_message
    text = message.text or "" if message is not None else ""
    intent = (message.intent or {}).get("name") if message is not None else None
    if message is None or intent not in YES_WITH_MORE or tracker.active_loop_name or \
            not tracker.get_slot("change_code") or \
            intent != "affirm" and (not YES_FIRST.match(text) or NOT_A_YES.search(text)):
        return None
    return CHANGE_CONFIRMS.get(last_asked(tracker) or "")


def last_asked(tracker: DialogueStateTracker) -> str | None:
    """The named response the bot said last before the latest text: what that text answers."""
    came = False
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            if came:
                return None
            came = True  # the latest text; the reply before it is what it answers
        elif came and isinstance(event, BotUttered):
            return (event.metadata or {}).get("utter_action")
    return None


# The question that lists the visits to pick from, by the change it is for.
WHICH_ASKED = {"utter_which_to_move": ASK, "utter_car_has_nothing_to_move": ASK,
               "utter_which_to_cancel": "action_ask_cancel",
               "utter_car_has_nothing_to_cancel": "action_ask_cancel"}
PICK_ENTITIES = {"vehicle", "option"}


def visit_picked(tracker: DialogueStateTracker) -> str | None:
    """The change whose list of visits the latest text picks from though it was read as
    nothing ("oh right the lx, yeah. same time fri is fine. still w the shuttle?" to "Which one
    should I move?"): its question's action; None otherwise."""
    message = tracker.latest_message
    intent = (message.intent or {}).get("name") if message is not None else None
    if message is None or tracker.active_loop_name or \
            not tracker.get_slot("offered_appointments") or \
            intent not in PICK_READ_AS or (intent == "deny" and KEEP.search(message.text or "")) \
            or not (any(e.get("entity") in PICK_ENTITIES for e in message.entities) or
                    vehicles.named_in(message.text or "")):
        return None
    return WHICH_ASKED.get(last_asked(tracker) or "")


# What a pick from the list is read as: nothing, or a no that corrects the car ("oh right its
# the lx not the es. ya cancel that one"), unless it keeps the visit.
PICK_READ_AS = {UNREAD, "deny"}
KEEP = re.compile(r"\b(?:don'?t|dont|do not|keep|never ?mind|nvm|forget (?:it|that)|leave)\b",
                  re.IGNORECASE)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False)
class MovePolicy(RoutingPolicy):
    """Sends the time said for an interrupted move back to the move; named in config.yml."""

    def next_action(self, tracker: DialogueStateTracker) -> str | None:
        latest = tracker.latest_action_name
        if latest == ACTION_LISTEN_NAME and cancel_instead(tracker):
            return CANCEL
        if latest == ACTION_LISTEN_NAME and move_interrupted(tracker):
            return ASK
        if latest == ACTION_LISTEN_NAME and thanks_for_the_move(tracker):
            return CONFIRMED
        if latest == ACTION_LISTEN_NAME and (change := yes_to_the_change(tracker)):
            return change
        if latest == ACTION_LISTEN_NAME and (picked := visit_picked(tracker)):
            return picked
        if latest in WRITES:
            return ACTION_LISTEN_NAME  # (the change made, however the yes was routed to it)
        return None
