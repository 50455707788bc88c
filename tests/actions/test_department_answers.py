"""Questions for the other departments and asking one to reach out, on a demo database, as the
action server answers them: the department, its hours and phone in one text with an offer; a
ticket for that team only once the owner asks for it."""

from __future__ import annotations

import asyncio
from functools import cache

import pytest
from rasa.shared.core.domain import Domain
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select
from sqlalchemy.orm import Session

from actions.departments import ActionAnswerDepartment, ActionDepartmentReachOut, hours_text
from bot.channels.sms_text import Reply, compose
from bot.dealership.db import get_engine
from bot.dealership.models import HandoffTicket
from bot.wording import DOMAIN, say
from tests.actions.forms import responses
from tests.demo import DANA

MONDAY_10AM = "2026-11-23T10:00:00-06:00"
SMS = 320  # characters: one text message's worth, as replies aim for


pytestmark = pytest.mark.usefixtures("on_demo_db")  # every test here: the demo database


def message(text: str, intent: str, department: str | None = None, confidence: float = 0.99,
            named: str | None = None, parts: int = 1) -> dict:
    selected = {"response": {"intent_response_key": f"department/{department}",
                             "confidence": confidence}} if department else {}
    return {"text": text, "intent": {"name": intent, "confidence": 0.97},
            "entities": [{"entity": "department", "value": named}] if named else [],
            "response_selector": {"department": selected}, "metadata": {"parts": parts}}


def run(action, said: dict, slots: dict | None = None, loop: str | None = None,
        before: list[dict] = ()) -> tuple[list[dict], list[dict]]:
    events = [*before, {"event": "user", "text": said["text"], "parse_data": said,
                        "input_channel": "sms"}]
    t = Tracker(DANA, {"owner_id": 1, "service_phone": "(512) 555-0101", **(slots or {})},
                said, events, False, None, {"name": loop} if loop else {}, "action_listen")
    dispatcher = CollectingDispatcher()
    done = asyncio.run(action.run(dispatcher, t, {}))
    return dispatcher.messages, done


def slots_set(events: list[dict]) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def tickets(database_url: str) -> list[HandoffTicket]:
    with Session(get_engine(database_url), future=True) as session:
        return list(session.execute(select(HandoffTicket)).scalars())


@cache
def buttons() -> dict[str, list]:
    domain = Domain.load(str(DOMAIN))
    return {name: v[0].get("buttons") or [] for name, v in domain.responses.items() if v}


def texted(messages: list[dict]) -> Reply:
    """The reply as the owner's phone gets it: each response's words filled in, its buttons as
    numbered choices."""
    return compose([{"text": say(m["response"], **{k: v for k, v in m.items()
                                                    if k not in ("response", "buttons")}),
                     "buttons": buttons()[m["response"]]} for m in messages])


def one_text(messages: list[dict]) -> str:
    (body,) = texted(messages).bodies
    return body


def test_a_question_gets_the_department_its_hours_and_phone_then_an_offer(on_demo_db):
    said, events = run(ActionAnswerDepartment(),
                       message("how much is a new NX 350h, any deals", "department", "sales"))
    assert responses(said) == ["utter_department_answer", "utter_offer_department_reach_out"]
    answer = said[0]
    assert (answer["name"], answer["phone"]) == ("Sales", "(512) 555-0100")
    assert answer["hours"] == say("utter_department_open_until", closes="8 PM")
    assert "trade-ins" in answer["handles"]
    assert slots_set(events)["offered_department"] == "sales"
    assert slots_set(events)["offered_service"] is None  # a yes is for this offer now
    assert tickets(on_demo_db) == []  # a question alone writes nothing


def test_a_buyout_is_the_finance_teams_whatever_team_it_was_read_as(on_demo_db):
    said, _ = run(ActionAnswerDepartment(),
                  message("who do i talk to about buying it out", "department", "sales"))
    assert said[0]["name"] == "Finance & Leasing" and said[0]["phone"] == "(512) 555-0112"


