"""What the booking form keeps of what was said: work named in passing, and the car being
booked when a car not the owner's is named of the loaner. On a demo database, as the action
server runs them."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.booking import ValidateBookingForm
from bot.dealership.db import get_engine
from bot.dealership.owners import find_owner_by_mobile
from tests.actions.forms import run_form
from tests.demo import MARCUS


def services_read(text: str, intent: str = "book_service", entities: list | None = None,
                  services: list | None = None, owner_id: int | None = None) -> dict:
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9},
               "entities": entities or []}
    t = Tracker("+15125550190", {"services": services, "owner_id": owner_id}, message, [], False,
                None,
                {"name": "booking_form"}, "action_listen")
    return asyncio.run(ValidateBookingForm().extract_services(CollectingDispatcher(), t, {}))


def test_work_named_in_passing_is_read_from_the_whole_text(on_demo_db):
    assert services_read("any chance u can do an oil change on my rx thursday") == {
        "services": ["oil_change"]}
    # the extractor found one of two: both count
    assert services_read("add an oil change onto my rotation tmrw",
                         entities=[{"entity": "service", "value": "tire_rotation"}],
                         services=["tire_rotation"]) == {
        "services": ["tire_rotation", "oil_change"]}
    assert services_read("any chance u can do an oil change", intent="ownership") == {}
    # work added while the booking asks, however the rest of the text was read
    assert services_read("yeah add the recall too. 9 works, shuttle back to work is fine",
                         intent="nlu_fallback", services=["tire_rotation"]) == {
        "services": ["tire_rotation", "recall_repair"]}
    assert services_read("ok do the recall fix too while its there. 8am, ill take the shuttle",
                         intent="nlu_fallback", services=["tire_rotation"]) == {
        "services": ["tire_rotation", "recall_repair"]}
    assert services_read("9 works, add a loaner pls", intent="nlu_fallback",
                         services=["tire_rotation"]) == {}


def test_work_just_asked_about_is_added_when_the_owner_says_add_it(on_demo_db):
    asked = "tmrw around 4 works. also how much is an alignment? its been pulling right"
    before = [{"event": "user", "text": asked},
              {"event": "bot", "text": "Estimates: four-wheel alignment $169-249."}]
    for text, added in (("ya add that too", ["brake_inspection", "alignment"]),
                        ("ok throw it in", ["brake_inspection", "alignment"])):
        message = {"text": text, "intent": {"name": "affirm", "confidence": 0.9},
                   "entities": []}
        t = Tracker("+15125550190", {"services": ["brake_inspection"]}, message,
                    [*before, {"event": "user", "text": text, "parse_data": message}],
                    False, None, {"name": "booking_form"}, "action_listen")
        found = asyncio.run(ValidateBookingForm().extract_services(CollectingDispatcher(), t,
                                                                   {}))
        assert found == {"services": added}, text


def test_work_named_to_drop_leaves_the_booking(on_demo_db):
    before = [{"event": "slot", "name": "services", "value": ["oil_change", "detailing"]},
              {"event": "user", "text": "oil change + full detail wed morning"}]
    message = {"text": "yikes. skip the detail, just the oil then. 8am, ill wait",
               "intent": {"name": "inform", "confidence": 0.9},
               "entities": [{"entity": "service", "value": "oil_change"}]}
    t = Tracker("+15125550190", {"services": ["oil_change"]}, message,
                [*before, {"event": "user", "text": message["text"], "parse_data": message}],
                False, None, {"name": "booking_form"}, "action_listen")
    # the oil change alone stands (as the extractor read it): the detail is not added back
    assert asyncio.run(ValidateBookingForm().extract_services(CollectingDispatcher(), t, {})) \
        == {}
    from actions.booking import DROPPED

    assert DROPPED.findall("forget the alignment, just oil") == ["alignment"]
    assert DROPPED.findall("add the alignment and a rotation") == []


def test_an_open_recall_named_by_what_it_fixes_is_its_repair(on_demo_db):
    from tests.demo import PRIYA
    with Session(get_engine(on_demo_db), future=True) as session:
        priya = find_owner_by_mobile(session, PRIYA).id
    text = "while its in tmrw for the rotation can u also do that charging timer update thing"
    assert services_read(text, owner_id=priya) == {"services": ["tire_rotation",
                                                                "recall_repair"]}


def test_a_car_not_theirs_named_of_the_loaner_keeps_the_car_being_booked(on_demo_db):
    with Session(get_engine(on_demo_db), future=True) as session:
        marcus = find_owner_by_mobile(session, MARCUS)
        gx = next(car for car in marcus.vehicles if car.model_line == "GX")
        owner_id, gx_id, gx_label = marcus.id, gx.id, gx.label
    before = [{"event": "slot", "name": "vehicle", "value": gx_label},
              {"event": "slot", "name": "vehicle_id", "value": gx_id}]
    message = {"text": "an rx loaner is fine", "intent": {"name": "inform", "confidence": 0.9},
               "entities": [{"entity": "vehicle", "value": "rx"}]}
    slots, said = run_form(ValidateBookingForm(), ["vehicle"], message,
                           {"owner_id": owner_id, "vehicle_id": gx_id},
                           {"vehicle": "rx"}, before)
    assert slots["vehicle"] == gx_label and slots["vehicle_id"] == gx_id
    assert "utter_car_not_on_account" not in [m.get("response") for m in said]
    # named without a word of the ride, a car not theirs is still said back
    message = {"text": "its for the rx", "intent": {"name": "inform", "confidence": 0.9},
               "entities": [{"entity": "vehicle", "value": "rx"}]}
    slots, said = run_form(ValidateBookingForm(), ["vehicle"], message,
                           {"owner_id": owner_id, "vehicle_id": gx_id},
                           {"vehicle": "rx"}, before)
    assert slots["vehicle"] is None
    assert "utter_car_not_on_account" in [m.get("response") for m in said]


def ask_transport(text: str, spoke: bool = False, said: str | None = None
                  ) -> list[str | None]:
    from actions.booking import ActionAskTransport
    start = "2027-01-04T08:00:00-06:00"
    events = [{"event": "user", "text": text},
              {"event": "slot", "name": "appointment_time", "value": start}]
    if spoke:
        events.append({"event": "bot", "text": "I can do: 1) ..."})
    if said:
        events.append({"event": "bot", "text": "...", "metadata": {"utter_action": said}})
    t = Tracker("+15125550190", {"appointment_time": start}, {"text": text}, events, False,
                None, {"name": "booking_form"}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAskTransport().run(dispatcher, t, {}))
    return [m.get("response") for m in dispatcher.messages]


def test_the_time_agreed_in_words_is_said_back_before_the_ride_question(on_demo_db):
    assert ask_transport("mon jan 4 at 8 works") == ["utter_time_agreed",
                                                     "utter_ask_transport"]
    assert ask_transport("/inform") == ["utter_ask_transport"]  # a button: nothing to say back
    assert ask_transport("mon jan 4 at 8", spoke=True) == ["utter_ask_transport"]
    # a case noted first for trouble reported does not say the time
    assert ask_transport("ok can u look at it mon jan 4 at 8", said="utter_case_filed_brief") \
        == ["utter_time_agreed", "utter_ask_transport"]
    assert ask_transport("squeaks, can u look at it mon jan 4 at 8",
                         said="utter_case_noted_for_visit") == ["utter_time_agreed",
                                                                "utter_ask_transport"]


def test_a_day_in_answer_to_an_offered_visit_books_that_visit(on_demo_db):
    from actions.cannot_help import ActionInformUnprompted
    message = {"text": "ok lets do it wed at 8am", "intent": {"name": "inform",
                                                               "confidence": 0.9},
               "entities": [{"entity": "when", "value": "wed at 8am"}]}
    t = Tracker("+15125550190", {"offered_service": "warning_light_diagnosis",
                                 "appointment_time": "wed at 8am"}, message,
                [{"event": "user", "text": message["text"], "parse_data": message},
                 {"event": "slot", "name": "appointment_time", "value": "wed at 8am"}],
                False, None, {}, "action_listen")
    events = asyncio.run(ActionInformUnprompted().run(CollectingDispatcher(), t, {}))
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["services"] == ["warning_light_diagnosis"]
    assert "appointment_time" not in slots or slots["appointment_time"] == "wed at 8am"
    assert slots["offered_service"] is None
    assert [e["name"] for e in events if e["event"] == "followup"] == ["booking_form"]


def test_work_named_once_the_booking_is_under_way_joins_the_work_asked(on_demo_db):
    def named(text: str, before: list[dict], entity: str = "tire_rotation") -> dict:
        message = {"text": text, "intent": {"name": "inform", "confidence": 0.9},
                   "entities": [{"entity": "service", "value": entity}]}
        events = before + [{"event": "user", "text": text, "parse_data": message},
                           {"event": "slot", "name": "services", "value": [entity]}]
        t = Tracker("+15125550190", {"services": [entity]}, message, events, False, None,
                    {"name": "booking_form"}, "action_listen")
        return asyncio.run(ValidateBookingForm().extract_services(CollectingDispatcher(), t,
                                                                  {}))

    under_way = [{"event": "active_loop", "name": "booking_form"},
                 {"event": "slot", "name": "services", "value": ["oil_change"]}]
    assert named("10 works. oh and can u rotate the tires while its there", under_way) == {
        "services": ["oil_change", "tire_rotation"]}
    # said instead: the new work alone
    assert named("make it a tire rotation instead", under_way) == {}
    # a booking this message starts holds what it names
    assert named("can u rotate the tires sat", [{"event": "slot", "name": "services",
                                                  "value": ["oil_change"]}]) == {}


@pytest.mark.parametrize(("text", "name"), [
    ("hi im sam reyes. can i book a multipoint inspection for my rx 350 fri?", "sam reyes"),
    ("hi its maria lopez, do u service a 2020 ux 250h?", "maria lopez"),
    ("im good, thanks", None),
    ("hey im running late. can i still come in", None),
    ("im looking to book an oil change", None),
    # a whole text that is only a full name, said before it was asked
    ("its mike reyes", "mike reyes"),
    ("its making noise", None),
    ("its urgent", None),
])
def test_a_guest_who_opens_with_their_name_is_not_asked_it(text, name):
    message = {"text": text, "intent": {"name": "book_service", "confidence": 0.9},
               "entities": []}
    t = Tracker("web-guest", {"requested_slot": None}, message, [], False, None,
                {"name": "booking_form"}, "action_listen")
    found = asyncio.run(ValidateBookingForm().extract_guest_name(CollectingDispatcher(), t, {}))
    assert found == ({"guest_name": name} if name else {})


def test_a_time_picked_without_its_colon_beside_a_loaner_request_is_read(on_demo_db):
    from actions.booking import time_missed
    text = "the 530 works. can i get a loaner"
    message = {"text": text, "intent": {"name": "request_loaner", "confidence": 0.99},
               "entities": [{"entity": "transport", "value": "loaner"}]}
    t = Tracker("+15125550142", {"requested_slot": "appointment_time",
                                 "offered_slots": ["2026-11-25T16:00:00-06:00"]},
                message, [], False, None, {"name": "booking_form"}, "action_listen")
    assert asyncio.run(time_missed(t)) == {"appointment_time": text}


def test_a_time_told_beside_a_topic_is_read_and_a_question_is_not(on_demo_db):
    from actions.booking import time_missed

    def read(text: str) -> dict:
        message = {"text": text, "intent": {"name": "ownership", "confidence": 0.6},
                   "entities": []}
        t = Tracker("+15125550142", {"requested_slot": "appointment_time",
                                     "offered_slots": ["2026-11-25T07:00:00-06:00"]},
                    message, [], False, None, {"name": "booking_form"}, "action_listen")
        return asyncio.run(time_missed(t))

    told = "office is 600 congress ave downtown. they can grab it around 9"
    assert read(told) == {"appointment_time": told}
    assert read("do you pick up from downtown at 9?") == {}


def test_another_engagements_time_is_no_visit_time(on_demo_db):
    from actions.booking import time_missed
    message = {"text": "got a meeting at noon", "intent": {"name": "inform"}, "entities": []}
    t = Tracker("+15125550142", {"requested_slot": "appointment_time",
                                 "offered_slots": ["2026-11-25T07:00:00-06:00"]},
                message, [], False, None, {"name": "booking_form"}, "action_listen")
    assert asyncio.run(time_missed(t)) == {}


def test_a_corrected_car_is_the_one_booked(on_demo_db):
    with Session(get_engine(on_demo_db), future=True) as session:
        marcus = find_owner_by_mobile(session, MARCUS)
        owner_id = marcus.id
        gx = next(car for car in marcus.vehicles if car.model_line == "GX")
        gx_id, gx_label = gx.id, gx.label
    text = "actually do the gx instead, the es can wait. 12 is fine"
    message = {"text": text, "intent": {"name": "inform", "confidence": 0.9},
               "entities": [{"entity": "vehicle", "value": "gx"},
                            {"entity": "vehicle", "value": "ES"}]}
    # Rasa's mapping keeps the last car the extractor found: the ES
    slots, _ = run_form(ValidateBookingForm(), ["vehicle"], message, {"owner_id": owner_id},
                        {"vehicle": "ES"})
    assert (slots["vehicle"], slots["vehicle_id"]) == (gx_label, gx_id)


def test_a_yes_is_no_guests_name():
    t = Tracker("web-guest", {"requested_slot": "guest_name"}, {"text": "yes"}, [], False,
                None, {"name": "booking_form"}, "action_listen")
    assert asyncio.run(ValidateBookingForm().validate_guest_name(
        "yes", CollectingDispatcher(), t, {})) == {"guest_name": None}


@pytest.mark.parametrize(("text", "tagged", "ride"), [
    ("friday 4pm, ill wait for it", "wait for", "wait"),
    ("friday 4pm, the blue one", "the blue one", None),
    # the drop-off tagged, the loaner asked for in the same text
    ("could I have a loaner? I can drop it off at 8.", "drop it off at 8", "loaner"),
    # the ride said no to is not the one chosen: their own way is
    ("ok add it. my wife's picking me up so no loaner", "loaner", "drop_off"),
    ("no loaner needed, i'll wait", "loaner", "wait"),
])
def test_ride_words_the_synonyms_lack_are_read_or_asked_again(text, tagged, ride):
    message = {"text": text, "intent": {"name": "inform"},
               "entities": [{"entity": "transport", "value": tagged}]}
    t = Tracker("+15125550142", {"owner_id": 1}, message, [], False, None,
                {"name": "booking_form"}, "action_listen")
    found = asyncio.run(ValidateBookingForm().validate_transport(
        tagged, CollectingDispatcher(), t, {}))
    assert found == {"transport": ride}


def test_a_car_switched_mid_booking_is_said_back(on_demo_db):
    with Session(get_engine(on_demo_db), future=True) as session:
        marcus = find_owner_by_mobile(session, MARCUS)
        gx = next(car for car in marcus.vehicles if car.model_line == "GX")
        other = next(car for car in marcus.vehicles if car.model_line != "GX")
        owner_id, gx_id, gx_label = marcus.id, gx.id, gx.label
        other_line, other_id, other_label = other.model_line, other.id, other.label
    before = [{"event": "slot", "name": "vehicle", "value": gx_label},
              {"event": "slot", "name": "vehicle_id", "value": gx_id}]
    text = f"actually the {other_line.lower()} not the gx"
    message = {"text": text, "intent": {"name": "inform", "confidence": 0.9},
               "entities": [{"entity": "vehicle", "value": other_line.lower()},
                            {"entity": "vehicle", "value": "gx"}]}
    slots, said = run_form(ValidateBookingForm(), ["vehicle"], message,
                           {"owner_id": owner_id, "vehicle_id": gx_id},
                           {"vehicle": "gx"}, before)
    assert (slots["vehicle"], slots["vehicle_id"]) == (other_label, other_id)
    assert [(m.get("response"), m.get("car"), m.get("before")) for m in said] == [
        ("utter_car_switched", other_label, gx_label)]


@pytest.mark.parametrize(("text", "switched"), [
    ("wait no the other car, the gx. sorry", True),   # the extractor found no car
    ("no the other one", True),                         # the other of two
    ("no, a gx loaner is fine", False),                 # a car of the loaner
])
def test_a_car_taken_back_once_known_is_switched(on_demo_db, text, switched):
    with Session(get_engine(on_demo_db), future=True) as session:
        marcus = find_owner_by_mobile(session, MARCUS)
        gx = next(car for car in marcus.vehicles if car.model_line == "GX")
        es = next(car for car in marcus.vehicles if car.model_line != "GX")
        owner_id, gx_label, es_label = marcus.id, gx.label, es.label
    message = {"text": text, "intent": {"name": "inform", "confidence": 0.6}, "entities": []}
    t = Tracker("+15125550199", {"owner_id": owner_id, "vehicle": es_label,
                                 "requested_slot": "appointment_time"}, message, [], False, None,
                {"name": "booking_form"}, "action_listen")
    found = asyncio.run(ValidateBookingForm().extract_vehicle(CollectingDispatcher(), t, {}))
    assert (found.get("vehicle") in ("gx", gx_label)) is switched


@pytest.mark.parametrize(("text", "kept"), [
    ("she'll wait for the ES, the LX can keep the shuttle like it is", True),
    # a correction switches
    ("no wait the LX, not the ES", False),
    ("actually make it the LX instead, the ES can wait", False),
    # the car being booked not named: nothing kept here
    ("the LX can keep the shuttle", False),
])
def test_the_car_named_beside_another_without_a_correction_is_kept(text, kept):
    from actions.booking import car_kept_beside_another

    events = [{"event": "slot", "name": "vehicle", "value": "2024 ES 350"},
              {"event": "slot", "name": "vehicle_id", "value": 7},
              {"event": "user", "text": text}]
    tracker = Tracker("+17375550172", {"vehicle": "LX", "vehicle_id": 7}, {"text": text},
                      events, False, None, {"name": "booking_form"}, "action_listen")
    found = car_kept_beside_another(tracker, text)
    assert (found == {"vehicle": "2024 ES 350", "vehicle_id": 7}) is kept, found


def test_the_car_another_part_of_the_text_named_is_the_visits():
    whole = "hi its maria lopez, do u service a 2020 ux 250h? didnt buy it from u. need a brake " \
            "inspection"
    metadata = {"whole_text": whole, "part": 2, "parts": 2}

    def extracted(metadata: dict) -> dict:
        message = {"text": "need a brake inspection", "metadata": metadata, "entities": [],
                   "intent": {"name": "book_service", "confidence": 0.93}}
        t = Tracker("+12145550190", {}, message, [], False, None, {"name": "booking_form"},
                    "action_listen")
        return asyncio.run(ValidateBookingForm().extract_vehicle(CollectingDispatcher(), t, {}))

    assert extracted(metadata) == {"vehicle": "2020 ux 250h"}
    assert extracted({}) == {}  # the text alone names none


def test_a_car_put_off_for_now_keeps_the_car_being_booked(on_demo_db):
    with Session(get_engine(on_demo_db), future=True) as session:
        marcus = find_owner_by_mobile(session, MARCUS)
        es = next(car for car in marcus.vehicles if car.model_line == "ES")
        owner_id, es_id, es_label = marcus.id, es.id, es.label
    before = [{"event": "slot", "name": "vehicle", "value": es_label},
              {"event": "slot", "name": "vehicle_id", "value": es_id}]
    text = "ok. rotation sat at 10 then, ill wait. gx another time, busy month"
    message = {"text": text, "intent": {"name": "nlu_fallback", "confidence": 0.5},
               "entities": [{"entity": "vehicle", "value": "gx"}]}
    slots, said = run_form(ValidateBookingForm(), ["vehicle"], message,
                           {"owner_id": owner_id, "vehicle_id": es_id}, {"vehicle": "gx"}, before)
    assert (slots["vehicle"], slots["vehicle_id"]) == (es_label, es_id)
    assert "utter_car_switched" not in [m.get("response") for m in said]


def test_a_no_to_a_ride_the_summary_lacks_beside_book_it_books(on_demo_db):
    from bot.dealership.owners import find_owner_by_mobile as owner_of
    with Session(get_engine(on_demo_db), future=True) as session:
        grace = owner_of(session, "+17375550124")
        car = grace.vehicles[0]
        slots = {"owner_id": grace.id, "vehicle": car.label, "vehicle_id": car.id,
                 "services": ["detailing"], "appointment_time": "2026-11-25T08:00:00-06:00",
                 "transport": "drop_off", "requested_slot": "confirm_booking"}
    required = ["vehicle", "services", "appointment_time", "transport", "confirm_booking"]

    def summary_answered(text: str) -> dict:
        message = {"text": text, "intent": {"name": "deny", "confidence": 0.9}, "entities": []}
        read, _ = run_form(ValidateBookingForm(), required, message, slots,
                           {"confirm_booking": False})
        return read

    assert summary_answered("no loaner needed, just book it")["confirm_booking"] is True
    # a no to the summary itself, or to the ride it holds, is no yes
    assert summary_answered("no dont book it yet")["confirm_booking"] is not True
    assert summary_answered("no")["confirm_booking"] is not True


@pytest.mark.parametrize("text", ["just the light for now. yes book it", "perfect"])
def test_a_yes_to_the_times_offered_after_a_sentence_is_read(on_demo_db, text):
    from actions.booking import time_missed
    message = {"text": text, "intent": {"name": "affirm", "confidence": 0.9}, "entities": []}
    t = Tracker("+15125550142", {"requested_slot": "appointment_time",
                                 "offered_slots": ["2026-11-25T16:00:00-06:00"]},
                message, [], False, None, {"name": "booking_form"}, "action_listen")
    assert asyncio.run(time_missed(t)) == {"appointment_time": text}
