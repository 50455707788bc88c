"""How many readings a text costs before it is handled (`several_requests.read_clauses`)."""

from __future__ import annotations

import asyncio

import pytest
from rasa.core.channels.channel import UserMessage

from bot.nlu.clauses import MAX_CLAUSES
from bot.rasa_patches.several_requests import read_clauses


class CountingProcessor:
    def __init__(self) -> None:
        self.parsed: list[str] = []

    async def parse_message(self, message: UserMessage) -> dict:
        self.parsed.append(message.text)
        return {"intent": {"name": "ownership", "confidence": 0.9}, "entities": []}


def readings_of(text: str) -> tuple[int, list[str]]:
    processor = CountingProcessor()
    found = asyncio.run(read_clauses(processor, UserMessage(text)))  # type: ignore[arg-type]
    return len(found), processor.parsed


def test_each_clause_of_a_short_text_is_read():
    assert readings_of("what time do you close? and where are you") == (
        2, ["what time do you close?", "where are you"])


def test_a_text_of_one_clause_costs_no_extra_reading():
    assert readings_of("can i book an oil change for tuesday") == (0, [])


def test_a_long_text_is_read_whole_not_clause_by_clause():
    story = ", ".join(f"then the noise came back on day {i}" for i in range(200))  # ~7,000 chars
    assert readings_of(story) == (0, [])
    several = ". ".join(["what time do you close"] * MAX_CLAUSES)
    assert readings_of(several)[0] == MAX_CLAUSES


def test_a_part_read_for_the_model_names_its_intent_in_its_ranking_too():
    from rasa.core.channels.channel import UserMessage

    from bot.nlu.clauses import Part
    from bot.rasa_patches.several_requests import part_message

    part = part_message(UserMessage("a and b", sender_id="x"),
                        Part("b", intent="request_loaner"), 1, 2)
    assert part.parse_data["intent_ranking"] == [part.parse_data["intent"]]
    assert part.metadata == {"whole_text": "a and b", "part": 2, "parts": 2}


class Conversation:
    """A conversation's tracker as the planner reads it: its slots and the form asking."""

    def __init__(self, slots: dict, loop: str | None) -> None:
        self.slots, self.active_loop_name, self.events = slots, loop, []

    def get_slot(self, name: str):
        return self.slots.get(name)


class ReadingProcessor:
    """Reads each text as the table says, in a conversation with no form asking and no slot
    set unless `conversation` says otherwise."""

    def __init__(self, readings: dict[str, tuple[str, float]]) -> None:
        self.readings = readings
        self.tracker_store = self
        self.conversation = Conversation({}, None)

    async def parse_message(self, message: UserMessage) -> dict:
        name, confidence = self.readings[message.text]
        return {"intent": {"name": name, "confidence": confidence}, "entities": []}

    async def retrieve(self, sender_id: str) -> Conversation:
        return self.conversation


def test_a_text_read_as_nothing_whole_is_the_one_request_in_it(monkeypatch):
    from bot.nlu.clauses import Part
    from bot.rasa_patches import several_requests
    from bot.rasa_patches.several_requests import plan_for

    # after trouble was reported, whose news is read whole
    monkeypatch.setattr(several_requests, "in_trouble", lambda tracker, text: True)
    text = "ok its parked at home now. can u get it in today or tmrw"
    processor = ReadingProcessor({text: ("nlu_fallback", 0.5),
                                  "ok its parked at home now.": ("goodbye", 0.53),
                                  "can u get it in today or tmrw": ("book_service", 0.86)})
    found = asyncio.run(plan_for(processor, UserMessage(text, sender_id="x")))  # type: ignore
    assert found is not None and found.parts == [Part("can u get it in today or tmrw")]


