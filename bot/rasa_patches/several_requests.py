"""A text that asks several things is answered on each, in order, in one reply.

Rasa reads a text as one intent. Here `MessageProcessor.handle_message` first reads the text's
clauses one by one (`bot.nlu.clauses`); when they are different requests, each request is
handled as a turn of its own, one after the other, into the same reply: the conversation shows
each part the owner's text was read as (with the whole text in its metadata), and every rule
and form works on them as on any text. A text with one request, any text while a form is
asking its questions, and a question asked back about trouble just reported, is handled whole.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa.core.actions.action import ActionBotResponse
from rasa.core.channels.channel import UserMessage
from rasa.core.processor import MessageProcessor
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet

from bot.dealership.booking_time import OPENINGS_ASKED
from bot.dealership.replies import SAME_VISIT, change_said
from bot.dealership.rides import wanted_ride
from bot.dealership.triage import asked_back, triage
from bot.nlu.clauses import (
    ANSWERS,
    FLOWS,
    MAX_CLAUSES,
    SURE,
    UNREAD,
    Part,
    Plan,
    Reading,
    asides_first,
    clauses,
    plan,
)
from bot.policies.situations import in_trouble
from bot.rasa_patches.registry import replace

log = logging.getLogger(__name__)

LEFT_OVER = "utter_rest_after_this"
ASK_AGAIN = "utter_rest_after_this_ask_again"
TAKEN_UP = "utter_now_the_rest"
WAITING = "waiting_request"
# Slots that hold a question the owner was asked and has not answered yet: while one is set,
# the request that waits stays waiting.
OPEN_QUESTIONS = ("change_code", "offered_service", "ride_change", "opt_out_asked",
                  "verify_then")
# ...of them, a change of a visit booked asked to be confirmed: a yes first in a text is its.
CHANGE_ASKED = ("change_code", "ride_change")
# (not while times or visits to choose from are offered: a yes there is no choice)
CHOICES_OFFERED = ("offered_slots", "offered_appointments")

# A time said instead of the one agreed: "make it 3", "can we do 10 instead".
TIME_CHANGED = re.compile(r"\b(?:make it|make that|change it to|switch it to|how about|can we do|"
                          r"could we do|move it to|push it to)\s+(?:\d{1,2}(?::\d\d)?\s*(?:am|pm)?"
                          r"|noon)\b", re.IGNORECASE)
# A question in its form: "is it gonna be an nx or some sedan", "will it be an suv?".
QUESTION = re.compile(r"\?\s*$|^\W*(?:is|are|will|would|can|could|do|does|what|which|how|"
                      r"where|when|who)\b", re.IGNORECASE)
# Words that ask for a person, which no change of time takes away.
PERSON_ASKED = re.compile(r"\b(?:person|human|someone|somebody|advisor|agent|manager|"
                          r"representative|rep|call me|talk to|speak (?:to|with))\b", re.IGNORECASE)

_handle_message: Any = None


def intent_of(parsed: dict[str, Any]) -> str:
    """The intent read, an ownership question's with its topic ("ownership/hours")."""
    intent = parsed.get("intent") or {}
    return intent.get("full_retrieval_intent_name") or intent.get("name") or ""


async def read_clauses(processor: MessageProcessor, message: UserMessage) -> list[Reading]:
    """Each clause of the text as the model reads it on its own; [] for a text of one clause, or
    of more than MAX_CLAUSES (read whole)."""
    found = clauses(message.text or "")
    if not 2 <= len(found) <= MAX_CLAUSES:
        return []
    readings = []
    for start, text in found:
        parsed = await processor.parse_message(UserMessage(text, sender_id=message.sender_id))
        readings.append(Reading(text, start, intent_of(parsed), parsed.get("entities") or [],
                                (parsed.get("intent") or {}).get("confidence") or 0.0))
    return readings


