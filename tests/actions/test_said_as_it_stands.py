"""What stays as it was is said as it stands: the ride kept when a change of it is turned down,
the ride a moved visit keeps, the visit a recall fix was offered to join after a question about
the fix, and trouble told in the text that asks for a person, written up for that person. On
the demo database, as the action server runs them."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.dealership import models as m
from bot.dealership.db import get_engine
from bot.dealership.owners import find_owner_by_mobile
from bot.dealership.profile import local_now
from bot.dealership.visits import booked
from tests.demo import HANNAH, PRIYA, VIKRAM


def owner_and_visit(db: str, mobile: str) -> tuple[int, str, int]:
    with Session(get_engine(db), future=True) as session:
        owner = find_owner_by_mobile(session, mobile).id
        code = booked(session, owner, local_now(session))[0].code
        visit = session.scalars(select(m.Appointment).where(m.Appointment.code == code)).one()
        return owner, code, visit.id


def tracker(mobile: str, slots: dict, text: str, intent: str, events: list | None = None
            ) -> Tracker:
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    return Tracker(mobile, slots, message, [*(events or []), {"event": "user", "text": text}],
                   False, None, {}, "action_listen")


def test_a_ride_change_turned_down_says_the_ride_kept(on_demo_db):
    from actions.rides import ActionConfirmRideChange

    vikram, code, _ = owner_and_visit(on_demo_db, VIKRAM)
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionConfirmRideChange().run(dispatcher, tracker(
        VIKRAM, {"owner_id": vikram, "ride_change": f"{code}:loaner"},
        "eh i drive way more than that tmrw. nvm keep the shuttle", "complain"), {}))
    [said] = dispatcher.messages
    assert said["response"] == "utter_ride_kept"
    assert code in said["appointment"] and "shuttle" in said["appointment"]
    with Session(get_engine(on_demo_db), future=True) as session:
        assert session.scalars(select(m.Appointment.transport)
                               .where(m.Appointment.code == code)).one() == "shuttle"


def test_a_visit_moved_says_the_ride_it_keeps(on_demo_db):
    from actions.changes import make_move

    vikram, code, _ = owner_and_visit(on_demo_db, VIKRAM)
    dispatcher = CollectingDispatcher()
    friday = datetime.fromisoformat("2026-11-27T15:30:00-06:00")
    asyncio.run(make_move(dispatcher, tracker(VIKRAM, {"owner_id": vikram}, "yes", "affirm"),
                          vikram, code, friday))
    [said] = dispatcher.messages
    assert said["response"] == "utter_moved"
    assert "Fri Nov 27 at 3:30 PM" in said["appointment"]
    assert said["appointment"].endswith("with a shuttle ride")


def test_a_question_about_the_fix_offers_again_to_join_the_visit(on_demo_db):
    from actions.recalls import fix_asked_about

    priya, _, visit_id = owner_and_visit(on_demo_db, PRIYA)
    offered = [{"event": "bot", "text": "...has an open recall...",
                "metadata": {"utter_action": "utter_open_recalls"}},
               {"event": "bot", "text": "...Want me to add the recall repair to that visit?",
                "metadata": {"utter_action": "utter_offer_recall_on_visit"}}]
    slots = {"owner_id": priya, "offered_service": "recall_repair", "offered_vehicle_id": 4,
             "offered_visit_id": visit_id}
    dispatcher = CollectingDispatcher()
    events = asyncio.run(fix_asked_about(dispatcher, tracker(
        PRIYA, slots, "is that free?", "ownership", offered)))
    assert [s["response"] for s in dispatcher.messages] == [
        "utter_recall_fix_free", "utter_offer_recall_join_again"]
    assert {e["name"]: e["value"] for e in events}["offered_visit_id"] == visit_id
    # offered as a visit of its own, it is offered so again
    dispatcher = CollectingDispatcher()
    events = asyncio.run(fix_asked_about(dispatcher, tracker(
        PRIYA, {**slots, "offered_visit_id": None}, "is that free?", "ownership", offered)))
    assert dispatcher.messages[-1]["response"] == "utter_offer_recall_repair"
    # added to the visit in the reply before: how long, and no offer of what is done
    added = [*offered, {"event": "bot", "text": "Done: I've added recall repair...",
                        "metadata": {"utter_action": "utter_added_to_visit"}}]
    dispatcher = CollectingDispatcher()
    asyncio.run(fix_asked_about(dispatcher, tracker(
        PRIYA, slots, "how much longer will that take, i was gonna wait", "ownership", added)))
    assert [s["response"] for s in dispatcher.messages] == ["utter_recall_fix_time"]


def reports_of(db: str, owner_id: int) -> list[tuple[str, int | None]]:
    with Session(get_engine(db), future=True) as session:
        return [(r.description, r.vehicle_id) for r in session.scalars(
            select(m.IssueReport).where(m.IssueReport.owner_id == owner_id))]


def test_trouble_told_asking_for_a_person_is_written_up_for_them(on_demo_db):
    from actions.handoff import ActionHandOff

    with Session(get_engine(on_demo_db), future=True) as session:
        hannah = find_owner_by_mobile(session, HANNAH).id
        tickets = session.scalar(select(func.count()).select_from(m.HandoffTicket))
    before = reports_of(on_demo_db, hannah)
    text = ("theres a rattle in the dash every time i hit a bump, its driving me crazy. can i "
            "just talk to a real person")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionHandOff().run(dispatcher, tracker(
        HANNAH, {"owner_id": hannah}, text, "request_human"), {}))
    assert [s["response"] for s in dispatcher.messages][0] == "utter_case_filed_brief"
    # (its situation: what a visit asked for next is for)
    assert {e["name"]: e["value"] for e in events}["situation"]
    assert dispatcher.messages[-1]["response"].startswith("utter_handed_off")
    new = [r for r in reports_of(on_demo_db, hannah) if r not in before]
    assert len(new) == 1 and new[0][0] == text and new[0][1] is not None  # on her one car
    with Session(get_engine(on_demo_db), future=True) as session:
        assert session.scalar(select(func.count()).select_from(m.HandoffTicket)) > tickets
    # a person asked for with no trouble told: nothing written up
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionHandOff().run(dispatcher, tracker(
        HANNAH, {"owner_id": hannah}, "can i talk to a real person pls", "request_human"), {}))
    assert [s["response"] for s in dispatcher.messages][0].startswith("utter_handed_off")
    assert len(reports_of(on_demo_db, hannah)) == len(before) + 1


def test_how_long_the_recall_fix_takes_asked_with_the_recalls_comes_before_the_offer(
        on_demo_db):
    from actions.recalls import ActionCheckRecall
    from tests.demo import MARCUS

    with Session(get_engine(on_demo_db), future=True) as session:
        marcus = find_owner_by_mobile(session, MARCUS).id

    def said(text: str) -> list[str]:
        dispatcher = CollectingDispatcher()
        message = {"text": text, "intent": {"name": "check_recall", "confidence": 0.9},
                   "entities": [{"entity": "vehicle", "value": "gx"}]}
        t = Tracker(MARCUS, {"owner_id": marcus}, message, [{"event": "user", "text": text}],
                    False, None, {}, "action_listen")
        asyncio.run(ActionCheckRecall().run(dispatcher, t, {}))
        return [m["response"] for m in dispatcher.messages]

    asked = said("how long does the seat latch recall take on my gx? can i wait for it")
    assert asked[-2:] == ["utter_recall_fix_time_wait", "utter_offer_recall_repair"]
    assert said("how long does the gx recall take")[-2:] == [
        "utter_recall_fix_time", "utter_offer_recall_repair"]
    assert "utter_recall_fix_time" not in said("any recalls on my gx?")


def test_work_asked_to_be_added_beside_trouble_asks_for_the_visit():
    from actions.problems import visit_asked

    assert visit_asked("can u add an alignment the lx pulls to the right")
    assert visit_asked("also throw in a tire rotation, it shakes at 70")
    assert not visit_asked("the lx pulls to the right")
    assert not visit_asked("it started after they added the new tires")


def test_a_guest_is_asked_their_name_with_the_work_and_car_understood(on_demo_db):
    from actions.booking import ActionAskGuestName

    def asked(slots: dict) -> list[dict]:
        dispatcher = CollectingDispatcher()
        t = Tracker("+15125550111", slots, {"text": "need my brakes checked on my 2015 is 250"},
                    [], False, None, {}, "action_listen")
        asyncio.run(ActionAskGuestName().run(dispatcher, t, {}))
        return dispatcher.messages

    [said] = asked({"services": ["brake_inspection"], "vehicle": "2015 IS 250"})
    assert said["response"] == "utter_ask_guest_name_for_work"
    assert said["work"] == "brake inspection for your 2015 IS 250"
    assert [m["response"] for m in asked({"services": ["brake_inspection"]})] == [
        "utter_ask_guest_name"]


def test_work_added_that_costs_nothing_leaves_the_estimate_unsaid(on_demo_db):
    from actions.booking import join_visit

    priya, _, visit_id = owner_and_visit(on_demo_db, PRIYA)

    def added(service: str) -> dict:
        dispatcher = CollectingDispatcher()
        asyncio.run(join_visit(dispatcher, tracker(
            PRIYA, {"owner_id": priya, "services": [service]}, "add it", "affirm"),
            priya, visit_id))
        [said] = [m for m in dispatcher.messages if m["response"] == "utter_added_to_visit"]
        return said

    assert added("recall_repair")["estimate_now"] == ""
    assert "Estimate now" in added("oil_change")["estimate_now"]


def test_work_added_to_the_visit_an_earlier_part_named_calls_it_that_visit(on_demo_db):
    from actions.booking import join_visit

    priya, code, visit_id = owner_and_visit(on_demo_db, PRIYA)
    # "yes. oh and can they do an alignment while its there": the move said first, then this
    moved = [{"event": "user", "text": "yes.", "metadata": {"part": 1, "parts": 2}},
             {"event": "bot", "text": f"Done: moved and confirmed, your ... (code {code}).",
              "metadata": {"utter_action": "utter_moved"}}]
    text = "oh and can they do an alignment while its there"
    t = Tracker(PRIYA, {"owner_id": priya, "services": ["alignment"]},
                {"text": text, "intent": {"name": "book_service"}, "entities": [],
                 "metadata": {"part": 2, "parts": 2}},
                [*moved, {"event": "user", "text": text, "metadata": {"part": 2, "parts": 2}}],
                False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(join_visit(dispatcher, t, priya, visit_id))
    assert [m["response"] for m in dispatcher.messages] == ["utter_added_to_visit_brief"]


def test_a_loaner_asked_for_a_day_that_has_none_is_told_before_the_times(on_demo_db):
    from actions.booking import loaner_heard
    from bot.dealership import fleet
    from bot.dealership.dates import When
    from bot.dealership.loaners import free_on_day
    from tests.demo import DANA

    wednesday = When(first_day=datetime(2026, 11, 25).date(),
                     last_day=datetime(2026, 11, 25).date())
    with Session(get_engine(on_demo_db), future=True) as session:
        dana = find_owner_by_mobile(session, DANA).id
        now = local_now(session)
        assert free_on_day(session, "2021 RX 350", ["oil_change"], wednesday, now)

    def heard() -> tuple[bool, list[dict]]:
        dispatcher = CollectingDispatcher()
        message = {"text": "need a loaner wed for an oil change", "entities": [
            {"entity": "when", "value": "wed"}], "intent": {"name": "book_service"}}
        t = Tracker(DANA, {"owner_id": dana, "vehicle": "2021 RX 350",
                            "services": ["oil_change"]}, message, [], False, None,
                    {"name": "booking_form"}, "action_listen")
        return asyncio.run(loaner_heard(dispatcher, t)), dispatcher.messages

    held, said = heard()
    assert held and said[0]["response"] == "utter_loaner_noted"
    # every loaner an RX may have out all Wednesday: none for her car that day
    with Session(get_engine(on_demo_db), future=True) as session:
        start = datetime.fromisoformat("2026-11-25T06:00:00-06:00")
        end = datetime.fromisoformat("2026-11-25T21:00:00-06:00")
        while fleet.reserve(session, owner_id=dana, line="RX", start=start, end=end):
            pass
        session.commit()
        assert not free_on_day(session, "2021 RX 350", ["oil_change"], wednesday, now)
    held, said = heard()
    assert not held and said[0]["response"] == "utter_no_loaner_on_day"
    assert said[0]["day"] == "Wed Nov 25"


def test_a_day_closed_says_nothing_of_loaners(on_demo_db):
    from bot.dealership.dates import When
    from bot.dealership.loaners import free_on_day

    for day in ("2026-11-26", "2026-11-29"):  # Thanksgiving, a Sunday
        asked = When(first_day=datetime.fromisoformat(day).date(),
                     last_day=datetime.fromisoformat(day).date())
        with Session(get_engine(on_demo_db), future=True) as session:
            assert free_on_day(session, "2018 LS 500", ["oil_change"], asked, local_now(session))


def test_the_ride_change_offered_asked_for_again_is_made(on_demo_db):
    from actions.rides import ActionChangeRide

    vikram, code, _ = owner_and_visit(on_demo_db, VIKRAM)
    offered = [{"event": "user", "text": "for the lx tmrw can i get a loaner instead"},
               {"event": "bot", "text": "I can switch ... to a loaner: a 2026 LS 500. Want me to?",
                "metadata": {"utter_action": "utter_offer_ride_loaner"}},
               {"event": "user", "text": "my son might drive it, hes 19 thats ok right?"},
               {"event": "bot", "text": "...drivers must be 21 or older...",
                "metadata": {"utter_action": "utter_knowledge"}}]
    slots = {"owner_id": vikram, "ride_change": f"{code}:loaner"}

    def transport() -> str:
        with Session(get_engine(on_demo_db), future=True) as session:
            return session.scalars(select(m.Appointment.transport)
                                   .where(m.Appointment.code == code)).one()

    # asked as a question, it is offered again; nothing changes
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionChangeRide().run(dispatcher, tracker(
        VIKRAM, slots, "so can i get the loaner instead?", "request_loaner", offered), {}))
    assert dispatcher.messages[-1]["response"] == "utter_offer_ride_loaner"
    assert transport() == "shuttle"
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionChangeRide().run(dispatcher, tracker(
        VIKRAM, slots, "ok ill be the one driving it. switch me to the loaner pls", "ownership",
        offered), {}))
    assert dispatcher.messages[-1]["response"] == "utter_ride_changed_loaner"
    assert transport() == "loaner"


def test_the_price_asked_mid_report_is_said_before_the_visits_times(on_demo_db):
    from actions.problems import ActionBookForProblem
    from bot.dealership.problems import ProblemReport, report
    from tests.demo import EMILY

    with Session(get_engine(on_demo_db), future=True) as session:
        emily = find_owner_by_mobile(session, EMILY).id
        case = report(session, ProblemReport(
            "check engine light came on this am, car drives fine tho", emily, EMILY, "sms"))
        session.commit()

    def said(text: str) -> list[str]:
        dispatcher = CollectingDispatcher()
        t = Tracker(EMILY, {"owner_id": emily, "problem_case": case.reference},
                    {"text": text, "intent": {"name": "ownership"}, "entities": []},
                    [{"event": "user", "text": text}], False, None,
                    {"name": "problem_form"}, "action_listen")
        asyncio.run(ActionBookForProblem().run(dispatcher, t, {}))
        return [m["response"] for m in dispatcher.messages]

    assert said("how much to check it") == ["utter_case_filed_brief",
                                            "utter_service_prices_brief"]
    assert said("can u look at it sat") == ["utter_case_filed_brief"]


def test_work_asked_as_more_of_the_visit_just_spoken_of_is_for_its_car(on_demo_db):
    from actions.common import start_booking

    vikram, code, _ = owner_and_visit(on_demo_db, VIKRAM)  # an LX and an ES; the LX booked
    spoken = [{"event": "user", "text": "can u make it earlier like 11"},
              {"event": "bot", "text": f"Move your ... LX 600 tomorrow at 1:30 PM (code {code})?",
               "metadata": {"utter_action": "utter_confirm_move"}}]

    def started(text: str, events: list) -> dict:
        message = {"text": text, "intent": {"name": "book_service", "confidence": 0.9},
                   "entities": [{"entity": "service", "value": "battery_test"}]}
        t = Tracker(VIKRAM, {"owner_id": vikram}, message,
                    [*events, {"event": "user", "text": text}], False, None, {},
                    "action_listen")
        return {e["name"]: e["value"] for e in asyncio.run(start_booking(t))
                if e.get("event") == "slot"}

    text = "hmm nvm keep 1:30. but can they check the battery too, been slow to start"
    assert started(text, spoken).get("vehicle") == "2022 LX 600"
    # nothing spoken of, or no "too": which car is asked
    assert not started(text, []).get("vehicle")
    assert not started("can they check the battery, been slow to start", spoken).get("vehicle")


def test_a_visit_asked_right_after_trouble_told_is_for_the_car_in_trouble(on_demo_db):
    from actions.common import start_booking
    from bot.dealership.problems import ProblemReport, report
    from tests.demo import TARIQ

    with Session(get_engine(on_demo_db), future=True) as session:
        tariq = find_owner_by_mobile(session, TARIQ).id  # a GX 550 and an ES 350
        report(session, ProblemReport("tire just blew on the gx, loud bang", tariq, TARIQ, "sms",
                                      car_named="gx"))
        session.commit()
    told = [{"event": "user", "text": "tire just blew on the gx, loud bang"},
            {"event": "slot", "name": "situation", "value": "flat_tire"}]
    text = "they said they can tow it to u. can u put a new tire on today or tmrw?"

    def car(events: list) -> str | None:
        message = {"text": text, "intent": {"name": "book_service"}, "entities": []}
        t = Tracker(TARIQ, {"owner_id": tariq}, message,
                    [*events, {"event": "user", "text": text}], False, None, {},
                    "action_listen")
        return {e["name"]: e["value"] for e in asyncio.run(start_booking(t))
                if e.get("event") == "slot"}.get("vehicle")

    assert car(told) == "2025 GX 550"
    assert car([]) is None  # nothing told: which car is asked


@pytest.mark.parametrize(("mobile", "said"), [
    ("+15125550131", ["utter_no_loaner_of_line"]),  # a UX: nothing of its class, nor smaller
    ("+17375550133", ["utter_no_loaner_of_line_smaller"]),  # a GX: a smaller RX, if agreed
    ("+15125550142", []),  # an RX: lent an RX
])
def test_a_loaner_asked_for_a_car_whose_class_the_fleet_lacks_is_told_so(on_demo_db, mobile, said):
    from actions.booking import no_loaner_of_its_line

    with Session(get_engine(on_demo_db), future=True) as session:
        owner = find_owner_by_mobile(session, mobile)
        car = next(v for v in owner.vehicles if v.model_line in ("UX", "GX", "RX"))
        slots = {"owner_id": owner.id, "vehicle": car.label, "vehicle_id": car.id,
                 "appointment_time": "2026-11-27T10:00:00-06:00"}
    message = {"text": "and ill need a loaner", "entities": [], "intent": {"name": "inform"}}

    def told(slots: dict) -> tuple[bool, list[str]]:
        t = Tracker(mobile, slots, message, [], False, None, {"name": "booking_form"},
                    "action_listen")
        dispatcher = CollectingDispatcher()
        return asyncio.run(no_loaner_of_its_line(dispatcher, t)), \
            [m["response"] for m in dispatcher.messages]

    assert told(slots) == (bool(said), said)
    # before the times are offered, told short (with the smaller one there is, which the owner
    # may take); the ride is asked once the time is agreed
    before = told({**slots, "appointment_time": None})
    short = {"utter_no_loaner_of_line": ["utter_no_loaner_of_line_told"],
             "utter_no_loaner_of_line_smaller": ["utter_no_loaner_of_line_told_smaller"]}
    assert before == ((True, short[said[0]]) if said else (False, []))