def test_a_tow_asked_in_trouble_beside_a_loaner_is_answered_then_the_loaner(monkeypatch):
    from bot.rasa_patches import several_requests
    from bot.rasa_patches.several_requests import plan_for

    text = "ok pls have it towed to u. and i need a loaner, i have work tmrw"
    processor = ReadingProcessor({text: ("request_loaner", 0.95),
                                  "ok pls have it towed to u.": ("affirm", 0.6),
                                  "i need a loaner": ("request_loaner", 1.0),
                                  "i have work tmrw": ("inform", 0.8)})
    # in trouble told lately a text is read whole, but for a tow asked beside the rest
    monkeypatch.setattr(several_requests, "in_trouble", lambda tracker, text: True)
    found = asyncio.run(plan_for(processor, UserMessage(text, sender_id="x")))  # type: ignore
    assert found is not None and [p.text for p in found.parts] == [
        "ok pls have it towed to u.", "i need a loaner"]


def test_a_part_that_is_a_question_of_a_topic_carries_the_topic_as_the_selector_gives_it():
    from bot.nlu.clauses import Part
    from bot.rasa_patches.several_requests import part_message

    part = part_message(UserMessage("a and b", sender_id="x"),
                        Part("b", intent="ownership/service_time"), 0, 1)
    assert part.parse_data["intent"]["name"] == "ownership"
    assert part.parse_data["intent"]["full_retrieval_intent_name"] == "ownership/service_time"
    selected = part.parse_data["response_selector"]["ownership"]["response"]
    assert selected["intent_response_key"] == "ownership/service_time"


def test_a_yes_beside_words_read_as_nothing_asked_answers_the_visit_offered():
    from bot.rasa_patches.several_requests import plan_for

    text = "yes add it, ill just hang out in the lounge"
    processor = ReadingProcessor({text: ("inform", 0.78), "yes add it": ("affirm", 1.0),
                                  "ill just hang out in the lounge": ("inform", 1.0)})

    processor.conversation = Conversation({"offered_service": "recall_repair"}, None)
    message = UserMessage(text, sender_id="x")
    assert asyncio.run(plan_for(processor, message)) is None  # type: ignore[arg-type]
    assert message.parse_data["intent"]["name"] == "affirm"


def test_the_yes_a_text_ends_on_answers_the_visit_offered(monkeypatch):
    from bot.rasa_patches.several_requests import plan_for

    text = "no loaner thx, ill still wait. go ahead and add it"
    processor = ReadingProcessor({text: ("nlu_fallback", 0.5), "no loaner thx": ("deny", 0.89),
                                  "ill still wait.": ("inform", 0.78),
                                  "go ahead": ("affirm", 1.0), "add it": ("affirm", 0.59)})

    processor.conversation = Conversation({"offered_service": "recall"}, None)
    message = UserMessage(text, sender_id="x")
    assert asyncio.run(plan_for(processor, message)) is None  # type: ignore[arg-type]
    assert message.parse_data["intent"]["name"] == "affirm"


@pytest.mark.parametrize(("slots", "parts"), [
    # a move asked to be confirmed: the yes is its, the rest comes after
    ({"change_code": "SP3239"}, ["ugh right.", "can u add an oil change while its there"]),
    # times offered for it: a yes picks none, and the text is read as before
    ({"change_code": "SP3239", "offered_slots": ["2026-11-25T09:00"]},
     ["can u add an oil change while its there"]),
])
def test_a_yes_first_answers_the_change_asked_about(slots, parts):
    from bot.rasa_patches.several_requests import plan_for

    text = "ugh right. and can u add an oil change while its there"
    processor = ReadingProcessor({text: ("book_service", 0.99), "ugh right.": ("affirm", 0.98),
                                  "can u add an oil change while its there": ("book_service",
                                                                              1.0)})

    processor.conversation = Conversation(slots, None)
    found = asyncio.run(plan_for(processor, UserMessage(text, sender_id="x")))  # type: ignore
    assert found is not None and [p.text for p in found.parts] == parts