async def plan_for(processor: MessageProcessor, message: UserMessage) -> Plan | None:
    """How to handle `message` as several requests; None to handle it whole."""
    if not message.text or message.text.startswith("/") or message.parse_data:
        return None
    whole = await processor.parse_message(message)
    if (read := await read_whole_as(processor, message, whole)) is not None:
        message.parse_data = read
        return None
    readings = await read_clauses(processor, message)
    if not readings:
        message.parse_data = whole  # read once
        return None
    if intent_of(whole) == "report_issue" and any(
            e.get("entity") == "when" for e in whole.get("entities") or []):
        tracker = await processor.tracker_store.retrieve(message.sender_id)
        if tracker is not None and tracker.active_loop_name == "booking_form" and \
                tracker.get_slot("requested_slot") == "appointment_time" and \
                triage(message.text).severity == "routine":
            # "started maybe 2 wks ago, no lights on the dash. 9am wed works" to the times
            # offered for the visit the trouble asked for: the time it answers
            message.parse_data = read_as(whole, "inform")
            return None
    if intent_of(whole) == "report_issue" and asked_back(message.text):
        message.parse_data = whole  # trouble and a question about it ("ok to drive on?")
        return None
    tracker = await processor.tracker_store.retrieve(message.sender_id)
    if tracker is not None and tracker.get_slot("offered_service") and \
            (intent_of(whole) in UNREAD or (intent_of(whole) == "inform" and
                                            not whole.get("entities"))) and \
            (answer := last_answer(readings)) is not None:
        # "no loaner thx, ill still wait. go ahead and add it" to "add the recall to that
        # visit?": the yes (or no) the text ends on answers it
        message.parse_data = read_as(whole, answer.intent)
        return None
    if tracker is not None and (first := yes_to_the_visit_offered(tracker, readings) or
                                move_then_ride(tracker, readings)):
        return first
    if tracker is not None and not tracker.active_loop_name and \
            any(tracker.get_slot(slot) for slot in CHANGE_ASKED) and \
            not any(tracker.get_slot(slot) for slot in CHOICES_OFFERED) and \
            readings[0].base in ANSWERS and readings[0].confidence >= SURE and \
            any(r.request for r in readings[1:]):
        # "ugh right. and can u add an oil change while its there" to "move it to wed?": the
        # yes is the change's, and the rest comes after it ("ok perfect, move it": the rest is
        # that change again, and the yes is all)
        asked = {"cancel": "cancel_appointment", "move": "reschedule_appointment"}.get(
            change_asked(tracker) or "")
        if readings[0].base == "affirm" and all(
                r.base == asked and not r.entities for r in readings[1:] if r.request):
            return Plan([Part(message.text, intent=readings[0].intent, entities=[])])
        return Plan([Part(readings[0].text), Part(message.text[readings[1].start:])])
    if tracker is not None and tracker.active_loop_name and (asides := asides_first(
            readings, tracker.get_slot("requested_slot"), whole_question(message, whole))
    ) is not None:
        return asides  # a question asked beside the form's answer: answered, then the answer
    found = plan(message.text, readings, whole_reading(message, whole))
    if found is None:
        message.parse_data = whole  # read once
        return None
    offered = tracker is not None and tracker.get_slot("offered_service") and \
        intent_of(whole) in ("affirm", "inform")
    if tracker is not None and not tracker.active_loop_name and not offered and (
            intent_of(whole) in UNREAD and len(found.parts) == 1 and found.left_over is None
            or tow_then_more(tracker, found, message.text)):
        # "ok its parked at home now. can u get it in today or tmrw" after trouble reported:
        # the whole is read as nothing, the one request in it is what it asks
        return found
    if tracker is not None and (tracker.active_loop_name or offered or
                                in_trouble(tracker, message.text)):
        # A form is asking, a visit was offered ("sure, saturday at 9? and i'll need a
        # loaner"), or the owner tells or asks about the trouble just reported: the text
        # answers it, whole.
        message.parse_data = whole
        return None
    return found


def tow_then_more(tracker: Any, found: Plan, text: str) -> bool:
    """"ok pls have it towed to u. and i need a loaner, i have work tmrw" in trouble told
    lately: the tow, from the situation's answer, then the rest (not the text read whole)."""
    return len(found.parts) > 1 and "tow" in asked_back(found.parts[0].text) and \
        in_trouble(tracker, text)


