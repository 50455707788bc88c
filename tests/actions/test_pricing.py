"""Questions about what service costs: answered from the service menu, on a demo database, as
the action server answers them; and read as such by the trained model."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.ownership import ActionAnswerOwnership, ActionBookOffered
from bot.wording import A_TEXT, say

pytestmark = pytest.mark.usefixtures("on_demo_db")  # every test here: the demo database


def ask(text: str, services: list[str], loop: str | None = None) -> tuple[list[dict], list]:
    message = {"text": text, "intent": {"name": "ownership", "confidence": 0.97},
               "entities": [{"entity": "service", "value": s} for s in services],
               "response_selector": {"ownership": {"response": {
                   "intent_response_key": "ownership/pricing"}}}}
    t = Tracker("+15125550142", {"owner_id": 1}, message, [], False, None,
                {"name": loop} if loop else {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionAnswerOwnership().run(dispatcher, t, {}))
    return dispatcher.messages, events


def offered(events: list) -> str | None:
    return next(e["value"] for e in events if e.get("name") == "offered_service")


def test_a_menu_service_gets_its_estimate_and_an_offer_to_book_it():
    messages, events = ask("how much is an oil change", ["oil_change"])
    assert messages[0]["response"] == "utter_service_price_estimate"  # the final price after
    assert (messages[0]["service"], messages[0]["price"]) == ("Synthetic oil change", "$89-129")
    assert messages[0]["description"].startswith("Genuine Lexus")
    assert messages[1]["response"] == "utter_offer_to_book_it"
    assert offered(events) == "oil_change"


def test_two_services_get_both_estimates_and_no_single_offer():
    messages, events = ask("oil change and tire rotation, how much", ["oil_change",
                                                                       "tire_rotation"])
    said = [(m["response"], m["service"], m["price"]) for m in messages]
    assert said == [("utter_service_price", "Synthetic oil change", "$89-129"),
                    ("utter_service_price_estimate", "Tire rotation", "$39-59")]
    assert offered(events) is None


def test_free_work_says_so():
    messages, _ = ask("is recall work free", ["recall"])
    assert (messages[0]["service"], messages[0]["price"]) == ("Recall repair", "no charge")
    messages, _ = ask("how much is a battery", ["battery"])
    assert (messages[0]["service"], messages[0]["price"]) == (
        "Battery test & replacement", "free, or up to $389 if work is needed")


def test_the_work_named_in_words_the_extractor_missed_gets_its_price():
    messages, _ = ask("how much does an alignment run?", [])
    assert (messages[0]["service"], messages[0]["price"]) == ("Four-wheel alignment", "$169-249")
    assert len(messages[0]["description"] or "") < 200  # one item, not the whole menu


def test_how_much_is_that_after_an_offer_is_the_offered_works_price():
    message = {"text": "how much is that", "intent": {"name": "ownership", "confidence": 0.97},
               "entities": [], "response_selector": {"ownership": {"response": {
                   "intent_response_key": "ownership/pricing"}}}}
    t = Tracker("+15125550142", {"owner_id": 1, "offered_service": "warning_light_diagnosis"},
                message, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAnswerOwnership().run(dispatcher, t, {}))
    assert (dispatcher.messages[0]["service"], dispatcher.messages[0]["price"]) == (
        "Warning light diagnosis", "$189-249")


def test_work_not_on_the_menu_is_quoted_by_an_advisor():
    messages, events = ask("how much are brake pads and rotors", [])
    [said] = messages
    # the whole menu would not fit a text: its first items do, and the rest is asked about
    assert said["response"] == "utter_repairs_quoted_some"
    assert said["service_phone"] == "(512) 555-0101"
    assert "synthetic oil change $89-129" in said["menu"]
    assert len(say(said["response"], **{k: v for k, v in said.items()
                                        if k in ("menu", "service_phone")})) <= A_TEXT
    assert offered(events) is None


def test_no_offer_to_book_in_the_middle_of_a_booking():
    messages, _ = ask("how much is an oil change", ["oil_change"], loop="booking_form")
    assert "utter_offer_to_book_it" not in [m["response"] for m in messages]


@pytest.mark.parametrize("text", [
    "how much is an oil change for my rx",
    "whats a tire rotation cost",
    "how much do yall charge for brakes",
])
def test_price_questions_read_as_such(trained_agent, text):
    parsed = asyncio.run(trained_agent.parse_message(text))
    selected = parsed["response_selector"]["ownership"]["response"]["intent_response_key"]
    assert (parsed["intent"]["name"], selected) == ("ownership", "ownership/pricing")


def test_yes_to_the_offer_books_the_owners_only_car():
    _, events = ask("how much is an oil change", ["oil_change"])
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    message = {"text": "yes", "intent": {"name": "affirm", "confidence": 0.99}, "entities": []}
    t = Tracker("+15125550142", {"owner_id": 1, **slots}, message, [], False, None, {},
                "action_listen")
    events = asyncio.run(ActionBookOffered().run(CollectingDispatcher(), t, {}))
    set_to = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert set_to["services"] == ["oil_change"] and set_to["vehicle"] == "2021 RX 350"
    assert events[-1] == {"event": "followup", "name": "booking_form", "timestamp": None}


def test_yes_to_the_offer_keeps_a_day_the_question_said_ahead_not_one_gone_by():
    _, events = ask("how much is an oil change", ["oil_change"])
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    message = {"text": "great yes", "intent": {"name": "affirm", "confidence": 0.99},
               "entities": []}

    def yes_after(question: str) -> dict:
        before = [{"event": "user", "text": question}, {"event": "user", "text": "great yes"}]
        t = Tracker("+15125550142", {"owner_id": 1, **slots}, message, before, False, None,
                    {}, "action_listen")
        events = asyncio.run(ActionBookOffered().run(CollectingDispatcher(), t, {}))
        return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}

    said = "how much is an oil change? wed at noon works"
    assert yes_after(said)["appointment_time"] == said
    assert yes_after("my last one was nov 2, how much is an oil change")["appointment_time"] \
        is None


def how_long(text: str, slots: dict) -> list[dict]:
    message = {"text": text, "intent": {"name": "ownership", "confidence": 0.97}, "entities": [],
               "response_selector": {"ownership": {"response": {
                   "intent_response_key": "ownership/service_time"}}}}
    t = Tracker("+15125550142", {"owner_id": 1, **slots}, message, [], False, None,
                {"name": "booking_form"} if slots.get("services") else {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAnswerOwnership().run(dispatcher, t, {}))
    return dispatcher.messages


def test_how_long_the_work_being_booked_takes_is_its_menu_time_summed():
    (said,) = how_long("how long is that gonna take", {"services": ["oil_change",
                                                                     "tire_rotation"]})
    # mid-booking, the short form: the booking's question follows in the same text
    assert said["response"] == "utter_service_time_brief"
    assert said["work"] == "synthetic oil change and tire rotation"
    assert said["time"] == "1 hour 15 minutes"


def test_how_long_the_work_named_in_words_takes():
    (said,) = how_long("how long does the detail take", {})
    assert (said["work"], said["time"]) == ("interior & exterior detailing", "3 hours")
    assert said["response"] == "utter_service_time"  # asked alone: the lounge too


def test_how_long_with_nothing_named_is_the_owners_next_visit(on_demo_db):
    from sqlalchemy.orm import Session

    from bot.dealership.db import get_engine
    from bot.dealership.owners import find_owner_by_mobile
    with Session(get_engine(on_demo_db), future=True) as session:
        priya = find_owner_by_mobile(session, "+17375550110").id  # a tire rotation tomorrow
    message = {"text": "how long will that all take", "entities": [],
               "intent": {"name": "ownership", "confidence": 0.97},
               "response_selector": {"ownership": {"response": {
                   "intent_response_key": "ownership/service_time"}}}}
    t = Tracker("+17375550110", {"owner_id": priya}, message, [], False, None, {},
                "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAnswerOwnership().run(dispatcher, t, {}))
    assert (dispatcher.messages[0]["work"], dispatcher.messages[0]["time"]) == (
        "tire rotation", "30 minutes")


def test_no_offer_to_book_work_already_on_a_visit(on_demo_db):
    from sqlalchemy.orm import Session

    from bot.dealership.db import get_engine
    from bot.dealership.owners import find_owner_by_mobile
    with Session(get_engine(on_demo_db), future=True) as session:
        priya = find_owner_by_mobile(session, "+17375550110").id  # a tire rotation tomorrow
    message = {"text": "how much is a tire rotation", "intent": {"name": "ownership",
                                                                  "confidence": 0.97},
               "entities": [{"entity": "service", "value": "tire_rotation"}],
               "response_selector": {"ownership": {"response": {
                   "intent_response_key": "ownership/pricing"}}}}
    t = Tracker("+17375550110", {"owner_id": priya}, message, [], False, None, {},
                "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionAnswerOwnership().run(dispatcher, t, {}))
    assert dispatcher.messages[0]["price"] == "$39-59"
    assert "utter_offer_to_book_it" not in [m["response"] for m in dispatcher.messages]
    assert offered(events) is None


def test_the_offer_keeps_the_car_the_question_before_named(on_demo_db):
    from sqlalchemy.orm import Session

    from bot.dealership.db import get_engine
    from bot.dealership.owners import find_owner_by_mobile
    from tests.demo import MARCUS

    with Session(get_engine(on_demo_db), future=True) as session:
        marcus = find_owner_by_mobile(session, MARCUS)  # an ES and a GX
        owner_id = marcus.id
        es = next(v.id for v in marcus.vehicles if v.model_line == "ES")
    text = "ok whats the brake inspection cost then"
    message = {"text": text, "intent": {"name": "ownership", "confidence": 0.97},
               "entities": [{"entity": "service", "value": "brake_inspection"}],
               "response_selector": {"ownership": {"response": {
                   "intent_response_key": "ownership/pricing"}}}}
    events = [{"event": "user", "text": "how much for a brake job on my es? prob pads"},
              {"event": "user", "text": text}]
    t = Tracker(MARCUS, {"owner_id": owner_id}, message, events, False, None, {},
                "action_listen")
    done = asyncio.run(ActionAnswerOwnership().run(CollectingDispatcher(), t, {}))
    assert next(e["value"] for e in done if e.get("name") == "offered_vehicle_id") == es


def test_how_long_and_how_much_asked_together_get_the_time_then_the_price():
    text = "how long does that take and how much"
    message = {"text": text, "intent": {"name": "ownership", "confidence": 0.97},
               "entities": [], "response_selector": {"ownership": {"response": {
                   "intent_response_key": "ownership/service_time"}}}}
    t = Tracker("+15125550142", {"owner_id": 1, "services": ["alignment"],
                                 "requested_slot": "confirm_booking"}, message, [], False,
                None, {"name": "booking_form"}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAnswerOwnership().run(dispatcher, t, {}))
    said = " ".join(say(m["response"], **{k: v for k, v in m.items() if k != "response"})
                    for m in dispatcher.messages)
    assert "hour and a half" in said and "$169-249" in said
    assert said.index("hour") < said.index("$169")
    # one of them alone gets that one
    message = {**message, "text": "how long does that take"}
    t = Tracker("+15125550142", {"owner_id": 1, "services": ["alignment"]}, message, [],
                False, None, {"name": "booking_form"}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAnswerOwnership().run(dispatcher, t, {}))
    assert "$" not in str(dispatcher.messages)


def test_the_loaners_cost_asked_beside_how_long_is_the_loaners_not_the_works():
    text = "is the loaner free? and how long will u have my car"
    message = {"text": text, "intent": {"name": "ownership", "confidence": 0.97},
               "entities": [], "response_selector": {"ownership": {"response": {
                   "intent_response_key": "ownership/service_time"}}}}
    t = Tracker("+15125550142", {"owner_id": 1, "services": ["alignment"],
                                 "requested_slot": "appointment_time"}, message, [], False,
                None, {"name": "booking_form"}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAnswerOwnership().run(dispatcher, t, {}))
    said = " ".join(say(m["response"], **{k: v for k, v in m.items() if k != "response"})
                    for m in dispatcher.messages)
    assert "hour and a half" in said and "loaner" in said.lower()
    assert "$" not in said  # not the alignment's estimate


def test_the_price_of_that_after_the_maintenance_due_was_told_is_the_maintenances():
    text = "what does that usually run"
    message = {"text": text, "intent": {"name": "ownership", "confidence": 0.97},
               "entities": [], "response_selector": {"ownership": {"response": {
                   "intent_response_key": "ownership/pricing"}}}}
    told = [{"event": "user", "text": "when is it due for service"},
            {"event": "bot", "text": "...", "metadata": {
                "utter_action": "utter_maintenance_due_next"}},
            {"event": "user", "text": text, "parse_data": message}]
    t = Tracker("+15125550142", {"owner_id": 1}, message, told, False, None, {},
                "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAnswerOwnership().run(dispatcher, t, {}))
    said = " ".join(say(m["response"], **{k: v for k, v in m.items() if k != "response"})
                    for m in dispatcher.messages if m.get("response"))
    assert "scheduled maintenance" in said.lower(), dispatcher.messages
    assert "oil change" not in said.lower()  # not the whole menu


@pytest.mark.parametrize(("text", "damage"), [
    ("is the ding covered by my warranty lol", True),
    ("would warranty pay for the hail dents", True),
    ("is my car still under warranty", False),
    ("does the warranty cover the crash sensor", False)])
def test_damage_asked_of_the_warranty_is_sent_to_insurance_and_the_collision_center(text,
                                                                                   damage):
    message = {"text": text, "intent": {"name": "ownership", "confidence": 0.97},
               "entities": [], "response_selector": {"ownership": {"response": {
                   "intent_response_key": "ownership/warranty"}}}}
    t = Tracker("+15125550142", {"owner_id": 1}, message, [], False, None, {},
                "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAnswerOwnership().run(dispatcher, t, {}))
    said = [m["response"] for m in dispatcher.messages]
    assert ("utter_warranty_not_damage" in said) == damage, said
    if damage:
        assert dispatcher.messages[0]["collision_phone"] == "(512) 555-0113"
