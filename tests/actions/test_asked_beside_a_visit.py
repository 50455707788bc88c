"""A recall or the maintenance due asked about beside a visit asked for in the same text: told,
with no offer of a visit of their own (the visit's times come next in the reply, and the fix can
join it); and a recall done found by what the whole text says it fixes. On the demo database, as
the action server runs them."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.recalls import ActionCheckRecall
from bot.dealership.db import get_engine
from bot.dealership.owners import find_owner_by_mobile
from tests.demo import MARCUS


@pytest.mark.parametrize(("then", "said", "offered"), [
    # one line: the recall by its name, and that it can join the visit (a text holds the times);
    # the fix stays offered for a visit asked naming no work ("...can u do it wed?")
    ("book_service", ["utter_recall_can_join_visit_safety"], "recall_repair"),
    (None, ["utter_open_recalls_safety", "utter_offer_recall_repair"], "recall_repair"),
])
def test_a_recall_asked_beside_a_visit_can_join_it(on_demo_db, then, said, offered):
    with Session(get_engine(on_demo_db), future=True) as session:
        marcus = find_owner_by_mobile(session, MARCUS).id
    metadata = {"whole_text": "need a tire rotation on the gx next mon. also is there any "
                "recall on it?", "part": 1, "parts": 2, **({"then": then} if then else {})}
    message = {"text": "is there any recall on it?", "metadata": metadata,
               "intent": {"name": "check_recall", "confidence": 1.0},
               "entities": [{"entity": "vehicle", "value": "gx"}]}
    tracker = Tracker("+15125550199", {"owner_id": marcus}, message, [], False, None, {},
                      "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionCheckRecall().run(dispatcher, tracker, {}))
    assert [m.get("response") for m in dispatcher.messages] == said
    assert {e["name"]: e["value"] for e in events}["offered_service"] == offered


def after_the_recall_told(database_url: str, text: str, intent: str) -> Tracker:
    """Marcus asks `text` right after his GX's open safety recall was told."""
    with Session(get_engine(database_url), future=True) as session:
        marcus = find_owner_by_mobile(session, MARCUS).id
    message = {"text": text, "intent": {"name": intent, "confidence": 0.95}, "entities": []}
    told = [{"event": "user", "text": "any recalls on my cars?"},
            {"event": "bot", "text": "Your 2019 GX 460 has an open recall.",
             "metadata": {"utter_action": "utter_open_recalls_safety"}},
            {"event": "user", "text": text, "parse_data": message}]
    return Tracker(MARCUS, {"owner_id": marcus}, message, told, False, None, {},
                   "action_listen")


@pytest.mark.parametrize(("text", "said"), [
    ("how long does the recall fix take and is it free",
     ["utter_recall_fix_time", "utter_recall_fix_free", "utter_offer_recall_repair"]),
    ("does it cost anything?", ["utter_recall_fix_free", "utter_offer_recall_repair"]),
])
def test_the_fix_just_told_asked_about_gets_its_time_and_price(on_demo_db, text, said):
    tracker = after_the_recall_told(on_demo_db, text, "check_recall")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionCheckRecall().run(dispatcher, tracker, {}))
    assert [m.get("response") for m in dispatcher.messages] == said
    assert {e["name"]: e["value"] for e in events}["offered_service"] == "recall_repair"


@pytest.mark.parametrize(("text", "said"), [
    ("are my kids ok sitting back there till its fixed?",
     ["utter_recall_risk_safety", "utter_offer_recall_repair"]),
    ("ok sounds good, can i drive it in tomorrow?", None),
])
def test_whether_it_is_safe_until_the_fix_gets_what_the_recall_says(on_demo_db, text, said):
    from actions.common import recall_risk_asked

    tracker = after_the_recall_told(on_demo_db, text, "ownership")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(recall_risk_asked(dispatcher, tracker))
    if said is None:
        assert events is None and dispatcher.messages == []
        return
    assert [m.get("response") for m in dispatcher.messages] == said
    assert "crash" in dispatcher.messages[0]["description"]


