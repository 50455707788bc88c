"""Answers to the problem report's questions as owners give them: whether the car can be driven
said in answer to since when, and an answer that is neither yes nor no. The form runs here on a
demo database with the case written, as the action server runs it."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from actions.problems import ASK_DRIVABLE_AGAIN, ValidateProblemForm
from bot.dealership import reports
from bot.dealership.db import get_engine
from bot.dealership.owners import find_owner_by_mobile
from bot.dealership.triage import triage
from tests.actions import forms

REQUIRED = ["problem_vehicle", "problem_since", "problem_drivable"]
REPORT = "my tire pressure light keeps coming on"


@pytest.fixture
def case(demo_db, monkeypatch) -> str:
    """The reference of Dana's case for her tire pressure light, as the report opened it."""
    monkeypatch.setenv("DATABASE_URL", demo_db)
    monkeypatch.setenv("CONCIERGE_NOW", "2026-11-23T10:00:00-06:00")
    with Session(get_engine(demo_db), future=True) as session, session.begin():
        dana = find_owner_by_mobile(session, "+15125550142")
        return reports.open_case(session, description=REPORT, finding=triage(REPORT),
                                 owner_id=dana.id, vehicle_id=dana.vehicles[0].id,
                                 conversation_id="+15125550142").reference


def said(response: str) -> dict:
    """A bot message as the tracker keeps a named response."""
    return {"event": "bot", "text": "...", "metadata": {"utter_action": response}}


def answer(case: str, text: str, intent: str, asked: str, read: dict,
           said_before: str = "utter_ask_problem_since") -> tuple[dict, list[dict]]:
    """What the form sets and says for `text`, the reply to the previous message having been
    the response `said_before` (and the form's question after it)."""
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    slots = {"problem_case": case, "problem_vehicle": "2021 RX 350", "requested_slot": asked}
    before = [said(ASK_DRIVABLE_AGAIN),  # to an earlier report
              {"event": "user", "text": "since monday"},
              said(said_before),
              said("utter_ask_problem_drivable")]  # the form asks after it
    return forms.run_form(ValidateProblemForm(), REQUIRED, message, slots, read, before)


def written(database_url: str, reference: str):
    with Session(get_engine(database_url), future=True) as session:
        found = reports.by_reference(session, reference)
        return found.since, found.drivable


def test_drivable_said_to_since_when_answers_both(case, demo_db):
    text = "no it's fine to drive"
    slots, said = answer(case, text, "deny", "problem_since", {"problem_since": text})
    assert slots["problem_drivable"] is True and slots["problem_since"] == "not said"
    assert written(demo_db, case) == ("not said", True)
    assert said == []


def test_since_when_with_drivable_keeps_both(case, demo_db):
    text = "since monday, still driving it"
    slots, _ = answer(case, text, "inform", "problem_since", {"problem_since": text})
    assert slots["problem_drivable"] is True and slots["problem_since"] == text


def test_an_answer_that_is_neither_is_asked_again_once(case, demo_db):
    text = "can you check it when i come in next"
    slots, said = answer(case, text, "book_service", "problem_drivable",
                         {"problem_drivable": text}, said_before="utter_ask_problem_drivable")
    assert slots["problem_drivable"] is None
    assert forms.responses(said) == [ASK_DRIVABLE_AGAIN]
    slots, said = answer(case, text, "book_service", "problem_drivable",
                         {"problem_drivable": text}, said_before=ASK_DRIVABLE_AGAIN)
    assert slots["problem_drivable"] == "unsure" and said == []
    assert written(demo_db, case)[1] is None  # the advisor asks


def test_words_beat_the_no_a_text_was_read_as(case, demo_db):
    text = "ok it's not blinking. just on. drives fine"
    slots, said = answer(case, text, "deny", "problem_drivable", {"problem_drivable": False},
                         said_before="utter_ask_problem_drivable")
    assert slots["problem_drivable"] is True and said == []
    assert written(demo_db, case)[1] is True


def test_not_sure_is_an_answer(case, demo_db):
    slots, said = answer(case, "honestly not sure", "inform", "problem_drivable",
                         {"problem_drivable": "honestly not sure"},
                         said_before="utter_ask_problem_drivable")
    assert slots["problem_drivable"] == "unsure" and said == []


def test_can_i_still_drive_it_answered_from_the_table_is_not_asked_back(case):
    import asyncio

    from rasa_sdk import Tracker

    from actions.problems import noted_details

    text = "can i still drive it?"
    message = {"text": text, "intent": {"name": "ownership", "confidence": 0.9}, "entities": []}
    slots = {"problem_case": case, "problem_vehicle": "2021 RX 350",
             "requested_slot": "problem_since"}
    tracker = Tracker("+15125550142", slots, message, [], False, None,
                      {"name": "problem_form"}, "action_listen")
    events = asyncio.run(noted_details(tracker, text))
    assert {e["name"]: e["value"] for e in events} == {"problem_drivable": "unsure"}
    assert asyncio.run(noted_details(tracker, "ok thanks")) == []


