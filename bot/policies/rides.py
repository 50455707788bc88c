"""A change of ride on a visit already booked ("can I swap the shuttle for a loaner?", "nvm on
the loaner") goes to `action_change_ride`, however the text was read: the intent classifier
reads it as a new loaner request, which would start a second booking."""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.dealership.rides import TAKEN_AS, takes_loaner_offered, wanted_ride
from bot.policies.routing import RoutingPolicy

CHANGE = "action_change_ride"
CONFIRM = "action_confirm_ride_change"
# A move said in so many words, or a time: the visit moves, whatever else changes.
MOVED = re.compile(r"\b(?:move|moving|reschedul\w*|push|bump|earlier|later|another day|"
                   r"different day|other day)\b|\d")
# Intents that ask for something else first.
# (a complaint read this unsurely that names a ride is the ride's)
UNSURE = 0.7
ELSEWHERE = {"request_human", "complain", "opt_out", "cancel_appointment",
             "reschedule_appointment", "report_issue"}


def changes_ride(tracker: DialogueStateTracker) -> bool:
    message = tracker.latest_message
    if message is None or tracker.active_loop_name or tracker.get_slot("owner_id") is None:
        return False
    # one of several requests in a text is read on its own ("...instead of the shuttle? what
    # would i be driving": the question is not a change of ride)
    several = int((message.metadata or {}).get("parts") or 1) > 1
    text = str((None if several else (message.metadata or {}).get("whole_text")) or
               message.text or "")
    intent = (message.intent or {}).get("name")
    if intent == "reschedule_appointment" and not MOVED.search(text.lower()):
        intent = None  # "for tmrw can i do the shuttle instead of waiting": no time moves
    if intent == "complain" and float((message.intent or {}).get("confidence") or 0) < UNSURE:
        intent = None  # "eh i drive way more than that. nvm keep the shuttle": no complaint
    return intent not in ELSEWHERE and not text.startswith("/") and wanted_ride(text) is not None


def takes_ride_offered(tracker: DialogueStateTracker) -> bool:
    """"can i get one instead?" to a loaner offered for a visit booked: a yes in other words,
    not a new booking."""
    message = tracker.latest_message
    offered = str(tracker.get_slot("ride_change") or "")
    if message is None or not offered.endswith(":loaner") or tracker.active_loop_name:
        return False
    text = (message.text or "").lower()
    # (read as a loaner asked for, or as a move: "can i get one instead?" at 1.0)
    return (message.intent or {}).get("name") in TAKEN_AS and not MOVED.search(text) and \
        takes_loaner_offered(text)


# The offer of a ride change, and how many of the owner's texts back a yes may still answer it
# ("is the loaner free?" answered in between, then "ok great, yes please set it up").
RIDE_OFFERS = ("utter_offer_ride_loaner", "utter_offer_drop_loaner", "utter_offer_ride_change",
               "utter_visit_ride_then_loaner")
TEXTS_BACK = 2


def offered_texts_back(tracker: DialogueStateTracker) -> int | None:
    """How many of the owner's texts back the ride change was offered (1: just before the
    latest), within TEXTS_BACK; None when it was not."""
    texts = 0
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            texts += 1
            if texts > TEXTS_BACK:
                return None
        elif isinstance(event, BotUttered) and \
                (event.metadata or {}).get("utter_action") in RIDE_OFFERS:
            return texts
    return None


def yes_after_a_question(tracker: DialogueStateTracker) -> bool:
    """A yes to the ride change offered one text before a question that was answered."""
    message = tracker.latest_message
    if message is None or tracker.active_loop_name or not tracker.get_slot("ride_change") or \
            (message.intent or {}).get("name") != "affirm":
        return False
    return offered_texts_back(tracker) == TEXTS_BACK


# The ride as booked, kept: "nvm keep the shuttle", "never mind, i'll stick with waiting".
KEEPS_RIDE = re.compile(r"\b(?:keep|stick with|stay with|leave)\b(?: \S+){0,2} (?:shuttle|ride|"
                        r"it|as is|waiting|wait|that)\b|\b(?:nvm|never ?mind|forget it)\b")
ASKS_ELSE = {"request_human", "opt_out", "cancel_appointment", "reschedule_appointment"}


def keeps_ride_offered(tracker: DialogueStateTracker) -> bool:
    """A no in other words to the ride change offered lately, however it was read ("eh i drive
    way more than that. nvm keep the shuttle", read as a complaint)."""
    message = tracker.latest_message
    if message is None or tracker.active_loop_name or not tracker.get_slot("ride_change"):
        return False
    intent = message.intent or {}
    if intent.get("name") in ASKS_ELSE and float(intent.get("confidence") or 0) >= UNSURE:
        return False
    text = (message.text or "").lower()
    return bool(KEEPS_RIDE.search(text)) and not MOVED.search(text) and \
        offered_texts_back(tracker) is not None


# A loaner car named by its line ("an es is easier to park", "the rx works"): which one.
LINE_NAMED = re.compile(r"\b(?:an?|the|one|loaner|with)\s+(?:ux|is|es|nx|rz|rx|tx|gx|lc|lx|ls)"
                        r"(?:\s?\d{3}\w*)?\b(?! (?:appt|appointment|visit)\b)|"
                        r"\b(?:ux|es|nx|rz|rx|tx|gx|lc|lx|ls)(?:\s?\d{3}\w*)?\s+(?:is fine|works|"
                        r"would be|instead|please|pls|is easier|is better)\b")


def names_other_loaner(tracker: DialogueStateTracker) -> bool:
    """"actually something smaller is fine, an es is easier to park downtown" to a loaner
    offered for a visit booked: that loaner, in its line (however the text was read)."""
    message = tracker.latest_message
    offered = str(tracker.get_slot("ride_change") or "")
    if message is None or not offered.endswith(":loaner") or tracker.active_loop_name or \
            offered_texts_back(tracker) != 1:
        return False
    intent = message.intent or {}
    if intent.get("name") in ASKS_ELSE and float(intent.get("confidence") or 0) >= UNSURE:
        return False
    text = (message.text or "").lower()
    return bool(LINE_NAMED.search(text)) and not MOVED.search(text) and \
        not KEEPS_RIDE.search(text)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False)
class RidePolicy(RoutingPolicy):
    """Sends a change of ride on a booked visit to its action; named in config.yml."""

    def next_action(self, tracker: DialogueStateTracker) -> str | None:
        latest = tracker.latest_action_name
        if latest == ACTION_LISTEN_NAME and (takes_ride_offered(tracker) or
                                             yes_after_a_question(tracker) or
                                             keeps_ride_offered(tracker) or
                                             names_other_loaner(tracker)):
            return CONFIRM
        if latest == ACTION_LISTEN_NAME and changes_ride(tracker):
            return CHANGE
        return ACTION_LISTEN_NAME if latest in (CHANGE, CONFIRM) else None