def whole_reading(message: UserMessage, whole: dict[str, Any]) -> Reading:
    return Reading(message.text or "", 0, intent_of(whole), whole.get("entities") or [],
                   (whole.get("intent") or {}).get("confidence") or 0.0)


def whole_question(message: UserMessage, whole: dict[str, Any]) -> Reading:
    """The whole text's reading; read as nothing, a question's, when the topic selector is
    sure of its topic ("wait actually make it 10, and can i just wait there while u do it?")."""
    selected = ((whole.get("response_selector") or {}).get("ownership") or {}).get(
        "response") or {}
    if intent_of(whole) in UNREAD and float(selected.get("confidence") or 0) >= SURE and \
            QUESTION.search(message.text or "") and selected.get("intent_response_key"):
        return Reading(message.text or "", 0, selected["intent_response_key"],
                       whole.get("entities") or [], float(selected["confidence"]))
    return whole_reading(message, whole)


async def read_whole_as(processor: MessageProcessor, message: UserMessage,
                        whole: dict[str, Any]) -> dict[str, Any] | None:
    """The reading of a text that the conversation says it is, whatever the model read it as;
    None to read it as usual."""
    if (changed := await time_changed(processor, message, whole)) is not None:
        # "actually make it 3, i have a call at 2" while a booking asks: a change of time,
        # whatever "a call" was read as; once booked ("ugh i have a call at 3. can we do 4:30
        # instead"), the visit's move
        return read_as(whole, "inform" if changed else "reschedule_appointment")
    if topic := await question_of_a_topic(processor, message, whole):
        # "is it gonna be an nx or some sedan" at the summary, read as nothing: the topic the
        # selector is sure of
        return {**read_as(whole, "ownership"), "intent": {
            "name": "ownership", "confidence": 1.0, "full_retrieval_intent_name": topic}}
    if hours_asked(message.text or "", whole):
        # "k what about sat, how late", read as nothing: the hours the selector is sure of
        return {**read_as(whole, "ownership"), "intent": {
            "name": "ownership", "confidence": 1.0, "full_retrieval_intent_name": HOURS}}
    if loaner_asked_for_a_day(message.text or "", whole):
        # "can i get a loaner w my first service on the tx? mon the 30th at 8", read unsurely
        # as a question of the loaner policy: the visit, with the loaner
        return read_as(whole, "request_loaner")
    if await day_for_visit_offered(processor, message, whole):
        # "ok could u do wed around 4" to "want me to book it?": the visit offered, then
        return read_as(whole, "book_service")
    if (off := await work_called_off(processor, message, whole)) is not None:
        return off
    if intent_of(whole) == "deny" and change_said(message.text or "") and \
            not any(e.get("entity") == "when" for e in whole.get("entities") or []):
        tracker = await processor.tracker_store.retrieve(message.sender_id)
        asked = change_asked(tracker) if tracker is not None and \
            tracker.get_slot("change_code") and not tracker.active_loop_name else None
        if asked is not None and change_said(message.text or "", asked):
            # "no just cancel it pls" to "Cancel your ...?": the cancel asked for, in so
            # many words (not to "Move it to ...?": another change)
            return read_as(whole, "affirm")
    return None


HOURS = "ownership/hours"
# Words that ask when the doors are open.
HOURS_WORDS = re.compile(r"\b(?:how late|how early|open|opens|close|closes|closing|hours)\b",
                         re.IGNORECASE)


def hours_asked(text: str, whole: dict[str, Any]) -> bool:
    """Whether a text read as nothing asks the opening hours in so many words, the topic
    selector sure of it ("thx. ill stop by sat then, what time do u close")."""
    selected = ((whole.get("response_selector") or {}).get("ownership") or {}).get(
        "response") or {}
    return intent_of(whole) in UNREAD and bool(HOURS_WORDS.search(text)) and \
        selected.get("intent_response_key") == HOURS and \
        float(selected.get("confidence") or 0) >= SURE


# A loaner asked for, as a request: "can i get a loaner", "ill need a loaner".
LOANER_WANTED = re.compile(r"\b(?:(?:can|could|may) (?:i|we) (?:get|have|borrow|grab)|"
                           r"(?:i'?ll|ill|i will|i'?d|id|i|we)? ?(?:need|want|like)) (?:a|the) "
                           r"(?:loaner|rental|courtesy car)\b", re.IGNORECASE)


