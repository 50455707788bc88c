"""A short follow-up to an answer ("ok and saturday?", "and the rest of the car?", "what about
for the rx?") asks the same question of something else: it goes back to the answer's action,
which answers on the topic asked just before. Read on their own, such texts are often not
understood at all."""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.dealership import vehicles
from bot.dealership.consent_words import HOURS_FOLLOW, about_texts, stops_in_words
from bot.dealership.departments import asks_after_team
from bot.policies.routing import RoutingPolicy

ANSWER = "action_answer_ownership"
# The answers a follow-up goes back to: ownership questions, the recall check ("what about
# the wiper one i got a letter about?")
RECALLS = "action_check_recall"
# ...and a timing wish said short after the texts were spoken of ("and nothing after 7pm either").
WISHES = "action_opt_out"
ANSWERS = (ANSWER, RECALLS, WISHES)
# ...answered however it was reached: what the recall answers say ("utter_recall_risk_safety").
RECALL_SAID = ("utter_recall", "utter_offer_recall", "utter_open_recalls")
# What runs after an answer without answering anything.
PASSED_OVER = {ACTION_LISTEN_NAME, "action_deactivate_loop"}
# "and saturday?", "ok what about the rx", "how about for my wife's car?": a few words at most.
# ("and the day after? need to drop my car off early": a few words of why may follow)
FOLLOW_UP = re.compile(r"^\s*(?:(?:ok(?:ay)?|so|hmm|oh)[,.!]?\s+)?(?:and|what about|how about|"
                       r"what abt|and what about)\b[^.!?]{0,40}(?:\?(?:\s+[^?]{0,60})?)?\s*$",
                       re.IGNORECASE)
# What a follow-up may be read as: nothing of its own, or anything read this unsurely ("and
# the rest of the car?" as a problem report, at 0.52).
UNREAD = {"nlu_fallback", "out_of_scope", "inform", "ownership"}
UNSURE = 0.7


# A team's answer ("our Parts team ... until 6 PM"), and what its hours asked short are read as.
TEAM_ANSWER = "action_answer_department"
TEAM_HOURS_MISREAD = {"goodbye", "thank", "nlu_fallback", "out_of_scope", "inform"}


def team_asked_after(tracker: DialogueStateTracker) -> bool:
    """"til what time today" right after a team's answer (read as a goodbye): that team's
    hours, which the ownership answer gives for the team just talked about."""
    message = tracker.latest_message
    if message is None or tracker.active_loop_name or \
            (message.intent or {}).get("name") not in TEAM_HOURS_MISREAD or \
            not asks_after_team(message.text or ""):
        return False
    return answered_before(tracker)[0] == TEAM_ANSWER


def answered_before(tracker: DialogueStateTracker) -> tuple[str | None, str | None]:
    """The action that answered the owner's text before the latest one, and the response said
    last then; (None, ...) when no action did."""
    seen_text, last_said = False, None
    for event in reversed(tracker.events):
        if isinstance(event, BotUttered) and seen_text and last_said is None:
            last_said = (event.metadata or {}).get("utter_action")
        if isinstance(event, UserUttered):
            if seen_text:
                return None, last_said
            seen_text = True
        elif isinstance(event, ActionExecuted) and seen_text and \
                event.action_name not in PASSED_OVER:
            return event.action_name, last_said
    return None, last_said


# How far back a follow-up naming a car looks for the recalls asked about.
LOOK_BACK = 4


def named_car(text: str) -> bool:
    return bool(vehicles.named_in(text))


def last_asked_of_a_car(tracker: DialogueStateTracker) -> str | None:
    """The recall check, when the owner's cars' recalls were asked about a few texts before
    and the answers since were of the fix (its price, how long it takes): "what about the es?"
    asks for that car's recalls. None otherwise."""
    texts = [e for e in reversed(tracker.events) if isinstance(e, UserUttered)][1:LOOK_BACK + 1]
    for i, said in enumerate(texts):
        asked = (said.intent or {}).get("name") or ""
        if asked == "check_recall":
            return RECALLS if i else None
        if asked != "ownership":
            return None
    return None


# What a text about the texts may be read as and still be taken for one: nothing surely
# ("what happens if i text stop, do i lose my appts" at 0.5), or small talk ("thx. so ill still
# get reminders, just later right"). An opt-out or opt-in has rules of its own.
TEXTS_MISREAD = UNREAD | {"thank", "goodbye", "affirm", "deny", "greet", "check_appointment",
                            "check_service_status"}
ASKED_OPT_OUT = "utter_ask_opt_out"


def texts_spoken_of(tracker: DialogueStateTracker) -> bool:
    """A text about the dealership's texts (what STOP does, texts wanted, a timing wish or its
    change right after one was kept) that was not read as anything surely."""
    message = tracker.latest_message
    if message is None or tracker.active_loop_name:
        return False
    intent = message.intent or {}
    if intent.get("name") in ("opt_out", "opt_in") or (
            intent.get("name") not in TEXTS_MISREAD and
            float(intent.get("confidence") or 0) >= UNSURE):
        return False
    action, last_said = answered_before(tracker)
    if last_said == ASKED_OPT_OUT:
        return False  # its yes or no has rules of its own
    return about_texts(message.text or "", action == WISHES and last_said in HOURS_FOLLOW)


def answer_followed(tracker: DialogueStateTracker) -> str | None:
    """The answer the latest text follows up ("ok and saturday?"), if it is a short follow-up
    to an answer just given, or the consent answer for a text about the texts."""
    if team_asked_after(tracker):
        return ANSWER
    said = tracker.latest_message
    if said is not None and (said.intent or {}).get("name") != "opt_out" and \
            stops_in_words(said.text or ""):
        return WISHES  # "just stop pls", read as a no: an opt-out all the same
    if texts_spoken_of(tracker):
        return WISHES
    message = tracker.latest_message
    intent = message.intent or {} if message is not None else {}
    if message is None or tracker.active_loop_name or (
            intent.get("name") not in UNREAD and float(intent.get("confidence") or 0) >= UNSURE) \
            or not FOLLOW_UP.match(message.text or ""):
        return None
    action, last_said = answered_before(tracker)
    if action not in ANSWERS and (last_said or "").startswith(RECALL_SAID):
        # ("are my kids ok back there?", not understood but answered with the recall's risk)
        action = RECALLS
    if action == ANSWER and named_car(message.text or "") and \
            (about_a_car := last_asked_of_a_car(tracker)) is not None:
        # "what about the es?" after the recall asked of the owner's cars, then its price and
        # how long it takes: the question asked of a car, of this one
        return about_a_car
    if action == RECALLS and any(e.get("entity") == "when" for e in message.entities or []):
        return None  # "and saturday?" to the fix offered: a day for it, not a recall
    if action == WISHES:
        return None  # a text about the texts was taken above; "and what time u open sat" is not
    return action if action in ANSWERS else None


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False)
class FollowUpPolicy(RoutingPolicy):
    """Sends a short follow-up back to the answer it follows; named in config.yml."""

    def next_action(self, tracker: DialogueStateTracker) -> str | None:
        latest = tracker.latest_action_name
        followed = answer_followed(tracker)
        if latest == ACTION_LISTEN_NAME and followed:
            return followed
        return ACTION_LISTEN_NAME if followed and latest == followed else None
