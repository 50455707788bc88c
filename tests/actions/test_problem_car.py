"""A problem report finds the owner's car from the whole message when the entity extractor named
none ("...on my lx"), and never guesses one the message does not point at. Run on a demo
database, as the action server runs it."""

from __future__ import annotations

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.problems import ActionReportIssue
from bot.dealership import models as m
from bot.dealership.db import get_engine
from bot.dealership.owners import find_owner_by_mobile

VIKRAM = "+17375550172"  # an LX 600 and an ES 350


def report(database_url: str, text: str) -> tuple[list[dict], m.IssueReport]:
    with Session(get_engine(database_url), future=True) as session:
        owner_id = find_owner_by_mobile(session, VIKRAM).id
    message = {"text": text, "intent": {"name": "report_issue", "confidence": 0.9},
               "entities": []}
    tracker = Tracker(VIKRAM, {"owner_id": float(owner_id)}, message, [], False, None, {},
                      "action_listen")
    events = asyncio.run(ActionReportIssue().run(CollectingDispatcher(), tracker, {}))
    with Session(get_engine(database_url), future=True, expire_on_commit=False) as session:
        case = session.scalars(select(m.IssueReport).where(m.IssueReport.owner_id == owner_id)
                               .order_by(m.IssueReport.id.desc())).first()
        car = session.get(m.Vehicle, case.vehicle_id) if case.vehicle_id else None
    return events, car


def slot(events: list[dict], name: str):
    return next(e["value"] for e in events if e.get("event") == "slot" and e["name"] == name)


def test_the_car_named_in_the_message(on_demo_db):
    events, car = report(on_demo_db, "check engine light came on yesterday on my lx, "
                                     "still driving it fine")
    assert car.model == "LX 600"
    assert slot(events, "problem_vehicle") == car.label


def test_no_car_named_then_the_form_asks(on_demo_db):
    events, car = report(on_demo_db, "my car is making a weird noise when i brake")
    assert car is None
    assert slot(events, "problem_vehicle") is None


def test_a_strangers_car_in_their_own_words_is_not_asked_again(on_demo_db):
    text = "hi my battery light came on and stays on in my 2018 nx 300, is it ok to drive home?"
    message = {"text": text, "intent": {"name": "report_issue", "confidence": 0.9},
               "entities": []}
    tracker = Tracker("+15125550999", {}, message, [], False, None, {}, "action_listen")
    events = asyncio.run(ActionReportIssue().run(CollectingDispatcher(), tracker, {}))
    assert slot(events, "problem_vehicle") == "2018 nx 300"


def test_a_strangers_car_named_with_a_visit_asked_is_the_visits(on_demo_db):
    from actions.common import book_visit

    text = "my 2015 is 250 brakes are squeaking, could i bring it tmrw afternoon"
    message = {"text": text, "intent": {"name": "report_issue", "confidence": 0.9},
               "entities": [{"entity": "when", "value": "tmrw afternoon"}]}
    tracker = Tracker("+15125550177", {"owner_id": None}, message, [], False, None, {},
                      "action_listen")
    events = asyncio.run(book_visit(tracker, "brake_inspection", None, None))
    last = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert (last["vehicle"], last["vehicle_id"]) == ("2015 IS 250", None)
    # nothing named: the form asks
    message = {**message, "text": "my brakes are squeaking, could i bring it tmrw afternoon"}
    tracker = Tracker("+15125550177", {"owner_id": None}, message, [], False, None, {},
                      "action_listen")
    events = asyncio.run(book_visit(tracker, "brake_inspection", None, None))
    assert not any(e.get("name") == "vehicle" and e.get("value") for e in events)