def loaner_asked_for_a_day(text: str, whole: dict[str, Any]) -> bool:
    """Whether a text read unsurely as a question asks for a loaner with a visit on a day of
    its own naming (no question of the policy, which a sure reading answers)."""
    intent = whole.get("intent") or {}
    return intent.get("name") == "ownership" and float(intent.get("confidence") or 0) < SURE \
        and any(e.get("entity") == "when" for e in whole.get("entities") or []) \
        and bool(LOANER_WANTED.search(text))


# The work called off: "ok nah never mind on the detail then", "forget the alignment".
CALLED_OFF = re.compile(r"\b(?:never ?mind|nvm|forget|scratch|skip|no need for|don'?t need|"
                        r"dont need|not (?:doing|getting))\b", re.IGNORECASE)


async def work_called_off(processor: MessageProcessor, message: UserMessage,
                          whole: dict[str, Any]) -> dict[str, Any] | None:
    """A no that calls off all the work of the booking being made, by its name: the no, with
    the work's name taken out of it, so that it stops the booking instead of naming the work
    again as an answer. None for any other text."""
    named = {str(e.get("value")) for e in whole.get("entities") or []
             if e.get("entity") == "service"}
    if intent_of(whole) != "deny" or not named or not CALLED_OFF.search(message.text or ""):
        return None
    tracker = await processor.tracker_store.retrieve(message.sender_id)
    if tracker is None or tracker.active_loop_name != "booking_form" or \
            not set(tracker.get_slot("services") or []) <= named:
        return None
    return {**read_as(whole, "deny"),
            "entities": [e for e in whole.get("entities") or [] if e.get("entity") != "service"]}


def change_asked(tracker: Any) -> str | None:
    """"cancel" or "move": the change the assistant last asked the owner to confirm."""
    for event in reversed(tracker.events):
        if isinstance(event, BotUttered):
            said = (event.metadata or {}).get("utter_action") or ""
            if said.startswith("utter_confirm_cancel"):
                return "cancel"
            if said.startswith("utter_confirm_move"):
                return "move"
            return None
    return None


async def time_changed(processor: MessageProcessor, message: UserMessage,
                       whole: dict[str, Any]) -> bool | None:
    """For a text that changes a time, read as a person asked for: whether a booking asks (True)
    or not (False); None for any other text."""
    if not TIME_CHANGED.search(message.text or "") or PERSON_ASKED.search(message.text or "") \
            or intent_of(whole) not in ("request_human", "complain"):
        return None
    tracker = await processor.tracker_store.retrieve(message.sender_id)
    return tracker is not None and tracker.active_loop_name == "booking_form"


async def question_of_a_topic(processor: MessageProcessor, message: UserMessage,
                              whole: dict[str, Any]) -> str | None:
    """The topic a question read as nothing asks about while a booking asks its questions, when
    the topic selector is sure of it; None otherwise (and never outside a booking)."""
    selected = ((whole.get("response_selector") or {}).get("ownership") or {}).get(
        "response") or {}
    if intent_of(whole) != "nlu_fallback" or float(selected.get("confidence") or 0) < SURE \
            or not QUESTION.search(message.text or "") or TIME_CHANGED.search(message.text or ""):
        # (a time changed beside the question: the text's clauses say which is which)
        return None
    tracker = await processor.tracker_store.retrieve(message.sender_id)
    if tracker is None or tracker.active_loop_name != "booking_form":
        return None
    return selected.get("intent_response_key")


async def day_for_visit_offered(processor: MessageProcessor, message: UserMessage,
                                whole: dict[str, Any]) -> bool:
    """Whether a text read as nothing names a day while a visit offered waits for a yes; or
    asks what is open that day ("ok whats open tmrw around lunchtime", read as the hours)."""
    openings = intent_of(whole) == "ownership/hours" and \
        bool(OPENINGS_ASKED.search(message.text or ""))
    if intent_of(whole) not in UNREAD and not openings or \
            not any(e.get("entity") == "when" for e in whole.get("entities") or []):
        return False
    tracker = await processor.tracker_store.retrieve(message.sender_id)
    return tracker is not None and bool(tracker.get_slot("offered_service")) and \
        not tracker.active_loop_name


