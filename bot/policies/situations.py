"""While an owner is in trouble with the car, what they ask back is about that trouble.

After a report ("smoke from under the hood!"), the next texts are most often questions about it
("should I open it?", "do I call the tow or do you?") or news of it ("we're out, nobody's hurt"),
in words the intent classifier reads as anything: a location question, roadside, a complaint.
For a few texts after the report, a text that asks one of the triage table's questions (or, in a
situation that is not routine, one that asks nothing else) goes to `action_answer_situation`,
which answers from the table; then the form that was asking, if any, asks again.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.dealership.joining import ADD_TO_VISIT
from bot.dealership.triage import asked_back, asks_for_visit, category_rule, triage
from bot.policies.routing import RoutingPolicy

ANSWER = "action_answer_situation"
REPORT = "action_report_issue"
BOOK = "action_book_for_problem"
OFFERED = "action_book_offered"
SLOT = "situation"
# How many texts after the report it is still the trouble they are talking about.
OPEN_FOR_TEXTS = 6
# Intents that ask for something else: a person, an opt-out, a booking, a change.
ELSEWHERE = {"request_human", "complain", "opt_out", "opt_in", "book_service", "request_loaner",
             "cancel_appointment", "reschedule_appointment", "check_appointment", "greet"}
# Intents a question asked back about the trouble may be read as ("can u let service know its
# coming", "can it go to u instead?", "ok on the shoulder now. can you guys send a tow") when it
# names no day.
ASKED_BACK_AS = {"book_service", "reschedule_appointment", "complain"}
# A question put without its question mark: "what should i bring when i come in".
ASKED = re.compile(r"^\W*(?:what|whats|what's|how|when|where|which|who|do|does|can|could|is|are|"
                   r"should|will)\b", re.IGNORECASE)
# Intents a text that only tells how things stand is read as ("looks like its calming down" as
# a photo shared: a photo comes as its own payload, never as words).
NEWS = {"nlu_fallback", "out_of_scope", "affirm", "inform", "report_issue", "ownership",
        "share_media"}


def open_situation(tracker: DialogueStateTracker) -> str | None:
    """The category of the trouble the owner reported within the last few texts, if any."""
    texts = 0
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            if int((event.metadata or {}).get("part") or 1) <= 1:
                texts += 1
            if texts > OPEN_FOR_TEXTS:
                return None
        elif isinstance(event, SlotSet) and event.key == SLOT:
            return str(event.value) if event.value else None
    return None


def whole_text(tracker: DialogueStateTracker) -> str:
    message = tracker.latest_message
    if message is None:
        return ""
    return str((message.metadata or {}).get("whole_text") or message.text or "")


def in_trouble(tracker: DialogueStateTracker, text: str) -> bool:
    """Whether `text` may be about the trouble reported lately: it asks back about it, or the
    trouble is more than routine (then news of it is too)."""
    category = open_situation(tracker)
    rule = category_rule(category) if category else None
    return rule is not None and (bool(asked_back(text)) or rule.situation.severity != "routine")


def asks_visit_mid_report(tracker: DialogueStateTracker) -> bool:
    """Whether, while the report's questions are asked, the owner asks to bring the car in."""
    message = tracker.latest_message
    if tracker.active_loop_name != "problem_form" or message is None:
        return False
    intent = (message.intent or {}).get("name")
    # "ok book it fri at 8am, n ill need a loaner" asks for the visit as much as "book it" does
    return intent not in ELSEWHERE - {"book_service", "request_loaner"} and \
        asks_for_visit(whole_text(tracker))


def worse_trouble_mid_report(tracker: DialogueStateTracker) -> bool:
    """Whether, while the report's questions are asked, the owner tells of trouble that needs
    its own first instruction ("oh no now there's smoke coming from the hood"): a new report,
    not an answer to "is it safe to drive?"."""
    message = tracker.latest_message
    if tracker.active_loop_name != "problem_form" or message is None or \
            (message.text or "").startswith("/"):
        return False
    found = triage(whole_text(tracker))
    if found.severity == "routine" or not found.first:
        return False
    category = open_situation(tracker)
    rule = category_rule(category) if category else None
    return rule is None or rule.situation.name != found.situation


# A day or a time said: a visit asked for, not a question about the trouble.
A_DAY = re.compile(r"\b(today|tonight|tomorrow|tmrw|tmr|mon|tues?|wed|thu|thurs|fri|sat|sun|"
                   r"\w+day|next week|this week|\d{1,2}(:\d\d)? ?(am|pm))\b")
# A visit put off: "no dont book anything yet".
NOT_YET = re.compile(r"\b(don'?t|dont|do not|no|not|won'?t|wont)\b.{0,12}\b(book|schedule|come in|"
                     r"bring it)|\bnot yet\b|\bhold off\b")
# How grave each severity is: a lesser trouble told after a graver one is news of it.
RANK = {"routine": 0, "urgent": 1, "safety": 2}
# What a text is read as that nothing else will answer.
UNREAD_AS = {"nlu_fallback", "out_of_scope"}
# Intents trouble told for the first time may be misread as.
MISREAD = {"complain", "nlu_fallback", "out_of_scope"}
# What a text of trouble that is not routine is left to: the report itself, and consent.
NOT_MISREAD = {"report_issue", "opt_out", "opt_in"}