@pytest.mark.parametrize(("text", "loop", "intent"), [
    # a change of time while a booking asks, whatever "a call" was read as
    ("actually make it 3, i have a call at 2", "booking_form", "inform"),
    # with no booking asking, the visit's move ("can we do 4:30 instead" once booked)
    ("actually make it 3, i have a call at 2", None, "reschedule_appointment"),
    # a person asked for in so many words stays asked for
    ("make it 3 and have someone call me", "booking_form", "request_human"),
])
def test_a_time_changed_mid_booking_is_no_person_asked_for(text, loop, intent):
    from bot.rasa_patches.several_requests import plan_for

    processor = ReadingProcessor({text: ("request_human", 0.75),
                                  "actually make it 3": ("inform", 0.99),
                                  "i have a call at 2": ("request_human", 0.78),
                                  "make it 3": ("inform", 0.99),
                                  "have someone call me": ("request_human", 0.99)})

    processor.conversation = Conversation({"requested_slot": "confirm_booking"}, loop)
    message = UserMessage(text, sender_id="x")
    asyncio.run(plan_for(processor, message))  # type: ignore[arg-type]
    read = message.parse_data or asyncio.run(processor.parse_message(message))
    assert read["intent"]["name"] == intent


@pytest.mark.parametrize(("text", "intent"), [
    # news of routine trouble beside the time picked for its visit: the time
    ("started maybe 2 wks ago, no lights on the dash. 9am wed works", "inform"),
    # trouble that is not routine stays a report, whatever time is said beside it
    ("now theres smoke coming from the hood. 9am wed works", "report_issue"),
])
def test_a_time_picked_beside_news_of_routine_trouble_is_the_time(text, intent):
    from bot.rasa_patches.several_requests import plan_for

    class Reading(ReadingProcessor):
        async def parse_message(self, message: UserMessage) -> dict:
            name, confidence = self.readings.get(message.text, ("report_issue", 0.9))
            return {"intent": {"name": name, "confidence": confidence},
                    "entities": [{"entity": "when", "value": "9am wed"}]}

    processor = Reading({"9am wed works": ("inform", 0.9)})

    processor.conversation = Conversation({"requested_slot": "appointment_time"}, "booking_form")
    message = UserMessage(text, sender_id="x")
    asyncio.run(plan_for(processor, message))  # type: ignore[arg-type]
    read = message.parse_data or asyncio.run(processor.parse_message(message))
    assert read["intent"]["name"] == intent


@pytest.mark.parametrize(("slots", "loop", "intent"), [
    # "ok could u do wed around 4" to "want me to book it?": the visit offered, on that day
    ({"offered_service": "brake_inspection"}, None, "book_service"),
    # nothing offered, or a form asking: the reading stands
    ({}, None, "nlu_fallback"),
    ({"offered_service": "brake_inspection"}, "booking_form", "nlu_fallback"),
])
def test_a_day_asked_for_to_the_visit_offered_books_it(slots, loop, intent):
    from bot.rasa_patches.several_requests import plan_for

    text = "ok could u do wed around 4"

    class Reading(ReadingProcessor):
        async def parse_message(self, message: UserMessage) -> dict:
            return {"intent": {"name": "nlu_fallback", "confidence": 0.5},
                    "entities": [{"entity": "when", "value": "wed around 4"}]}

    processor = Reading({})
    processor.conversation = Conversation(slots, loop)
    message = UserMessage(text, sender_id="x")
    assert asyncio.run(plan_for(processor, message)) is None  # type: ignore[arg-type]
    assert message.parse_data["intent"]["name"] == intent


def test_the_offered_work_asked_for_at_the_same_visit_is_the_yes_then_the_question():
    from bot.rasa_patches.several_requests import plan_for

    text = "can u do the recall at the same visit? how long will it all take"
    processor = ReadingProcessor({text: ("check_recall", 0.97),
                                  "can u do the recall at the same visit?": ("check_recall", 0.9),
                                  "how long will it all take": ("ownership/service_time", 0.99)})
    processor.conversation = Conversation({"offered_service": "recall_repair"}, None)
    found = asyncio.run(plan_for(processor, UserMessage(text, sender_id="x")))  # type: ignore
    assert found is not None and [(p.text, p.intent) for p in found.parts] == [
        ("can u do the recall at the same visit?", "affirm"),
        ("how long will it all take", None)]
    # nothing offered: the text is read as it is
    processor.conversation = Conversation({}, None)
    found = asyncio.run(plan_for(processor, UserMessage(text, sender_id="x")))  # type: ignore
    assert found is None or found.parts[0].intent != "affirm"


