"""What the owner asks for in so many words is done, with nothing to say yes to again: a
booking told to be booked, work asked for at a visit booked already, a move to one of the times
offered for it; and what they ask right after is about that visit."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.booking import SAME_TIME, ValidateBookingForm, said_it_all, same_time_kept
from actions.changes import ActionAskReschedule, picked_plainly
from actions.common import move_pending
from actions.greeting import ActionOk
from actions.ownership import of_the_visit_booked
from bot.dealership import appointments
from bot.dealership.db import get_engine
from bot.dealership.replies import joins_visit_asked
from tests.actions.test_moving_times import FRI_9, NOW, book_dana

FILLED = {"vehicle": "2021 RX 350", "vehicle_id": 1, "services": ["oil_change"],
          "appointment_time": "2026-11-27T09:00:00-06:00", "transport": "wait"}


def tracker_for(text: str, slots: dict, intent: str = "inform", events: list | None = None,
                loop: str | None = "booking_form") -> Tracker:
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    events = [*(events or []), {"event": "user", "text": text, "parse_data": message}]
    return Tracker("+15125550142", dict(slots), message, events, False, None,
                   {"name": loop} if loop else {}, "action_listen")


@pytest.mark.parametrize(("text", "booked"), [
    ("9am, i'll wait. book it", True),
    ("ok lock it in", True),
    ("perfect, go ahead", True),
    ("book both pls", True),
    ("yes book it. what do i need to bring?", True),
    ("ok book 9am, ill wait", True),
    ("whatever just book me fri at 9 for the oil change", True),
    # a detail alone, a hedge, a question or a no: the summary says it back first
    ("9am, i'll wait", False),
    ("830 is good", False),
    ("maybe book it for 9", False),
    ("go ahead. do i need to bring anything?", False),
    ("don't book it yet", False),
    ("ok book a time for me", False),
])
def test_only_a_text_that_says_to_book_books_without_a_summary(text, booked):
    events = [{"event": "slot", "name": "appointment_time", "value": FILLED["appointment_time"]},
              {"event": "slot", "name": "requested_slot", "value": "confirm_booking"}]
    assert asyncio.run(said_it_all(tracker_for(text, FILLED), events)) is booked


def test_the_form_books_at_once_when_told_to_and_the_confirmation_has_the_estimate(
        on_demo_db):
    form = ValidateBookingForm()
    tracker = tracker_for("fri at 9, i'll wait, book it", {"owner_id": 1, **FILLED,
                                                            "appointment_time": None})
    events = asyncio.run(form.run(CollectingDispatcher(), tracker, {
        "forms": {"booking_form": {"required_slots": [
            "vehicle", "services", "appointment_time", "transport", "confirm_booking"]}},
        "slots": {}}))
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots.get("confirm_booking") is True and slots.get("requested_slot") is None


@pytest.mark.parametrize(("text", "asks"), [
    ("hey since the nx is in tmrw anyway can u do that charging recall thing too", True),
    ("oh can you add the charging recall thing to that", True),
    ("While you have my LX tomorrow, could you also do a four-wheel alignment?", True),
    ("add a tire rotation to tomorrows visit", True),
    ("add me to the waitlist", False),
    ("need an oil change while im in town", False),
    ("i want to add my wife to the account", False),
    ("since when is that a thing", False),
])
def test_work_asked_for_at_a_visit_booked_points_at_it(text, asks):
    assert joins_visit_asked(text) is asks


def test_how_long_it_all_takes_right_after_work_was_added_is_the_whole_visit(demo_db,
                                                                             monkeypatch):
    owner_id, code = book_dana(demo_db, monkeypatch, FRI_9)
    with Session(get_engine(demo_db), future=True) as session, session.begin():
        appointment = appointments.by_code(session, owner_id, code)
        appointment.services.append(next(s for s in appointments_menu(session)
                                         if s.code == "tire_rotation"))
    events = [{"event": "user", "text": "add a rotation to it"},
              {"event": "bot", "text": "Done", "metadata": {"utter_action":
                                                            "utter_added_to_visit"}}]
    tracker = tracker_for("how long will it all take? im waiting", {
        "owner_id": owner_id, "booked_code": code}, intent="ownership", events=events, loop=None)
    dispatcher = CollectingDispatcher()
    assert asyncio.run(of_the_visit_booked(dispatcher, tracker))
    said = dispatcher.messages[0]
    assert said["response"].startswith("utter_visit_takes")
    assert said["services"] == "synthetic oil change and tire rotation"
    # a question about one service, or long after the booking, is not about the visit
    assert not asyncio.run(of_the_visit_booked(CollectingDispatcher(), tracker_for(
        "how long does a rotation take", {"owner_id": owner_id, "booked_code": code},
        intent="ownership", events=events, loop=None)))


def appointments_menu(session: Session) -> list:
    from bot.dealership import services
    return services.menu(session)


def test_the_same_time_on_another_day_keeps_the_hour_said_before(on_demo_db, monkeypatch):
    monkeypatch.setenv("CONCIERGE_NOW", NOW.isoformat())
    events = [{"event": "user", "text": "ls needs the brakes looked at. thurs 2pm + a loaner?"},
              {"event": "bot", "text": "We're closed on Thanksgiving Day."}]
    tracker = tracker_for("ah right. wed same time then", {}, events=events)
    kept = asyncio.run(same_time_kept(tracker, "wed"))
    assert kept.endswith("at 2:00 PM") and "wed" in kept
    assert asyncio.run(same_time_kept(tracker_for("wed then", {}, events=events), "wed")) == \
        "wed"
    assert not SAME_TIME.search("same time as my rx")


@pytest.mark.parametrize(("text", "offered", "plainly"), [
    ("oh right lol. friday 9 then, go ahead", True, True),
    ("wed then, same time", True, True),
    ("move it to friday at 9, go ahead", False, True),
    ("move it to friday at 9", False, False),  # a move asked: "Move it to ...?" first
    ("ugh right. fri then, 9 again?", True, True),  # 9 asked for, to the times offered
    ("can u do fri at 9?", True, True),
    ("is fri at 9 open?", True, False),  # whether it is, asked
    ("maybe friday 9?", True, False),
    ("omg right.", True, False),  # a bare yes names no time: "Move it to ...?" first
    ("friday 9 then. is the shuttle running?", True, False),
])
def test_a_move_is_made_at_once_only_when_its_time_is_given_plainly(text, offered, plainly):
    assert picked_plainly(text, offered) is plainly


def test_a_time_picked_from_the_offered_moves_without_another_question(demo_db, monkeypatch):
    owner = book_dana(demo_db, monkeypatch, FRI_9)
    message = {"text": "ok 10 then", "intent": {"name": "inform", "confidence": 0.9},
               "entities": [{"entity": "when", "value": "10"}]}
    offered = ["2026-11-27T10:00:00-06:00", "2026-11-27T10:30:00-06:00"]
    tracker = Tracker("+15125550142", {"owner_id": owner[0], "change_code": owner[1],
                                       "offered_slots": offered, "appointment_time": "10"},
                      message, [{"event": "user", "text": "ok 10 then", "parse_data": message}],
                      False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionAskReschedule().run(dispatcher, tracker, {}))
    assert [m.get("response") for m in dispatcher.messages] == ["utter_moved"]
    assert starts_at(demo_db, owner) == FRI_9.replace(hour=10)


def starts_at(database_url: str, owner: tuple[int, str]):
    with Session(get_engine(database_url), future=True) as session:
        return appointments.by_code(session, owner[0], owner[1]).starts_at


def pending(text: str, intent: str, replies: list[str], owner: tuple[int, str] = (1, "ABC123")
            ) -> Tracker:
    events = [{"event": "user", "text": "can we do my oil change earlier? 8am ideally"},
              {"event": "bot", "text": "Move it?", "metadata": {"utter_action":
                                                                "utter_confirm_move"}},
              {"event": "user", "text": "wait also what time do you close that day"},
              *[{"event": "bot", "text": "", "metadata": {"utter_action": r}} for r in replies]]
    return tracker_for(text, {"change_code": owner[1], "owner_id": owner[0],
                              "appointment_time": FRI_9.replace(hour=8).isoformat()},
                       intent=intent, events=events, loop=None)


def test_the_yes_to_a_move_after_a_question_answered_in_between_moves_it(demo_db, monkeypatch):
    owner = book_dana(demo_db, monkeypatch, FRI_9)
    tracker = pending("ok yes 8 works", "affirm", ["utter_hours_on_day"], owner)
    assert move_pending(tracker)
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionOk().run(dispatcher, tracker, {}))
    assert [m["response"] for m in dispatcher.messages] == ["utter_moved"]
    assert starts_at(demo_db, owner) == FRI_9.replace(hour=8)
    # once it was kept (or moved), a later yes moves nothing
    assert not move_pending(pending("yes", "affirm", ["utter_kept"]))


def test_a_no_right_after_a_booking_keeps_it_and_says_how_to_change_it():
    events = [{"event": "user", "text": "oil change fri 9, ill wait, book it"},
              {"event": "bot", "text": "You're booked", "metadata": {"utter_action":
                                                                    "utter_booked_estimate"}}]
    tracker = tracker_for("no", {"booked_code": "ABC123"}, intent="deny", events=events,
                          loop=None)
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionOk().run(dispatcher, tracker, {}))
    assert [m["response"] for m in dispatcher.messages] == ["utter_booked_what_to_change"]
    # "no make it 2pm": that visit moved
    message = {"text": "no make it 2pm", "intent": {"name": "deny", "confidence": 0.9},
               "entities": [{"entity": "when", "value": "2pm"}]}
    tracker = Tracker("+15125550142", {"booked_code": "ABC123"}, message, [
        *events, {"event": "user", "text": "no make it 2pm", "parse_data": message}], False,
        None, {}, "action_listen")
    moved = asyncio.run(ActionOk().run(CollectingDispatcher(), tracker, {}))
    assert moved[-1]["name"] == "action_ask_reschedule"
    assert {"event": "slot", "timestamp": None, "name": "change_code", "value": "ABC123"} in moved


def test_a_car_corrected_right_after_the_booking_moves_the_visit_to_it(demo_db, monkeypatch):
    from actions.changes import car_corrected
    from bot.dealership.owners import find_owner_by_mobile
    from tests.demo import KENJI

    monkeypatch.setenv("DATABASE_URL", demo_db)
    monkeypatch.setenv("CONCIERGE_NOW", NOW.isoformat())
    with Session(get_engine(demo_db), future=True) as session, session.begin():
        kenji = find_owner_by_mobile(session, KENJI)
        cars = {car.model_line: car for car in kenji.vehicles}
        booked = appointments.make_booking(
            session, owner_id=kenji.id, vehicle_id=cars["LS"].id, service_codes=["alignment"],
            start=FRI_9, transport="wait", now=NOW)
        owner_id, code, rz = kenji.id, booked.appointment.code, cars["RZ"].id
    events = [{"event": "user", "text": "Please book an alignment for my LS fri at 9"},
              {"event": "bot", "text": "You're booked", "metadata": {
                  "utter_action": "utter_booked_estimate"}}]
    tracker = tracker_for("Apologies, I meant the RZ, not the LS.", {
        "owner_id": owner_id, "booked_code": code}, events=events, loop=None)
    dispatcher = CollectingDispatcher()
    assert asyncio.run(car_corrected(dispatcher, tracker)) == []
    assert dispatcher.messages[0]["response"] == "utter_visit_car_switched"
    with Session(get_engine(demo_db), future=True) as session:
        assert appointments.by_code(session, owner_id, code).vehicle_id == rz
    # the same words long after the booking correct nothing
    later = tracker_for("Apologies, I meant the RZ, not the LS.", {
        "owner_id": owner_id, "booked_code": code}, events=[
            *events, {"event": "user", "text": "thanks"},
            {"event": "bot", "text": "", "metadata": {"utter_action": "utter_ok"}}], loop=None)
    assert asyncio.run(car_corrected(CollectingDispatcher(), later)) is None


def test_book_it_read_as_a_time_to_the_times_offered_picks_none(on_demo_db):
    offered = ["2027-01-22T17:00:00-06:00", "2027-01-22T17:30:00-06:00"]
    events = [{"event": "user", "text": "ok mar 2 at 10 then"},
              {"event": "slot", "name": "appointment_time", "value": "2 at 10"},
              {"event": "bot", "text": "I can book up to Jan 22."}]
    tracker = tracker_for("book it", {"owner_id": 1, "offered_slots": offered,
                                      "requested_slot": "appointment_time",
                                      "services": ["oil_change"]}, events=events)
    found = asyncio.run(ValidateBookingForm().validate_appointment_time(
        "book it", CollectingDispatcher(), tracker, {}))
    assert found == {"appointment_time": None}
    # to times offered for the day asked, with no reason against it: the nearest is taken
    asked = [{"event": "user", "text": "wed?"},
             {"event": "bot", "text": "I can do 1) ... 2) ...",
              "metadata": {"utter_action": "utter_offer_any_times_for_work"}}]
    tracker = tracker_for("ok book it", {"owner_id": 1, "offered_slots": offered,
                                         "requested_slot": "appointment_time",
                                         "services": ["oil_change"]}, events=asked)
    found = asyncio.run(ValidateBookingForm().validate_appointment_time(
        "ok book it", CollectingDispatcher(), tracker, {}))
    assert found.get("appointment_time") == offered[0]
    # a time said beside the go-ahead is read as ever ("8 works. book it, ill wait")
    from actions.booking import TIME_WORDS
    assert all(TIME_WORDS.search(text) for text in (
        "8 works. book it, ill wait", "12 works, book it. need a loaner too",
        "9ish is fine. yes go ahead", "the first one, book it"))
    assert not TIME_WORDS.search("ok book it")