def test_trouble_with_the_loaner_does_not_ask_which_of_their_cars(demo_db, monkeypatch):
    import asyncio

    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    monkeypatch.setenv("DATABASE_URL", demo_db)
    text = "im driving ur loaner and the tire pressure light came on"
    with Session(get_engine(demo_db), future=True) as session, session.begin():
        reference = reports.open_case(session, description=text, finding=triage(text),
                                      owner_id=None, vehicle_id=None,
                                      conversation_id="+15125550188").reference
    slots = {"problem_case": reference, "situation": triage(text).category}
    tracker = Tracker("+15125550188", slots, {"text": "hm"}, [], False, None,
                      {"name": "problem_form"}, "action_listen")
    required = asyncio.run(ValidateProblemForm().required_slots(
        REQUIRED, CollectingDispatcher(), tracker, {}))
    assert "problem_vehicle" not in required and "problem_since" in required


@pytest.mark.parametrize(("text", "drivable_asked"), [
    ("check engine light came on this morning", False),  # its first reply says
    ("brakes squeak a little in the morning", False),
    ("theres a rattle from the dash over bumps", True),
])
def test_a_first_reply_that_says_whether_to_drive_is_not_asked_again(text, drivable_asked):
    import asyncio

    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    slots = {"problem_case": "R1", "situation": triage(text).category}
    tracker = Tracker("+15125550142", slots, {"text": "hm"}, [], False, None,
                      {"name": "problem_form"}, "action_listen")
    required = asyncio.run(ValidateProblemForm().required_slots(
        REQUIRED, CollectingDispatcher(), tracker, {}))
    assert ("problem_drivable" in required) is drivable_asked and "problem_since" in required


@pytest.mark.parametrize("trouble, topic_response", [
    ("engine has a ticking noise at idle", "warranty"),
    ("my tire is flat on the highway", None),
])
def test_is_that_covered_of_a_repair_is_the_cars_warranty_of_roadside_trouble_roadside(
        demo_db, monkeypatch, trouble, topic_response):
    import asyncio

    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.problems import ActionAnswerSituation

    monkeypatch.setenv("DATABASE_URL", demo_db)
    monkeypatch.setenv("CONCIERGE_NOW", "2026-11-23T10:00:00-06:00")
    found = triage(trouble)
    text = "is that covered too"
    message = {"text": text, "intent": {"name": "ownership", "confidence": 1.0}, "entities": [],
               "response_selector": {"ownership": {"response": {
                   "intent_response_key": "ownership/warranty"}}}}
    events = [{"event": "user", "text": trouble},
              {"event": "slot", "name": "situation", "value": found.category},
              {"event": "user", "text": text, "parse_data": message}]
    slots = {"situation": found.category, "owner_id": None}
    with Session(get_engine(demo_db), future=True) as session:
        slots["owner_id"] = float(find_owner_by_mobile(session, "+15125550115").id)  # Alejandro
    tracker = Tracker("+15125550115", slots, message, events, False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAnswerSituation().answer(dispatcher, tracker, {"responses": {}}))
    responses = [m.get("response") for m in dispatcher.messages]
    if topic_response is None:
        assert responses == ["utter_asked_cost"]
    else:
        assert "utter_asked_cost" not in responses
        assert any("Basic" in str(m) for m in dispatcher.messages), dispatcher.messages


def test_a_tow_to_us_asked_of_trouble_out_on_the_road_asks_staff_to_call(demo_db, monkeypatch):
    """The tow's answer says an advisor will call: a ticket asks one to, once, and no other
    answer opens one."""
    import asyncio

    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher
    from sqlalchemy import select

    from actions.problems import ActionAnswerSituation
    from bot.dealership.models import HandoffTicket

    monkeypatch.setenv("DATABASE_URL", demo_db)
    monkeypatch.setenv("CONCIERGE_NOW", "2026-11-23T10:00:00-06:00")
    trouble = "temp gauge is in the red and steam coming out the hood, im on i35"
    found = triage(trouble)
    stranger = "+12145550177"

    def asked(text: str) -> list[str]:
        message = {"text": text, "intent": {"name": "ownership", "confidence": 0.9},
                   "entities": []}
        events = [{"event": "user", "text": trouble},
                  {"event": "slot", "name": "situation", "value": found.category},
                  {"event": "user", "text": text, "parse_data": message}]
        tracker = Tracker(stranger, {"situation": found.category, "owner_id": None}, message,
                          events, False, None, {}, "action_listen")
        dispatcher = CollectingDispatcher()
        asyncio.run(ActionAnswerSituation().answer(dispatcher, tracker, {"responses": {}}))
        return [m.get("response") for m in dispatcher.messages]

    def tickets() -> list[tuple[str, str]]:
        with Session(get_engine(demo_db), future=True) as session:
            return [(t.urgency, t.summary) for t in session.execute(
                select(HandoffTicket).where(HandoffTicket.conversation_id == stranger)).scalars()]

    assert "utter_asked_tow" not in asked("ok we're off the road now")
    assert tickets() == []
    assert asked("ok pulled off. can u get it towed to you") == ["utter_asked_tow"]
    assert tickets() == [("normal", "Coming in by tow: overheating")]
    asked("can it be towed to you guys?")  # asked again: the same ticket
    assert len(tickets()) == 1