@pytest.mark.parametrize(("text", "loop", "confidence", "intent"), [
    # a question read as nothing at the summary: the topic the selector is sure of
    ("is it gonna be an nx or some sedan", "booking_form", 0.71, "ownership"),
    # not a question, not sure of the topic, or no booking asking: as read
    ("an nx or some sedan", "booking_form", 0.71, "nlu_fallback"),
    ("is it gonna be an nx or some sedan", "booking_form", 0.5, "nlu_fallback"),
    ("is it gonna be an nx or some sedan", None, 0.71, "nlu_fallback"),
])
def test_a_question_read_as_nothing_mid_booking_asks_the_topic_selected(text, loop, confidence,
                                                                        intent):
    from bot.rasa_patches.several_requests import plan_for

    class Reading(ReadingProcessor):
        async def parse_message(self, message: UserMessage) -> dict:
            return {"intent": {"name": "nlu_fallback", "confidence": 0.5}, "entities": [],
                    "response_selector": {"ownership": {"response": {
                        "intent_response_key": "ownership/loaner_fleet",
                        "confidence": confidence}}}}

    processor = Reading({})
    processor.conversation = Conversation({"requested_slot": "confirm_booking"}, loop)
    message = UserMessage(text, sender_id="x")
    assert asyncio.run(plan_for(processor, message)) is None  # type: ignore[arg-type]
    assert message.parse_data["intent"]["name"] == intent
    if intent == "ownership":
        assert message.parse_data["intent"]["full_retrieval_intent_name"] == \
            "ownership/loaner_fleet"


@pytest.mark.parametrize(("asked", "text", "intent"), [
    # "no just cancel it pls" to "Cancel your ...?": the cancel, in so many words
    ("utter_confirm_cancel", "no just cancel it pls, ill rebook after thanksgiving", "affirm"),
    # to "Move it to ...?", cancelling is another change: a no
    ("utter_confirm_move", "no just cancel it pls, ill rebook after thanksgiving", "deny"),
    ("utter_confirm_cancel", "no dont cancel it", "deny"),
])
def test_a_no_that_asks_for_the_change_asked_about_is_its_yes(asked, text, intent):
    from rasa.shared.core.events import BotUttered

    from bot.rasa_patches.several_requests import plan_for

    class Reading(ReadingProcessor):
        async def parse_message(self, message: UserMessage) -> dict:
            return {"intent": {"name": "deny", "confidence": 0.9}, "entities": []}

    processor = Reading({})
    processor.conversation = Conversation({"change_code": "CVZMZ6"}, None)
    processor.conversation.events = [BotUttered("", metadata={"utter_action": asked})]
    message = UserMessage(text, sender_id="x")
    assert asyncio.run(plan_for(processor, message)) is None  # type: ignore[arg-type]
    assert message.parse_data["intent"]["name"] == intent


def test_a_yes_then_the_same_change_again_is_the_yes_alone():
    from rasa.shared.core.events import BotUttered

    from bot.rasa_patches.several_requests import plan_for

    text = "ok perfect, move it"
    processor = ReadingProcessor({text: ("affirm", 0.9), "ok perfect,": ("affirm", 0.98),
                                  "ok perfect": ("affirm", 0.98),
                                  "move it": ("reschedule_appointment", 0.99)})
    processor.conversation = Conversation({"change_code": "SP3239"}, None)
    processor.conversation.events = [BotUttered("", metadata={
        "utter_action": "utter_confirm_move"})]
    found = asyncio.run(plan_for(processor, UserMessage(text, sender_id="x")))  # type: ignore
    assert found is not None and [(p.text, p.intent) for p in found.parts] == [(text, "affirm")]
    # "wait actually dont cancel it, can we just move it to fri" to "Cancel it?": the no, then
    # the move
    text = "wait actually dont cancel it, can we just move it to fri"
    processor.readings.update({text: ("deny", 0.9), "wait actually dont cancel it": (
        "deny", 0.95), "can we just move it to fri": ("reschedule_appointment", 0.99)})
    processor.conversation.events = [BotUttered("", metadata={
        "utter_action": "utter_confirm_cancel"})]
    found = asyncio.run(plan_for(processor, UserMessage(text, sender_id="x")))  # type: ignore
    assert found is not None and [p.text for p in found.parts] == [
        "wait actually dont cancel it", "can we just move it to fri"]