def test_a_lease_ending_gets_its_choices_and_inspection_then_the_team_in_one_text(on_demo_db):
    said, events = run(ActionAnswerDepartment(), message(
        "lease on my rx is up in a few weeks, what do i need to do", "department", "finance"))
    assert responses(said) == ["utter_knowledge", "utter_department_brief"]
    body = one_text(said)
    assert "inspection" in body and "(512) 555-0112" in body and len(body) <= SMS
    assert slots_set(events)["offered_department"] is None  # nothing asked: no yes to read
    # an owner whose lease is on file hears when it ends first, and it still fits a text
    from bot.dealership.owners import find_owner_by_mobile
    from tests.demo import GRACE

    with Session(get_engine(on_demo_db), future=True) as session:
        grace = find_owner_by_mobile(session, GRACE).id
    said, _ = run(ActionAnswerDepartment(), message(
        "my lease is up soon right? can i extend it or get a lower payment", "department",
        "finance"), {"owner_id": grace})
    assert responses(said) == ["utter_lease_ends", "utter_knowledge", "utter_department_brief"]
    body = one_text(said)
    assert "Jan 12, 2027" in body and "(512) 555-0112" in body and len(body) <= SMS
    assert "inspection" in body  # what the owner can book with us, kept first when cut short


@pytest.mark.parametrize(("now", "department", "response", "words"), [
    ("2026-11-23T06:00:00-06:00", "parts", "utter_department_opens_today",
     {"opens": "7 AM", "closes": "6 PM"}),
    ("2026-11-23T21:00:00-06:00", "finance", "utter_department_opens_tomorrow",
     {"opens": "9 AM", "closes": "7 PM"}),
    ("2026-11-28T18:00:00-06:00", "collision", "utter_department_opens_on",
     {"day": "Mon", "opens": "7:30 AM", "closes": "5:30 PM"}),
    # The night before Thanksgiving: the next day open is Friday.
    ("2026-11-25T20:00:00-06:00", "sales", "utter_department_opens_on",
     {"day": "Fri", "opens": "9 AM", "closes": "8 PM"}),
])
def test_the_hours_are_said_as_from_now(monkeypatch, now, department, response, words):
    monkeypatch.setenv("CONCIERGE_NOW", now)
    said, _ = run(ActionAnswerDepartment(), message("?", "department", department))
    assert said[0]["hours"] == say(response, **words)


@pytest.mark.parametrize("now", [MONDAY_10AM, "2026-11-23T06:00:00-06:00",
                                 "2026-11-23T21:00:00-06:00", "2026-11-28T18:00:00-06:00"])
@pytest.mark.parametrize("department", ["sales", "finance", "collision", "parts"])
def test_the_answer_and_its_offer_fit_one_text(monkeypatch, now, department):
    monkeypatch.setenv("CONCIERGE_NOW", now)
    said, _ = run(ActionAnswerDepartment(), message("question", "department", department))
    body = one_text(said)
    assert len(body) <= SMS, body
    assert "(512) 555-01" in body
    assert texted(said).choices == ["/affirm", "/deny"]


def test_no_offer_mid_booking_and_a_brief_answer_among_several(on_demo_db):
    said, events = run(ActionAnswerDepartment(),
                       message("do you sell floor mats", "department", "parts"),
                       loop="booking_form")
    assert responses(said) == ["utter_department_answer"]
    said, events = run(ActionAnswerDepartment(),
                       message("do you sell floor mats", "department", "parts", parts=2))
    assert responses(said) == ["utter_department_brief"]
    assert slots_set(events)["offered_department"] is None  # nothing offered, nothing to accept


def test_a_department_the_dealership_lacks_goes_to_an_advisor(on_demo_db):
    said, events = run(ActionAnswerDepartment(), message("?", "department", "detailing"))
    assert responses(said) == ["utter_ask_an_advisor"]
    assert slots_set(events)["offered_department"] is None


def test_yes_to_the_offer_queues_a_ticket_for_that_team(on_demo_db):
    question = message("buyout price on my lease", "department", "finance")
    yes = message("yes", "affirm")
    said, events = run(ActionDepartmentReachOut(), yes, {"offered_department": "finance"},
                       before=[{"event": "user", "text": question["text"],
                                "parse_data": question}])
    (ticket,) = tickets(on_demo_db)
    assert (ticket.department, ticket.reason) == ("finance", "buyout price on my lease")
    assert responses(said) == ["utter_department_reaching_out"]
    assert said[0]["name"] == "Finance & Leasing" and said[0]["ticket"] == ticket.id
    assert said[0]["here"] == say("utter_reply_by_text")
    assert slots_set(events)["offered_department"] is None
    assert len(one_text(said)) <= SMS