# Clauses that say a time picked for a move ("ugh ok fri then").
TIME_PICKED = {"inform", "affirm", "nlu_fallback"}


def move_then_ride(tracker: Any, readings: list[Reading]) -> Plan | None:
    """"ugh ok fri then. and ill need a loaner this time instead of the shuttle" to the times a
    move offered: the move to the time picked first, then the ride changed on the visit moved
    (read together they would be one loaner request, and the move lost)."""
    if tracker.active_loop_name or not tracker.get_slot("change_code") or \
            not tracker.get_slot("offered_slots"):
        return None
    picked = next((r for r in readings if r.base in TIME_PICKED and any(
        e.get("entity") in ("when", "option") for e in r.entities)), None)
    ride = [r for r in readings if r is not picked and wanted_ride(r.text) is not None]
    if picked is None or not ride or readings.index(picked) > readings.index(ride[0]):
        return None
    return Plan([Part(picked.text, intent="inform", entities=picked.entities),
                 Part(" ".join(r.text for r in readings if r is not picked))])


def yes_to_the_visit_offered(tracker: Any, readings: list[Reading]) -> Plan | None:
    """"can u do the recall at the same visit? how long will it all take" to "add the recall
    to that visit?": the yes, then the rest of the text."""
    if not tracker.get_slot("offered_service") or tracker.active_loop_name:
        return None
    yes = next((r for r in readings if SAME_VISIT.search(r.text)), None)
    rest = [r for r in readings if r is not yes]
    if yes is None or not any(r.request for r in rest):
        return None
    return Plan([Part(yes.text, intent="affirm", entities=[]),
                 Part(" ".join(r.text for r in rest))])


def read_as(parsed: dict[str, Any], intent: str) -> dict[str, Any]:
    """`parsed` (the whole text's reading, its words and entities) read surely as `intent`."""
    return {**parsed, "intent": {"name": intent, "confidence": 1.0},
            "intent_ranking": [{"name": intent, "confidence": 1.0}]}


def last_answer(readings: list[Reading]) -> Reading | None:
    """The last clause read surely as a yes or a no."""
    return next((r for r in reversed(readings) if r.base in ANSWERS and r.confidence >= SURE),
                None)


def part_message(message: UserMessage, part: Part, index: int, count: int,
                 then: Part | None = None) -> UserMessage:
    metadata = {**(message.metadata or {}),
                "whole_text": message.text, "part": index + 1, "parts": count}
    if then is not None and then.intent:
        metadata["then"] = then.intent  # what the next part is read as (a visit asked for)
    if part.aside:
        metadata["aside"] = True
    parse_data = None
    if part.intent is not None:
        name, _, topic = part.intent.partition("/")
        intent = {"name": name, "confidence": 1.0}
        # (its ranking names it too: the actions read a message's intent from the ranking)
        parse_data = {"text": part.text, "intent": intent,
                      "entities": part.entities or [], "intent_ranking": [intent]}
        if topic:
            # "ownership/service_time": the topic as the topic selector gives it
            intent["full_retrieval_intent_name"] = part.intent
            parse_data["response_selector"] = {"all_retrieval_intents": [name], name: {
                "response": {"responses": [], "confidence": 1.0,
                             "intent_response_key": part.intent,
                             "utter_action": f"utter_{part.intent}"},
                "ranking": [{"confidence": 1.0, "intent_response_key": part.intent}]}}
    message_id = message.message_id if index == 0 or message.message_id is None \
        else f"{message.message_id}.{index + 1}"
    return UserMessage(part.text, message.output_channel, message.sender_id,
                       parse_data=parse_data, input_channel=message.input_channel,
                       message_id=message_id, metadata=metadata)