def test_a_recall_done_is_found_by_what_the_whole_text_says_it_fixes(on_demo_db):
    from tests.demo import OLIVIA
    with Session(get_engine(on_demo_db), future=True) as session:
        olivia = find_owner_by_mobile(session, OLIVIA).id
    # the part asks "for that"; the wipers are named in the part before it
    metadata = {"whole_text": "my wipers just stopped working on the is. wasnt there a recall "
                "for that??", "part": 1, "parts": 2}
    message = {"text": "wasnt there a recall for that??", "metadata": metadata,
               "intent": {"name": "check_recall", "confidence": 0.8}, "entities": []}
    tracker = Tracker(OLIVIA, {"owner_id": olivia}, message, [], False, None, {},
                      "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionCheckRecall().run(dispatcher, tracker, {}))
    assert [m.get("response") for m in dispatcher.messages][0] == "utter_recall_done"
    # after the first reply to the trouble, said in the same text: briefly, so both fit a text
    told = [{"event": "user", "text": "my wipers just stopped working on the is.",
             "metadata": {**metadata, "part": 1}},
            {"event": "bot", "text": "Without wipers...",
             "metadata": {"utter_action": "utter_situation_wipers_failed"}},
            {"event": "user", "text": message["text"], "metadata": {**metadata, "part": 2}}]
    after = Tracker(OLIVIA, {"owner_id": olivia}, {**message, "metadata": {**metadata,
                                                                           "part": 2}},
                    told, False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionCheckRecall().run(dispatcher, after, {}))
    assert [m.get("response") for m in dispatcher.messages][0] == "utter_recall_done_brief"


@pytest.mark.parametrize(("then", "offered_line"), [("book_service", False), (None, True)])
def test_maintenance_due_asked_beside_a_visit_leaves_the_visit_to_book_it(on_demo_db, then,
                                                                          offered_line):
    from actions.ownership import ActionAnswerOwnership
    from tests.demo import AISHA
    with Session(get_engine(on_demo_db), future=True) as session:
        aisha = find_owner_by_mobile(session, AISHA).id
    metadata = {"whole_text": "my is is due for the 45k service right? can i bring it in wed "
                "after lunch", "part": 1, "parts": 2, **({"then": then} if then else {})}
    message = {"text": "my is is due for the 45k service right?", "metadata": metadata,
               "entities": [], "intent": {"name": "ownership", "confidence": 0.6},
               "response_selector": {"ownership": {"response": {
                   "intent_response_key": "ownership/maintenance_schedule"}}}}
    tracker = Tracker(AISHA, {"owner_id": aisha}, message, [], False, None, {},
                      "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionAnswerOwnership().run(dispatcher, tracker, {}))
    said = [m.get("response") for m in dispatcher.messages]
    assert ("utter_offer_maintenance_visit" in said) is offered_line
    # either way the visit that follows (or a yes) books the maintenance
    assert {e["name"]: e["value"] for e in events}["offered_service"] == "scheduled_maintenance"


def test_the_car_named_with_a_recall_asked_mid_booking_keeps_the_time_said(on_demo_db,
                                                                           monkeypatch):
    """"oil change wed afternoon", which car, "the gx. around 2? and i got a letter about a seat
    latch recall, can u do that at the same time": the GX, Wednesday at 2, and the fix joins."""
    monkeypatch.setenv("CONCIERGE_NOW", "2026-11-23T10:00:00-06:00")
    with Session(get_engine(on_demo_db), future=True) as session:
        marcus = find_owner_by_mobile(session, MARCUS).id
    text = ("the gx. around 2? and i got a letter about a seat latch recall, can u do that at "
            "the same time")
    message = {"text": text, "intent": {"name": "check_recall", "confidence": 0.9},
               "entities": [{"entity": "vehicle", "value": "gx"}]}
    before = [{"event": "user", "text": "can i get an oil change wed afternoon"},
              {"event": "action", "name": "action_start_booking"},
              {"event": "slot", "name": "appointment_time", "value": "wed afternoon"},
              {"event": "slot", "name": "appointment_time", "value": None},
              {"event": "user", "text": text, "parse_data": message}]
    tracker = Tracker(MARCUS, {"owner_id": marcus, "services": ["synthetic_oil_change"],
                               "requested_slot": "vehicle"}, message, before, False, None,
                      {"name": "booking_form"}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionCheckRecall().run(dispatcher, tracker, {}))
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots["vehicle"] == "2019 GX 460"
    assert slots["services"] == ["synthetic_oil_change", "recall_repair"]
    assert slots["appointment_time"].startswith("2026-11-25T14:00")
    assert "utter_car_and_time_agreed" in [m.get("response") for m in dispatcher.messages]


def test_a_recall_asked_beside_adding_it_to_the_visit_booked_asks_nothing(on_demo_db,
                                                                         monkeypatch):
    """Priya's NX comes in tomorrow: "while my nx is in tmrw for the tires can u also do that
    charging timer recall?" is the recall told, then (the next part) the fix added to that
    visit; the offer to add it is kept for that part, not asked as well."""
    from tests.demo import PRIYA

    monkeypatch.setenv("CONCIERGE_NOW", "2026-11-23T10:00:00-06:00")
    with Session(get_engine(on_demo_db), future=True) as session:
        priya = find_owner_by_mobile(session, PRIYA).id
    metadata = {"whole_text": "while my nx is in tmrw for the tires can u also do that charging "
                "timer recall?", "part": 1, "parts": 2, "then": "book_service"}
    message = {"text": "do that charging timer recall?", "metadata": metadata,
               "intent": {"name": "check_recall", "confidence": 1.0}, "entities": []}
    tracker = Tracker(PRIYA, {"owner_id": priya}, message, [], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionCheckRecall().run(dispatcher, tracker, {}))
    assert [m.get("response") for m in dispatcher.messages] == ["utter_recall_can_join_visit"]
    slots = {e["name"]: e["value"] for e in events}
    assert slots["offered_service"] == "recall_repair" and slots["offered_visit_id"]


def test_trouble_back_after_a_recall_done_is_a_case_and_a_look_offered(on_demo_db):
    """"my wipers just quit in the rain, is this that wiper recall?": done already, so the
    trouble is written up as a case of its own and a fresh look is offered."""
    from bot.dealership import reports
    from tests.demo import OLIVIA

    with Session(get_engine(on_demo_db), future=True) as session:
        olivia = find_owner_by_mobile(session, OLIVIA).id
    text = "my wipers just quit in the rain 😩 is this that wiper recall?"
    message = {"text": text, "intent": {"name": "check_recall", "confidence": 0.95},
               "entities": []}
    tracker = Tracker(OLIVIA, {"owner_id": olivia}, message, [], False, None, {},
                      "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionCheckRecall().run(dispatcher, tracker, {}))
    said = [(m.get("response"), m.get("reference")) for m in dispatcher.messages]
    assert [r for r, _ in said] == ["utter_recall_done", "utter_recall_done_look_offered"]
    with Session(get_engine(on_demo_db), future=True) as session:
        case = reports.by_reference(session, said[1][1])
        assert case is not None and "wipers" in case.description
    assert {e["name"]: e["value"] for e in events}["offered_service"]


def test_a_recall_fix_added_as_the_time_is_asked_is_said_by_its_name(on_demo_db, monkeypatch):
    """"...isnt there a recall on the gx? do that too if its free" while the time is asked: the
    fix is said back by its campaign, and free; other work added beside it as work added."""
    from actions.booking import say_work_added
    from bot.dealership.models import Vehicle

    monkeypatch.setenv("CONCIERGE_NOW", "2026-11-23T10:00:00-06:00")
    with Session(get_engine(on_demo_db), future=True) as session:
        gx = session.query(Vehicle).filter_by(vin="JTJBM7FX5K5000199").one().id
    tracker = Tracker(MARCUS, {"vehicle_id": gx}, {"text": "do that too if its free"}, [],
                      False, None, {"name": "booking_form"}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(say_work_added(dispatcher, tracker, [("recall_repair", "recall repair"),
                                                     ("tire_rotation", "tire rotation")]))
    assert [(m["response"], m.get("campaign") or m.get("work")) for m in dispatcher.messages] \
        == [("utter_recall_joins_booking", "24TA05"), ("utter_work_added", "tire rotation")]


def test_an_open_recall_named_by_its_words_is_added_to_the_visit_named(on_demo_db,
                                                                        monkeypatch):
    """"can u add that charging software update to my appt tmrw?", read as a look at the visit:
    the open recall it names by what it fixes joins that visit."""
    from actions.appointments import work_added
    from tests.demo import PRIYA

    monkeypatch.setenv("CONCIERGE_NOW", "2026-11-23T10:00:00-06:00")
    with Session(get_engine(on_demo_db), future=True) as session:
        priya = find_owner_by_mobile(session, PRIYA).id
    text = "can u add that charging software update to my appt tmrw?"
    message = {"text": text, "intent": {"name": "check_appointment", "confidence": 1.0},
               "entities": []}
    tracker = Tracker(PRIYA, {"owner_id": priya}, message, [], False, None, {}, "action_listen")
    events = asyncio.run(work_added(tracker, priya))
    assert events is not None
    slots = {e["name"]: e.get("value") for e in events if e.get("event") == "slot"}
    assert "recall_repair" in str(slots), events


def test_visits_told_already_in_the_reply_are_not_told_again(on_demo_db, monkeypatch):
    """"ok yes switch it. still 130 right?": the switch's answer named the visit by its code,
    so the look at what is booked adds nothing."""
    from actions.appointments import told_already
    from bot.dealership.profile import local_now
    from bot.dealership.visits import booked
    from tests.demo import VIKRAM

    monkeypatch.setenv("CONCIERGE_NOW", "2026-11-23T10:00:00-06:00")
    with Session(get_engine(on_demo_db), future=True) as session:
        vikram = find_owner_by_mobile(session, VIKRAM).id
        code = booked(session, vikram, local_now(session))[0].code

    def reply_so_far(said: str, asked: str = "still 130 right?") -> Tracker:
        message = {"text": asked, "metadata": {"part": 2}}
        events = [{"event": "user", "text": "ok yes switch it", "metadata": {"part": 1}},
                  {"event": "bot", "text": said},
                  {"event": "user", "text": asked, "metadata": {"part": 2}}]
        return Tracker(VIKRAM, {"owner_id": vikram}, message, events, False, None, {},
                       "action_listen")

    assert asyncio.run(told_already(reply_so_far(f"Done: ... (code {code}) now has a loaner."),
                                    vikram))
    assert not asyncio.run(told_already(reply_so_far("Done: something else."), vikram))
    # the ride asked about, and not said yet: the look at the visit says it
    assert not asyncio.run(told_already(reply_so_far(
        f"Done: ... (code {code}) is confirmed.", "shuttle still ok at that time right?"),
        vikram))


def test_a_recall_asked_of_two_cars_named_is_checked_on_both(on_demo_db):
    with Session(get_engine(on_demo_db), future=True) as session:
        marcus = find_owner_by_mobile(session, MARCUS).id
    text = "got a recall letter but my kid threw it out. is it for the es or the gx? what is it"
    # the extractor found the ES alone
    message = {"text": text, "intent": {"name": "check_recall", "confidence": 1.0},
               "entities": [{"entity": "vehicle", "value": "ES", "start": 58, "end": 60}]}
    tracker = Tracker(MARCUS, {"owner_id": marcus}, message, [], False, None, {},
                      "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionCheckRecall().run(dispatcher, tracker, {}))
    told = " ".join(str(m) for m in dispatcher.messages)
    assert "24TA05" in told, dispatcher.messages