def test_a_yes_with_nothing_offered_writes_nothing(on_demo_db):
    said, _ = run(ActionDepartmentReachOut(), message("yes", "affirm"))
    assert responses(said) == ["utter_ok"] and tickets(on_demo_db) == []


def test_asking_for_a_team_by_name_queues_its_ticket(on_demo_db):
    said, _ = run(ActionDepartmentReachOut(),
                  message("have someone from sales text me", "contact_department", "sales",
                          named="sales"))
    (ticket,) = tickets(on_demo_db)
    assert ticket.department == "sales" and ticket.reason == "have someone from sales text me"
    assert responses(said) == ["utter_department_reaching_out"]


def test_a_team_closed_now_reaches_out_when_it_opens(on_demo_db, monkeypatch):
    monkeypatch.setenv("CONCIERGE_NOW", "2026-11-28T18:00:00-06:00")  # Saturday evening
    said, _ = run(ActionDepartmentReachOut(),
                  message("can the body shop call me", "contact_department", "collision",
                          named="collision"))
    assert responses(said) == ["utter_department_reaching_out_later"]
    assert said[0]["opens"] == "Mon Nov 30 at 7:30 AM"
    assert len(one_text(said)) <= SMS


def test_them_means_the_team_just_answered_about(on_demo_db):
    # The text names no team; the selector's guess is unsure: the offered one is meant.
    run(ActionDepartmentReachOut(),
        message("ok have them text me", "contact_department", "parts", confidence=0.6),
        {"offered_department": "collision"})
    (ticket,) = tickets(on_demo_db)
    assert ticket.department == "collision"


def test_a_team_read_surely_wins_over_the_one_just_answered_about(on_demo_db):
    run(ActionDepartmentReachOut(),
        message("can finance call me", "contact_department", "finance", confidence=0.98),
        {"offered_department": "sales"})
    (ticket,) = tickets(on_demo_db)
    assert ticket.department == "finance"


def test_a_team_named_by_nobody_goes_to_a_person_on_the_service_team(on_demo_db):
    said, _ = run(ActionDepartmentReachOut(),
                  message("have them call me", "contact_department", "sales", confidence=0.6))
    (ticket,) = tickets(on_demo_db)
    assert ticket.department is None
    assert responses(said) == ["utter_handed_off"]


def test_hours_with_none_known():
    assert hours_text(None, None) == say("utter_department_hours_unknown")


@pytest.mark.parametrize(("text", "intent", "team"), [
    ("what would yall give me in trade for my ES", "department", "sales"),
    ("how much is a new NX 350h, any deals", "department", "sales"),
    ("can i extend my lease or get a lower payment", "department", "finance"),
    ("buyout price on my lease", "department", "finance"),
    ("how much to fix a dent, someone backed into me", "department", "collision"),
    ("do you sell floor mats", "department", "parts"),
    ("need a key fob", "department", "parts"),
    ("have someone from sales text me", "contact_department", "sales"),
])
def test_the_owners_words_for_another_department_read_as_such(trained_agent, text, intent,
                                                                 team):
    parsed = asyncio.run(trained_agent.parse_message(text))
    selected = parsed["response_selector"]["department"]["response"]["intent_response_key"]
    assert (parsed["intent"]["name"], selected) == (intent, f"department/{team}")


@pytest.mark.parametrize("text", ["when does my lease end", "key fob not working",
                                  "can i talk to a person"])
def test_a_lease_end_a_broken_fob_and_a_person_stay_what_they_were(trained_agent, text):
    parsed = asyncio.run(trained_agent.parse_message(text))
    assert parsed["intent"]["name"] not in ("department", "contact_department")


def ownership_message(text: str, topic: str, intent: str = "ownership") -> dict:
    return {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": [],
            "response_selector": {"ownership": {"response": {
                "intent_response_key": f"ownership/{topic}", "confidence": 0.99}}},
            "metadata": {"parts": 1}}


def team_answered(name: str = "utter_department_answer") -> list[dict]:
    return [{"event": "user", "text": "what would yall give me for my gx in trade"},
            {"event": "bot", "text": "...", "metadata": {"utter_action": name}}]