def test_the_cars_status_asked_while_staff_have_the_case_says_so(demo_db, monkeypatch):
    import asyncio

    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.appointments import ActionCheckServiceStatus
    from bot.dealership.handoff import open_ticket

    monkeypatch.setenv("DATABASE_URL", demo_db)
    monkeypatch.setenv("CONCIERGE_NOW", "2026-11-23T10:00:00-06:00")
    tariq = "+17375550133"
    with Session(get_engine(demo_db), future=True) as session:
        owner_id = find_owner_by_mobile(session, tariq).id

    def status() -> list[str]:
        message = {"text": "any update? did the gx make it there", "entities": [],
                   "intent": {"name": "check_service_status", "confidence": 0.9}}
        t = Tracker(tariq, {"owner_id": float(owner_id), "service_phone": "(512) 555-0101"},
                    message, [], False, None, {}, "action_listen")
        dispatcher = CollectingDispatcher()
        asyncio.run(ActionCheckServiceStatus().run(dispatcher, t, {}))
        return [m.get("response") for m in dispatcher.messages]

    assert status() == ["utter_car_not_here"]
    with Session(get_engine(demo_db), future=True) as session, session.begin():
        open_ticket(session, conversation_id=tariq, channel="twilio", owner_id=owner_id,
                    reason="Coming in by tow (flat tire): ...")
    assert status() == ["utter_car_not_here_staff_have_it"]


def test_how_much_longer_told_with_the_work_added_is_not_asked_of_the_cars_status(
        demo_db, monkeypatch):
    import asyncio

    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.appointments import ActionCheckServiceStatus

    monkeypatch.setenv("DATABASE_URL", demo_db)
    monkeypatch.setenv("CONCIERGE_NOW", "2026-11-23T10:00:00-06:00")
    priya = "+17375550110"
    with Session(get_engine(demo_db), future=True) as session:
        owner_id = find_owner_by_mobile(session, priya).id
    whole = "can u add that charging recall thing to it? how much longer would i be there"
    part = "how much longer would i be there"
    message = {"text": part, "entities": [], "metadata": {"whole_text": whole, "part": 2},
               "intent": {"name": "check_service_status", "confidence": 0.9}}
    events = [{"event": "user", "text": "can u add that charging recall thing to it?",
               "metadata": {"whole_text": whole, "part": 1}},
              {"event": "bot", "text": "The whole visit takes about 2 hours.",
               "metadata": {"utter_action": "utter_visit_length"}},
              {"event": "user", "text": part, "metadata": {"whole_text": whole, "part": 2}}]
    t = Tracker(priya, {"owner_id": float(owner_id)}, message, events, False, None, {},
                "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionCheckServiceStatus().run(dispatcher, t, {}))
    assert dispatcher.messages == []  # told already, with the work added


def test_a_crash_told_from_the_highway_gets_the_reply_that_says_to_clear_the_road():
    import yaml

    from actions.problems import first_form
    from bot.settings import ROOT

    domain = yaml.safe_load((ROOT / "domain" / "problems.yml").read_text())
    on_the_road = triage("got rear ended on 183 :( everyone ok, back bumper smashed")
    assert first_form(on_the_road, domain) == "utter_situation_accident_after_traffic"
    assert "traffic" in domain["responses"]["utter_situation_accident_after_traffic"][0]["text"]
    last_week = triage("got rear ended last tuesday on 183, everyone's fine")
    assert first_form(last_week, domain) == "utter_situation_accident_after"


def test_a_question_asked_back_from_a_car_stopped_gets_its_stopped_form():
    from actions.problems import answer_for
    from bot.dealership.triage import stopped

    domain = {"responses": {"utter_asked_drive": [], "utter_asked_drive_flashing_light": [],
                            "utter_asked_drive_flashing_light_parked": []}}
    text = "ok im parked at a gas station. can i just drive it in tmrw if it stops shaking"
    assert stopped(text) and not stopped("can i keep driving it to work")
    assert answer_for(domain, "drive", "flashing_light", "flashing_light", False,
                      stopped(text)) == "utter_asked_drive_flashing_light_parked"
    assert answer_for(domain, "drive", "flashing_light", "flashing_light", False) == \
        "utter_asked_drive_flashing_light"
    # no stopped form: the answer as it is
    assert answer_for(domain, "drive", "brakes", "routine", None, True) == "utter_asked_drive"