async def say(processor: MessageProcessor, message: UserMessage, response: str,
              waiting: dict[str, Any] | None) -> None:
    """Says `response` as a turn's bot message between parts, and keeps `waiting` (the requests
    that wait) in the conversation. A conversation this text begins starts its session first,
    as the text's own turn would (the owner is known before anything is said)."""
    tracker = await processor.fetch_tracker_and_update_session(
        message.sender_id, message.output_channel, message.metadata)
    events = await ActionBotResponse(response).run(message.output_channel, processor.nlg,
                                                   tracker, processor.domain)
    tracker.update(ActionExecuted(response))
    tracker.update_with_events([*events, SlotSet(WAITING, waiting)], processor.domain)
    await processor.execute_side_effects(events, tracker, message.output_channel)
    tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
    await processor.save_tracker(tracker)


async def say_left_over(processor: MessageProcessor, message: UserMessage, found: Plan) -> None:
    """Tells the owner a further request waits, and keeps it for when this one is done."""
    if not found.waiting:
        await say(processor, message, ASK_AGAIN, None)
        return
    await say(processor, message, LEFT_OVER, {"flows": [flow for flow, _ in found.waiting],
                                              "text": " ".join(t for _, t in found.waiting)})


async def take_up_waiting(processor: MessageProcessor, message: UserMessage) -> Any:
    """Once the request a text began with is done (no form asks, no question waits for a yes),
    handles the request that waited as the owner's next words, in the same reply; None when
    nothing waits or it still must. A request that waited and that the owner has since asked
    for in words of their own is not asked again."""
    tracker = await processor.get_tracker(message.sender_id)
    waiting = tracker.get_slot(WAITING)
    if not isinstance(waiting, dict) or not waiting.get("text"):
        return None
    asked = intent_of(tracker.latest_message.parse_data if tracker.latest_message else {})
    if asked == "opt_out" or FLOWS.get(asked.split("/")[0]) in waiting.get("flows", []):
        # (nothing more is texted once a number opts out)
        tracker.update(SlotSet(WAITING, None))
        await processor.save_tracker(tracker)
        return None
    if tracker.active_loop_name or any(tracker.get_slot(s) for s in OPEN_QUESTIONS):
        return None
    await say(processor, message, TAKEN_UP, None)
    said = UserMessage(str(waiting["text"]), message.output_channel, message.sender_id,
                       input_channel=message.input_channel,
                       message_id=None if message.message_id is None
                       else f"{message.message_id}.later",
                       metadata={**(message.metadata or {}), "whole_text": waiting["text"]})
    return await _handle_message(processor, said)


async def handle_message(self: MessageProcessor, message: UserMessage) -> Any:
    """`MessageProcessor.handle_message`, once per request of the text, then the request that
    waited for the one before it to be done, if it is."""
    found = await plan_for(self, message)
    if found is None:
        answer = await _handle_message(self, message)
        later = await take_up_waiting(self, message)
        return answer if later is None else later
    log.info("A text of %s read as %d requests", message.sender_id, len(found.parts))
    answer = None
    for i, part in enumerate(found.parts):
        if found.left_over == i:
            await say_left_over(self, message, found)
        after = found.parts[i + 1] if i + 1 < len(found.parts) else None
        if after is not None and not after.intent:
            # what the next part reads as, for this one to know (a visit asked for next: the
            # due date answered offers no visit of its own)
            read = await self.parse_message(UserMessage(after.text, sender_id=message.sender_id))
            after = Part(after.text, intent=intent_of(read))
        said = part_message(message, part, i, len(found.parts), after)
        if part.aside:
            # A question beside a form's answer fills none of the form's slots: its words
            # ("can the shuttle take me home?") are the rest's to answer with.
            read = said.parse_data if part.intent is not None else \
                await self.parse_message(said)
            said.parse_data = {**read, "entities": []}
        answer = await _handle_message(self, said)
    if found.left_over == len(found.parts):
        await say_left_over(self, message, found)
        if answer is not None:
            answer = message.output_channel.messages
    later = await take_up_waiting(self, message)
    return answer if later is None else later


def install() -> None:
    """After `failed_turns`: each part is a turn that apologises on its own."""
    global _handle_message
    if MessageProcessor.handle_message is handle_message:
        return
    _handle_message = replace(MessageProcessor, "handle_message", handle_message)