def trouble_misread(tracker: DialogueStateTracker) -> bool:
    """Whether a first text of trouble with its own first instruction ("someone backed into me
    at the costco lot yesterday...who do i talk to") was read as something else; trouble that
    is not routine ("my brakes failed, can u look at it tmrw") whatever it was read as: its
    instruction comes first, and the report offers the visit."""
    message = tracker.latest_message
    intent = (message.intent or {}).get("name") if message is not None else None
    if message is None or tracker.active_loop_name or open_situation(tracker) or \
            intent in NOT_MISREAD or (message.text or "").startswith("/"):
        return False
    found = triage(whole_text(tracker))
    return found.first is not None and (intent in MISREAD or found.severity != "routine")


def visit_asked_after_report(tracker: DialogueStateTracker) -> bool:
    """Whether, a visit offered (for the trouble reported, a recall, the work due), the owner
    asks to bring the car in ("can i bring it tmrw at 7:30 and can the shuttle take me to work
    after", "ok can i wait for it fri at 8"): that visit."""
    message = tracker.latest_message
    if message is None or tracker.active_loop_name or \
            not tracker.get_slot("offered_service") or \
            (message.intent or {}).get("name") in ELSEWHERE | {"deny"}:
        return False  # (a booking asked in so many words starts the offered one already)
    text = whole_text(tracker).lower()
    return asks_for_visit(text) and not NOT_YET.search(text) and bool(
        A_DAY.search(text) or re.search(r"\b(book|schedule|put me down|fit (me|it) in)\b", text))


def answers_situation(tracker: DialogueStateTracker) -> bool:
    """Whether the owner's latest text is about the trouble they reported."""
    category = open_situation(tracker)
    rule = category_rule(category) if category else None
    message = tracker.latest_message
    if rule is None or message is None or (message.text or "").startswith("/"):
        return False
    intent = (message.intent or {}).get("name")
    text = whole_text(tracker)
    if rule.situation.drivable is False and "drive" in asked_back(text) and \
            intent not in ("request_human", "opt_out", "opt_in"):
        # "i need it for work tmrw tho, can i just drive it in real slow?": the table's no,
        # before any visit the words also ask for
        return True
    asked = asked_back(text)
    if intent in ELSEWHERE and not (intent in ASKED_BACK_AS and asked and (
            not A_DAY.search(text.lower()) or ("tow" in asked and not asks_for_visit(text)))):
        # ("fine ill get it towed. can u let service know its coming": asked back, not a
        # booking, though it reads as one; so is "can u get it towed to u guys. im so done
        # today", a day said of the owner's day, no visit asked)
        return False
    if "tow" in asked_back(text):
        # "can they tow it to u guys and can u fix the tire today": the tow first, from the
        # table, and the fix it offers after it
        return True
    if (ADD_TO_VISIT.search(text.lower()) or (asks_for_visit(text) and
                                              A_DAY.search(text.lower()))) and \
            not (intent in UNREAD_AS and asked_back(text)):
        # "add the battery thing to tmrws appt", "can i bring it tmrw at 7:30": a visit, not
        # news of the trouble ("can u guys replace the tire there" is a question about it,
        # and so is "...today or tmrw" when nothing else reads it)
        return False
    if asked_back(text):
        return True
    if rule.situation.severity == "routine" or tracker.active_loop_name or intent not in NEWS:
        return False
    if tracker.get_slot("offered_service") or (intent == "inform" and message.entities):
        return False  # an answer to the visit offered, or a booking
    if intent == "ownership" and ("?" in text or ASKED.match(text)):
        return False  # a question of its own ("what should i bring when i come in")
    if intent == "report_issue":  # the same trouble told again, not a new one
        # (nor a lesser one told as it eases: "ok im out. its just steaming a little now" after
        # smoke from the hood)
        found = triage(text)
        return found.situation in (rule.situation.name, "routine") or \
            RANK[found.severity] < RANK[rule.situation.severity]
    return True


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False)
class SituationPolicy(RoutingPolicy):
    """Sends what an owner in trouble asks back to the answer for their situation; named in
    config.yml with a priority above the rules, which it overrides only then."""

    def next_action(self, tracker: DialogueStateTracker) -> str | None:
        latest = tracker.latest_action_name
        if latest == ACTION_LISTEN_NAME and (worse_trouble_mid_report(tracker) or
                                             trouble_misread(tracker)):
            return REPORT
        if latest == ACTION_LISTEN_NAME and asks_visit_mid_report(tracker):
            return BOOK
        if latest == ACTION_LISTEN_NAME and visit_asked_after_report(tracker):
            return OFFERED
        if latest == ACTION_LISTEN_NAME and answers_situation(tracker):
            return ANSWER
        if latest == ANSWER:
            return tracker.active_loop_name or ACTION_LISTEN_NAME
        if latest == REPORT and not tracker.active_loop_name:
            # The report said all there was to say (whatever the text was first read as).
            return ACTION_LISTEN_NAME
        return None
