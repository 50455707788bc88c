"""Answers to the times the booking form offered, and answers to its other questions that say
a time instead: the form runs here on a demo database, as the action server runs it."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.booking import ValidateBookingForm
from actions.common import check_time, in_session
from bot.dealership import scheduling
from bot.dealership.profile import local_now
from tests.actions import forms

REQUIRED = ["guest_name", "guest_mobile", "vehicle", "services", "appointment_time",
            "transport", "confirm_booking"]
# Saturday after Thanksgiving: what the form offered for "saturday?".
SATURDAY = [f"2026-11-28T{t}:00-06:00" for t in ("08:00", "08:30", "09:00")]


pytestmark = pytest.mark.usefixtures("on_demo_db")  # every test here: the demo database


def run_form(text: str, intent: str, read: dict, entities: list | None = None,
             **slots) -> tuple[dict, list[dict]]:
    """The slots the booking form sets for `text`, and what it said."""
    message = {"text": text, "intent": {"name": intent, "confidence": 0.95},
               "entities": entities or []}
    slots = {"requested_slot": None, "vehicle": "RX 350", "vehicle_id": 1, **slots}
    return forms.run_form(ValidateBookingForm(), REQUIRED, message, slots, read)


def answer_offers(text: str, intent: str = "inform", offered=SATURDAY
                  ) -> tuple[dict, list[dict]]:
    return run_form(text, intent, {"appointment_time": text}, services=["tire_rotation"],
                    offered_slots=offered, requested_slot="appointment_time")


@pytest.mark.parametrize(("text", "hour"), [("10am", 10), ("9 is fine", 9), ("can u do 11", 11),
                                            ("what about 2pm", 14)])
def test_a_time_alone_is_on_the_day_offered_not_tomorrow(text, hour):
    slots, said = answer_offers(text)
    assert slots["appointment_time"] == f"2026-11-28T{hour:02d}:00:00-06:00", said


def test_a_pick_from_the_offers():
    slots, _ = answer_offers("2 works")
    assert slots["appointment_time"] == SATURDAY[1]


def test_yes_to_several_times_is_the_first_offered():
    slots, said = answer_offers("yes", intent="affirm")
    assert slots["appointment_time"] == SATURDAY[0]
    assert said == []  # the summary, said next, names it


def test_a_text_read_as_a_yes_unsurely_picks_no_time():
    """"oof thats more than i thought." is read as a yes at 0.50: no time was agreed."""
    message = {"text": "oof thats more than i thought.",
               "intent": {"name": "affirm", "confidence": 0.5}, "entities": []}
    t = Tracker("+15125550142", {"offered_slots": SATURDAY}, message, [], False, None, {},
                "action_listen")
    slots = asyncio.run(check_time(CollectingDispatcher(), t, message["text"], minutes=60))
    assert not slots.get("appointment_time")


def test_yes_to_several_times_outside_the_form_is_the_first_too():
    """Moving an appointment: the move is asked about before anything changes."""
    message = {"text": "yes", "intent": {"name": "affirm", "confidence": 0.99}, "entities": []}
    t = Tracker("+15125550142", {"offered_slots": SATURDAY}, message, [], False, None, {},
                "action_listen")
    dispatcher = CollectingDispatcher()
    slots = asyncio.run(check_time(dispatcher, t, "yes", minutes=60))
    assert slots == {"appointment_time": SATURDAY[0], "offered_slots": None}
    assert dispatcher.messages == []


def test_asap_to_the_earliest_times_takes_the_first():
    earliest = asyncio.run(earliest_offers())
    slots, _ = answer_offers("ASAP please", offered=earliest)
    assert slots["appointment_time"] == earliest[0]


async def earliest_offers() -> list[str]:
    """The earliest open times, as the form offers them to "when?"."""
    def work(session):
        return [s.isoformat() for s in scheduling.open_slots(
            session, None, 30, local_now(session)).slots]

    return await in_session(work)


def test_a_ride_said_to_when_is_kept_and_the_time_asked_again():
    found = [{"entity": "transport", "value": "loaner", "start": 9, "end": 15}]
    text = "I'll take a loaner if you have one"
    slots, said = run_form(text, "inform", {"appointment_time": text, "transport": "loaner"},
                           entities=found, services=["tire_rotation"], offered_slots=SATURDAY,
                           requested_slot="appointment_time")
    assert slots["appointment_time"] is None and slots["transport"] == "loaner"
    assert "utter_time_not_caught" not in forms.responses(said)


def test_yes_to_one_time_takes_it():
    slots, _ = answer_offers("yep", intent="affirm", offered=SATURDAY[2:])
    assert slots["appointment_time"] == SATURDAY[2]


def test_a_time_said_to_what_to_do_is_kept_and_the_question_comes_again():
    """"asap please" to "What would you like done?": no menu of services, no lost time."""
    slots, said = run_form("ASAP please", "inform", {"services": ["ASAP please"]},
                           requested_slot="services")
    assert slots["services"] is None
    assert slots["appointment_time"] is None and len(slots["offered_slots"]) == 3
    assert slots["requested_slot"] == "appointment_time"  # the earliest times, then the work
    assert forms.responses(said) == ["utter_offer_any_times"]
    assert said[0]["options"].startswith("1) today at")


def test_a_ride_said_to_what_to_do_is_kept_and_the_question_comes_again():
    found = [{"entity": "transport", "value": "loaner", "start": 9, "end": 15}]
    slots, said = run_form("I'll take a loaner if you have one", "inform",
                           {"services": ["I'll take a loaner if you have one"],
                            "transport": "loaner"}, entities=found, requested_slot="services")
    assert slots["services"] is None and slots["transport"] == "loaner"
    assert "utter_service_not_on_menu" not in forms.responses(said)


def test_an_answer_that_is_no_service_gets_the_menu():
    slots, said = run_form("the blue one", "inform", {"services": ["the blue one"]},
                           requested_slot="services")
    assert slots["services"] is None
    assert forms.responses(said) == ["utter_service_not_on_menu"]


@pytest.mark.parametrize(("text", "ride"), [  # the words themselves: tests/dealership
    ("I'll take a loaner if you have one", "loaner"),
    ("can you guys pick it up from my house", "pickup_delivery"),
    ("no loaner needed, i'll wait", "wait"),  # the loaner turned down: the wait is chosen
    ("a loaner or the shuttle, whatever", None),  # two named: the entity extractor's to read
])
def test_a_ride_named_in_words_answers_how_to_get_around(text, ride):
    slots, _ = run_form(text, "inform", {}, services=["oil_change"],
                        appointment_time="2026-12-09T09:00:00-06:00",
                        requested_slot="transport")
    assert slots.get("transport") == ride


def test_a_time_said_to_which_car_is_kept_and_the_question_comes_again():
    """Marcus has two cars; "tmrw at 8" answers when, not which."""
    found = [{"entity": "when", "value": "tmrw at 8", "start": 0, "end": 9}]
    slots, said = run_form("tmrw at 8", "inform", {"vehicle": "tmrw at 8",
                                                   "appointment_time": "tmrw at 8"},
                           entities=found, vehicle=None, vehicle_id=None, owner_id=2,
                           services=["oil_change"], requested_slot="vehicle")
    assert slots["vehicle"] is None and slots["appointment_time"] == "2026-11-24T08:00:00-06:00"
    assert "utter_car_not_on_account" not in forms.responses(said)


def test_the_times_offered_in_a_booking_name_the_work_and_the_car():
    slots, said = run_form("sat?", "inform", {"appointment_time": "sat?"},
                           services=["tire_rotation"], vehicle="2021 RX 350",
                           requested_slot="appointment_time")
    assert forms.responses(said) == ["utter_offer_any_times_for_work"]
    assert said[0]["work"] == "Tire rotation for your 2021 RX 350"


@pytest.mark.parametrize(("text", "name"), [
    ("id rather wait there than take a loaner", None), ("José García", "José García"),
    ("its lena park", "Lena Park")])
def test_only_a_name_answers_the_name_question(text, name):
    slots, said = run_form(text, "nlu_fallback", {"guest_name": text},
                           requested_slot="guest_name", services=["oil_change"])
    assert slots.get("guest_name") == name, said
    assert ("utter_ask_guest_name_again" in forms.responses(said)) == (name is None)


def test_a_guests_name_said_alone_to_the_times_offered_is_kept():
    slots, _ = run_form("jordan pike", "out_of_scope", {}, services=["oil_change"],
                        offered_slots=SATURDAY, requested_slot="appointment_time",
                        vehicle="2022 ES 350", vehicle_id=None, owner_id=None)
    assert slots.get("guest_name") == "Jordan Pike"
    slots, _ = run_form("next week", "inform", {}, services=["oil_change"],
                        entities=[{"entity": "when", "value": "next week"}],
                        offered_slots=SATURDAY, requested_slot="appointment_time",
                        vehicle="2022 ES 350", vehicle_id=None, owner_id=None)
    assert slots.get("guest_name") is None


def test_a_name_given_beside_a_day_answers_the_name_question_too():
    text = "ok fri morning? im chris patel"
    slots, _ = run_form(text, "nlu_fallback",
                        {"guest_name": text, "appointment_time": "fri morning"},
                        entities=[{"entity": "when", "value": "fri morning"}],
                        requested_slot="guest_name", services=["oil_change"],
                        vehicle="2015 IS 250", vehicle_id=None, owner_id=None)
    assert slots.get("guest_name") == "Chris Patel"
    # a change of time alone names no one
    slots, _ = run_form("no make it 2pm", "inform", {"guest_name": "no make it 2pm",
                                                      "appointment_time": "2pm"},
                        requested_slot="guest_name", services=["oil_change"],
                        vehicle="2015 IS 250", vehicle_id=None, owner_id=None)
    assert slots.get("guest_name") is None


def test_an_hour_said_as_make_it_is_an_hour_not_the_option_of_that_number():
    text = "actually make it 1 if u have it"
    slots, _ = run_form(text, "inform", {"appointment_time": "1"},
                        entities=[{"entity": "when", "value": "1"}], services=["tire_rotation"],
                        offered_slots=SATURDAY, requested_slot="appointment_time")
    assert slots.get("appointment_time") == "2026-11-28T13:00:00-06:00"


def test_openings_asked_on_a_day_to_the_times_asked_are_that_days_times():
    text = "what do u have sat morning"
    message = {"text": text, "intent": {"name": "ownership", "confidence": 1.0},
               "entities": [{"entity": "when", "value": "sat morning"}]}
    slots, said = forms.run_form(ValidateBookingForm(), REQUIRED, message, {
        "requested_slot": "appointment_time", "vehicle": "RX 350", "vehicle_id": 1,
        "services": ["oil_change"], "offered_slots": ["2026-11-23T11:00:00-06:00"]}, {})
    assert slots["offered_slots"] == SATURDAY and said  # offered, not left unanswered


def test_the_next_openings_name_the_work_and_car_understood():
    from actions.booking import ActionAskAppointmentTime

    def asked(**slots) -> list[dict]:
        message = {"text": "hey need an oil change for the rx", "entities": [],
                   "intent": {"name": "book_service", "confidence": 0.95}}
        tracker = Tracker("+15125550142", {"offered_slots": None, **slots}, message, [], False,
                          None, {"name": "booking_form"}, "action_listen")
        dispatcher = CollectingDispatcher()
        asyncio.run(ActionAskAppointmentTime().run(dispatcher, tracker, {}))
        return dispatcher.messages

    (said,) = asked(services=["oil_change"], vehicle="2021 RX 350")
    assert said["response"] == "utter_when_next_openings_for_work"
    assert said["work"] == "Synthetic oil change for your 2021 RX 350"
    (said,) = asked(services=[], vehicle=None)
    assert said["response"] == "utter_when_next_openings"


def test_a_line_not_owned_named_once_a_loaner_is_asked_for_is_the_loaners(on_demo_db):
    from sqlalchemy.orm import Session

    from bot.dealership.db import get_engine
    from bot.dealership.owners import find_owner_by_mobile

    with Session(get_engine(on_demo_db), future=True) as session:
        marcus = find_owner_by_mobile(session, "+15125550199")
        es = next(v for v in marcus.vehicles if v.model_line == "ES")
        es_id, label = es.id, f"{es.year} {es.model}"
    message = {"text": "ugh fine nx then. 9am", "intent": {"name": "inform", "confidence": 0.9},
               "entities": [{"entity": "vehicle", "value": "nx"},
                            {"entity": "when", "value": "9am"}]}
    before = [{"event": "slot", "name": "vehicle", "value": label},
              {"event": "slot", "name": "vehicle_id", "value": es_id}]
    t = Tracker("+15125550199", {"vehicle": "nx", "vehicle_id": es_id, "transport": "loaner",
                                 "services": ["oil_change"], "requested_slot": "appointment_time",
                                 "owner_id": marcus.id, "appointment_time": "9am"},
                message, [*before, {"event": "user", "text": message["text"],
                                    "parse_data": message},
                          {"event": "slot", "name": "vehicle", "value": "nx"},
                          {"event": "slot", "name": "appointment_time", "value": "9am"}],
                False, None, {"name": "booking_form"}, "action_listen")
    slots = asyncio.run(ValidateBookingForm().validate_vehicle("nx", CollectingDispatcher(), t,
                                                               {}))
    assert slots == {"vehicle": label, "vehicle_id": es_id}


def test_waiting_asked_about_as_it_is_chosen_is_answered_with_how_long(on_demo_db):
    slots, said = run_form("ok sat morning? and can i wait for it", "inform",
                           {"transport": "wait", "appointment_time": "sat morning"},
                           services=["oil_change"], requested_slot="appointment_time")
    assert forms.responses(said)[0] == "utter_wait_yes" and said[0]["duration"] == "45 minutes"
    # said, not asked: nothing more
    slots, said = run_form("sat morning, ill wait", "inform",
                           {"transport": "wait", "appointment_time": "sat morning"},
                           services=["oil_change"], requested_slot="appointment_time")
    assert "utter_wait_yes" not in forms.responses(said)


def test_waiting_asked_beside_a_question_answered_first_is_a_short_yes(on_demo_db):
    """"how long does that take? can i just hang out there while u do it": how long was told
    by the answer to the first part; the wait's yes does not tell it again."""
    text = "can i just hang out there while u do it"
    message = {"text": text, "intent": {"name": "inform", "confidence": 0.9}, "entities": []}
    events = [{"event": "user", "text": "how long does that take?", "metadata": {"part": 1}},
              {"event": "bot", "text": "About an hour and a half for scheduled maintenance."},
              {"event": "user", "text": text, "parse_data": message, "metadata": {"part": 2}},
              {"event": "slot", "name": "transport", "value": "wait"}]
    slots = {"requested_slot": "appointment_time", "vehicle": "RX 350", "vehicle_id": 1,
             "services": ["oil_change"], "offered_slots": SATURDAY, "transport": "wait"}
    t = Tracker("+15125550142", slots, message, events, False, None, {"name": "booking_form"},
                "action_listen")
    dispatcher = CollectingDispatcher()
    domain = {"forms": {"booking_form": {"required_slots": REQUIRED}}, "slots": {}}
    asyncio.run(ValidateBookingForm().run(dispatcher, t, domain))
    assert forms.responses(dispatcher.messages)[0] == "utter_wait_yes_brief"


def offers_then(*texts: str) -> Tracker:
    """Times offered for the day asked, then the owner's `texts` (the last one the latest)."""
    events = [{"event": "user", "text": "could bring it in wed morning"},
              {"event": "bot", "text": "I can do 1) ...",
               "metadata": {"utter_action": "utter_offer_any_times_for_work"}}]
    for text in texts:
        events += [{"event": "user", "text": text, "parse_data": {"entities": []}},
                   {"event": "bot", "text": "Which time works? 1) ...",
                    "metadata": {"utter_action": "utter_which_time_works"}}]
    return Tracker("+17375550158", {}, {"text": texts[-1]}, events[:-1], False, None,
                   {"name": "booking_form"}, "action_listen")


def test_book_it_after_a_question_takes_the_times_offered_as_asked():
    from actions.booking import offered_as_asked

    assert offered_as_asked(offers_then("ok cool book it"))
    assert offered_as_asked(offers_then("how long does that take?", "ok cool book it"))
    # another time said since, which nothing read: not the ones asked any more
    assert not offered_as_asked(offers_then("5 today. can i wait?", "ok ill wait, lock it in"))