def test_they_after_a_team_talked_about_are_that_team(on_demo_db):
    from actions.ownership import ActionAnswerOwnership

    said, events = run(ActionAnswerOwnership(),
                       ownership_message("are they open saturday", "hours"),
                       {"department_talked_about": "sales", "offered_department": "sales"},
                       before=team_answered())
    assert responses(said) == ["utter_department_brief"]
    assert said[0]["name"] == "Sales"
    assert said[0]["hours"] == say("utter_department_open_on", day="Sat Nov 28", opens="9 AM",
                                   closes="7 PM")
    assert "offered_department" not in slots_set(events)  # its offer stands: a yes still asks


def test_you_are_the_service_department_whatever_was_talked_about(on_demo_db):
    from actions.ownership import ActionAnswerOwnership

    said, _ = run(ActionAnswerOwnership(),
                  ownership_message("are you open saturday", "hours"),
                  {"department_talked_about": "sales"}, before=team_answered())
    # the service department's own hours that day, not the sales team's
    assert responses(said) == ["utter_service_open_on"]
    assert (said[0]["opens"], said[0]["closes"]) == ("8 AM", "5 PM")


def test_the_number_asked_right_after_a_team_is_that_teams(on_demo_db):
    from actions.cannot_help import ActionCannotHelp

    asked = ownership_message("ok whats the number to call", "location", intent="out_of_scope")
    said, _ = run(ActionCannotHelp(), asked, {"department_talked_about": "finance"},
                  before=team_answered())
    assert responses(said) == ["utter_department_brief"]
    assert said[0]["phone"] == "(512) 555-0112"
    # long after, or with no team talked about, it is not understood as before
    said, _ = run(ActionCannotHelp(), asked, {"department_talked_about": "finance"},
                  before=team_answered("utter_knowledge"))
    assert responses(said) == ["utter_out_of_scope"]


def test_their_number_asked_as_a_place_is_still_the_teams(on_demo_db):
    from actions.ownership import ActionAnswerOwnership

    said, _ = run(ActionAnswerOwnership(), ownership_message("whats their number", "location"),
                  {"department_talked_about": "collision"}, before=team_answered())
    assert responses(said) == ["utter_department_brief"]
    assert said[0]["phone"] == "(512) 555-0113"


def test_the_number_asked_after_trouble_sent_to_a_team_is_that_teams(on_demo_db):
    from actions.cannot_help import ActionCannotHelp

    trouble = [{"event": "user", "text": "someone backed into my es yesterday, nobody hurt"},
               {"event": "bot", "text": "...",
                "metadata": {"utter_action": "utter_situation_accident_after"}}]
    asked = ownership_message("whats the number", "location", intent="nlu_fallback")
    for slots in ({"situation": "accident_after"},
                  {"situation": "accident_after", "department_talked_about": "collision"}):
        said, _ = run(ActionCannotHelp(), asked, slots, before=trouble)
        assert responses(said) == ["utter_department_brief"]
        assert said[0]["phone"] == "(512) 555-0113"


def test_a_lease_that_asks_what_finance_settles_gets_their_line_in_one_text(on_demo_db):
    from actions.ownership import ActionAnswerOwnership
    from tests.demo import GRACE

    said, events = run(ActionAnswerOwnership(), ownership_message(
        "when does my lease end and is there any way to extend it", "lease_end"),
        {"owner_id": owner_of(on_demo_db, GRACE)})
    assert responses(said)[0] == "utter_lease_ends"
    assert responses(said)[-1] == "utter_department_brief" and said[-1]["name"].startswith(
        "Finance")
    assert len(one_text(said)) <= SMS
    assert slots_set(events)["department_talked_about"] == "finance"


def owner_of(database_url: str, mobile: str) -> int:
    from bot.dealership.owners import find_owner_by_mobile

    with Session(get_engine(database_url), future=True) as session:
        return find_owner_by_mobile(session, mobile).id


