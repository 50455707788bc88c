"""A question asked beside the answer to a form's question: the form reads nothing from it,
and once it is answered its part of the text ends, with the form taken up again."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from actions.booking import ValidateBookingForm
from actions.common import aside_done


def tracker(aside: bool, loop: str | None = "booking_form") -> Tracker:
    metadata = {"whole_text": "ill just wait. is there wifi", "part": 1, "parts": 2}
    if aside:
        metadata["aside"] = True
    message = {"text": "is there wifi", "intent": {"name": "ownership", "confidence": 0.99},
               "entities": [{"entity": "transport", "value": "wait"}], "metadata": metadata}
    return Tracker("+15125550142", {"requested_slot": "transport", "transport": "wait"},
                   message, [{"event": "slot", "name": "transport", "value": "wait"}], False,
                   None, {"name": loop} if loop else {}, "action_listen")


def test_a_form_reads_nothing_from_a_question_beside_its_answer(monkeypatch):
    read = []

    async def validation(self, dispatcher, tracker, domain):
        read.append(tracker.latest_message["text"])
        return [{"event": "slot", "name": "transport", "value": "wait"}]

    monkeypatch.setattr(FormValidationAction, "run", validation)
    assert asyncio.run(ValidateBookingForm().run(CollectingDispatcher(), tracker(aside=True),
                                                 {})) == []
    assert read == []
    # the form's own answer is read
    assert asyncio.run(ValidateBookingForm().run(CollectingDispatcher(), tracker(aside=False),
                                                 {}))
    assert read == ["is there wifi"]


def test_once_answered_the_form_is_taken_up_again_for_the_rest_of_the_text():
    assert aside_done(tracker(aside=True)) == [ActiveLoop("booking_form"),
                                               FollowupAction("action_listen")]
    assert aside_done(tracker(aside=False)) == []  # a question alone: the form asks again
    assert aside_done(tracker(aside=True, loop=None)) == []


def asked_beside(events: list[dict]) -> Tracker:
    message = {"text": "how long is a tire rotation, can i just wait",
               "intent": {"name": "ownership", "confidence": 0.97}, "entities": [],
               "metadata": {}}
    return Tracker("+15125550142", {"requested_slot": "join_visit"}, message,
                   [{"event": "user", "text": message["text"]}, *events], False, None,
                   {"name": "booking_form"}, "action_listen")


def test_a_question_that_answers_none_of_the_forms_is_answered_first(monkeypatch):
    async def validation(self, dispatcher, tracker, domain):
        dispatcher.utter_message(response="utter_ask_join_visit")
        return [{"event": "slot", "name": "transport", "value": "wait"}]

    monkeypatch.setattr(FormValidationAction, "run", validation)
    dispatcher = CollectingDispatcher()
    # read right after the text: no answer to the question asked, so the form rejects it and
    # a rule answers it (the ride said beside it is not taken; nor, with nothing returned,
    # would the form go on to the domain's first question)
    assert asyncio.run(ValidateBookingForm().run(dispatcher, asked_beside([]), {})) == [
        {"event": "action_execution_rejected", "name": "booking_form", "policy": None,
         "confidence": None, "timestamp": None}]
    assert dispatcher.messages == []
    # back after the answer, the form goes on as its validation says
    back = asked_beside([{"event": "action_execution_rejected", "name": "booking_form"},
                         {"event": "action", "name": "action_answer_ownership"}])
    assert asyncio.run(ValidateBookingForm().run(CollectingDispatcher(), back, {}))


def test_words_read_as_a_question_that_ask_nothing_are_the_forms(monkeypatch):
    async def validation(self, dispatcher, tracker, domain):
        return [{"event": "slot", "name": "transport", "value": "shuttle"}]

    monkeypatch.setattr(FormValidationAction, "run", validation)
    said = asked_beside([])
    said.latest_message["text"] = "scratch the loaner, just have the shuttle take me home"
    assert asyncio.run(ValidateBookingForm().run(CollectingDispatcher(), said, {}))


@pytest.mark.parametrize(("text", "slots", "confirmed"), [
    ("perfect book that", {"transport": "wait"}, True),
    ("ok perfect yes book it", {"transport": "shuttle"}, True),
    # the ride is still to be asked: the summary comes first
    ("perfect book that", {}, False),
    ("dont book it yet, how long does it take", {"transport": "wait"}, False),
    # a yes beside the time picked
    ("10 is good. yes", {"transport": "loaner"}, True),
    ("9ish is fine. yes go ahead", {"transport": "wait"}, True),
    ("2pm works, go ahead", {"transport": "shuttle"}, True),
    # a yes alone takes the first time, and the summary says it; a yes first answers the times
    ("yes", {"transport": "wait"}, False),
    ("yes 2pm", {"transport": "wait"}, False),
    ("2pm works. yes but is the loaner free?", {"transport": "loaner"}, False),
])
def test_book_it_said_as_the_time_is_picked_books_it(text, slots, confirmed):
    message = {"text": text, "intent": {"name": "affirm", "confidence": 0.99}, "entities": []}
    asking = Tracker("+15125550142", {"requested_slot": "appointment_time",
                                      "offered_slots": ["2026-11-24T14:00:00-06:00"], **slots},
                     message, [], False, None, {"name": "booking_form"}, "action_listen")
    found = asyncio.run(ValidateBookingForm().extract_confirm_booking(
        CollectingDispatcher(), asking, {}))
    assert found == ({"confirm_booking": True} if confirmed else {})


@pytest.mark.parametrize(("text", "slots", "confirmed"), [
    # the ride said with it, the time agreed
    ("perfect, loaner pls. yes book it", {"transport": "loaner"}, True),
    ("ill wait, book it", {"transport": "wait"}, True),
    ("wait, before you book it, is the loaner free?", {"transport": "wait"}, False),
    # no time agreed yet: it is asked first
    ("loaner pls, book it", {"transport": "loaner", "appointment_time": None}, False),
    # the ride chosen and a go-ahead after it
    ("nah i'll just wait, go ahead", {"transport": "wait"}, True),
    ("go ahead", {}, False),  # no ride said: the question stands
])
def test_book_it_said_with_the_ride_books_it(text, slots, confirmed):
    message = {"text": text, "intent": {"name": "inform", "confidence": 0.9}, "entities": []}
    asking = Tracker("+15125550142", {"requested_slot": "transport",
                                      "appointment_time": "2026-11-28T08:00:00-06:00", **slots},
                     message, [], False, None, {"name": "booking_form"}, "action_listen")
    found = asyncio.run(ValidateBookingForm().extract_confirm_booking(
        CollectingDispatcher(), asking, {}))
    assert found == ({"confirm_booking": True} if confirmed else {})


@pytest.mark.parametrize(("text", "entities", "confirmed"), [
    ("still need the loaner for around town tho, go ahead", [], True),
    ("ok the shuttle then, go ahead", [], False),  # another ride: the summary again
    ("go ahead and make it 3 with the loaner", [{"entity": "when", "value": "3"}], False),
    ("the loaner, go ahead?", [], False),
])
def test_the_ride_offered_said_again_with_a_go_ahead_books_it(text, entities, confirmed):
    message = {"text": text, "intent": {"name": "inform", "confidence": 0.9},
               "entities": entities}
    asking = Tracker("+15125550142", {"requested_slot": "confirm_booking",
                                      "appointment_time": "2026-11-28T08:00:00-06:00",
                                      "transport": "loaner"},
                     message, [{"event": "slot", "name": "transport", "value": "loaner"},
                               {"event": "user", "text": text}],
                     False, None, {"name": "booking_form"}, "action_listen")
    found = asyncio.run(ValidateBookingForm().extract_confirm_booking(
        CollectingDispatcher(), asking, {}))
    assert found == ({"confirm_booking": True} if confirmed else {})


@pytest.mark.parametrize(("text", "separate"), [
    ("no, another visit", True), ("no", True), ("nah, a separate appointment", True),
    ("no forget the whole thing", False),
])
def test_no_to_adding_work_to_the_visit_booked_is_a_visit_of_its_own(text, separate):
    from actions.booking import ActionStopBooking

    message = {"text": text, "intent": {"name": "deny", "confidence": 0.99}, "entities": []}
    asked = Tracker("+15125550142", {"requested_slot": "join_visit"}, message, [], False,
                    None, {"name": "booking_form"}, "action_listen")
    events = asyncio.run(ActionStopBooking().run(CollectingDispatcher(), asked, {}))
    assert ({"event": "slot", "timestamp": None, "name": "join_visit", "value": False}
            in events) == separate


def test_a_visit_booked_asked_of_beside_the_summarys_yes_gives_the_form_back(on_demo_db):
    from actions.appointments import ActionCheckAppointment

    message = {"text": "is the lx still on for tmrw?", "entities": [],
               "intent": {"name": "check_appointment", "confidence": 0.99},
               "metadata": {"whole_text": "yes do it. oh and is the lx still on for tmrw?",
                            "part": 1, "parts": 2, "aside": True}}
    t = Tracker("+17375550172", {"owner_id": 13, "requested_slot": "confirm_booking"},
                message, [], False, None, {"name": "booking_form"}, "action_listen")
    events = asyncio.run(ActionCheckAppointment().run(CollectingDispatcher(), t, {}))
    assert events[-2:] == [ActiveLoop("booking_form"), FollowupAction("action_listen")]


def test_a_visit_asked_of_that_this_reply_told_already_leaves_the_question_asked(on_demo_db):
    from sqlalchemy.orm import Session

    from actions.appointments import ActionCheckAppointment
    from bot.dealership import appointments
    from bot.dealership.db import get_engine
    from bot.dealership.owners import find_owner_by_mobile
    from bot.dealership.profile import local_now

    with Session(get_engine(on_demo_db), future=True) as session:
        priya = find_owner_by_mobile(session, "+17375550110")
        owner_id = priya.id
        code = appointments.upcoming(session, owner_id, local_now(session))[0].code
    told = [{"event": "user", "text": "recall this week? wait do i already have something booked?",
             "metadata": {"part": 1, "parts": 2}},
            {"event": "bot", "text": f"Your NX is already coming in tomorrow (code {code}).",
             "metadata": {"utter_action": "utter_ask_join_visit"}},
            {"event": "user", "text": "wait do i already have something booked?",
             "metadata": {"part": 2, "parts": 2}}]
    message = {"text": "wait do i already have something booked?", "entities": [],
               "intent": {"name": "check_appointment", "confidence": 0.9},
               "metadata": {"part": 2, "parts": 2}}
    t = Tracker("+17375550110", {"owner_id": owner_id, "requested_slot": "join_visit"},
                message, told, False, None, {"name": "booking_form"}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionCheckAppointment().run(dispatcher, t, {}))
    assert dispatcher.messages == []
    assert events == [ActiveLoop("booking_form"), FollowupAction("action_listen")]