def test_an_ok_to_a_yes_nothing_waited_for_is_left_out_when_the_text_asks_more():
    import asyncio

    from rasa_sdk import Tracker
    from rasa_sdk.executor import CollectingDispatcher

    from actions.greeting import ActionOk

    def said(part: int, parts: int) -> list:
        message = {"text": "cool.", "intent": {"name": "affirm"},
                   "metadata": {"part": part, "parts": parts}}
        t = Tracker("+15125550142", {}, message, [], False, None, {}, "action_listen")
        dispatcher = CollectingDispatcher()
        asyncio.run(ActionOk().run(dispatcher, t, {}))
        return responses(dispatcher.messages)

    assert said(1, 2) == []  # "cool. also who do i talk to about a trade-in"
    assert said(2, 2) == ["utter_ok"] and said(1, 1) == ["utter_ok"]


def test_a_person_asked_for_about_a_lease_extension_is_the_finance_team(on_demo_db):
    from actions.handoff import ActionHandOff

    text = "can I extend it? Not sure who to talk to about that"
    said = message(text, "request_human", parts=2)
    said["metadata"]["whole_text"] = "my lease on the RX is up soon? when does it end and " + text
    answered, _ = run(ActionHandOff(), said)
    assert "utter_department_brief" in responses(answered) or \
        "utter_department_answer" in responses(answered)
    assert "(512) 555-0112" in one_text(answered) and not tickets(on_demo_db)
    # then "have someone reach out": someone of that team
    before = [{"event": "user", "text": said["text"], "parse_data": said},
              *[{"event": "bot", "text": "", "metadata": {"utter_action": m["response"]}}
                for m in answered]]
    run(ActionHandOff(), message("yes please have someone reach out, afternoons are best",
                                 "request_human"),
        {"department_talked_about": "finance"}, before=before)
    (ticket,) = tickets(on_demo_db)
    assert ticket.department == "finance"
    # a person asked for about anything else is still a person on the service team
    answered, _ = run(ActionHandOff(), message("can i talk to someone", "request_human"))
    assert responses(answered) == ["utter_handed_off"]
    assert [t.department for t in tickets(on_demo_db)] == ["finance", None]


@pytest.mark.parametrize(("action", "intent"), [
    ("ActionDepartmentReachOut", "contact_department"), ("ActionHandOff", "request_human")])
def test_contact_turned_down_queues_nothing(on_demo_db, action, intent):
    from actions import departments, handoff

    found = getattr(departments, action, None) or getattr(handoff, action)
    said, _ = run(found(), message("No need to have them reach out, I will call them. Thank you.",
                                   intent, "sales"), {"offered_department": "sales"})
    assert responses(said) == ["utter_ok"] and not tickets(on_demo_db)


def test_one_of_several_requests_is_answered_from_its_own_words(on_demo_db):
    from actions.ownership import ActionAnswerOwnership

    said_ = ownership_message("what time do you close saturday", "hours")
    said_["metadata"] = {"parts": 2, "part": 2, "whole_text": "book an oil change friday for "
                         "my IS and what time do you close saturday"}
    said, _ = run(ActionAnswerOwnership(), said_)
    assert responses(said) == ["utter_service_open_on"] and said[0]["closes"] == "5 PM"


def test_what_another_clause_says_of_the_question_still_counts(on_demo_db):
    from actions.ownership import ActionAnswerOwnership

    said_ = ownership_message("can he drive the loaner?", "loaner_policy")
    said_["metadata"] = {"parts": 2, "part": 2, "whole_text": "wait my son usually drives it, "
                         "hes 19. can he drive the loaner?"}
    said, _ = run(ActionAnswerOwnership(), said_)
    assert "21" in said[0]["answer"]


def test_a_team_asked_about_is_named_unless_trouble_told_beside_it_names_it(on_demo_db):
    # "do u guys fix dents" tells of no dent: its team is named here
    asked = message("do u guys fix dents", "department", "collision", parts=2)
    asked["metadata"]["whole_text"] = "need a spare key fob, who do i call? also do u guys " \
        "fix dents"
    said, _ = run(ActionAnswerDepartment(), asked)
    assert responses(said) == ["utter_department_brief"]
    # the ding told in the rest of the text: its first reply names the collision center
    told = message("how much to fix a dent like that", "department", "collision", parts=2)
    told["metadata"]["whole_text"] = "someone dinged my door at costco. how much to fix a " \
        "dent like that"
    said, _ = run(ActionAnswerDepartment(), told)
    assert responses(said) == []
