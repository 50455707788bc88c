"""An opt-out said in words, as the action server runs it on a demo database: only the
unmistakable ones opt out at once; anything else the classifier read as an opt-out is asked
about, and nothing changes until a yes. A timing wish is kept as the number's hours."""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.consent import ASKED, ActionAnswerOptOut, ActionOptOut
from bot.dealership import consent
from bot.dealership.consent_words import TextHours
from bot.dealership.db import get_engine
from bot.dealership.models import Owner

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("America/Chicago"))
DANA = "+15125550142"


@pytest.fixture
def database(demo_db, monkeypatch) -> str:
    monkeypatch.setenv("DATABASE_URL", demo_db)
    monkeypatch.setenv("CONCIERGE_NOW", NOW.isoformat())
    return demo_db


def run(action, text: str, intent: str, confidence: float = 0.99, sender: str = DANA,
        slots: dict | None = None, loop: str | None = None, whole: str | None = None
        ) -> tuple[list[dict], dict]:
    """What `action` said (the dispatcher's messages) and the slots it set."""
    message = {"text": text, "intent": {"name": intent, "confidence": confidence},
               "entities": [], "metadata": {"whole_text": whole} if whole else {}}
    tracker = Tracker(sender, {"dealership_name": "Lakeshore Lexus", **(slots or {})}, message,
                      [], False, None, {"name": loop} if loop else {}, "action_listen")
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, {"events": events,
                                 **{e["name"]: e["value"] for e in events
                                    if e["event"] == "slot"}}


def responses(messages: list[dict]) -> list[str]:
    return [m.get("response") for m in messages]


def opted_out(database_url: str, number: str = DANA) -> bool:
    with Session(get_engine(database_url), future=True) as session:
        return consent.is_opted_out(session, number)


@pytest.mark.parametrize("confidence", [0.99, 0.46])
@pytest.mark.parametrize("text", ["list my reminders", "send me a reminder the day before",
                                  "can you move money"])
def test_a_misread_opt_out_asks_and_changes_nothing(database, text, confidence):
    said, slots = run(ActionOptOut(), text, "opt_out", confidence)
    assert responses(said) == ["utter_ask_opt_out"]
    assert slots[ASKED] is not None
    assert not opted_out(database)
    with Session(get_engine(database), future=True) as session:
        assert session.query(Owner).filter_by(mobile=DANA).one().sms_consent is True


@pytest.mark.parametrize("text", ["stop texting me", "STOP", "please unsubscribe me",
                                  "remove my number from your list", "opt out"])
def test_an_unmistakable_opt_out_is_honoured_at_once(database, text):
    said, slots = run(ActionOptOut(), text, "opt_out", 0.41)
    assert responses(said) == ["utter_opted_out"]
    assert slots[ASKED] is None
    assert opted_out(database)


def ask(text: str = "list my reminders", loop: str | None = None) -> dict:
    return run(ActionOptOut(), text, "opt_out", loop=loop)[1][ASKED]


def test_yes_to_the_question_opts_out(database):
    asked = ask()
    said, slots = run(ActionAnswerOptOut(), "yes", "affirm", slots={ASKED: asked})
    assert responses(said) == ["utter_opted_out"] and slots[ASKED] is None
    assert opted_out(database)


def test_no_to_the_question_changes_nothing_and_goes_back_to_the_booking(database):
    asked = ask("send me a reminder the day before", loop="booking_form")
    said, slots = run(ActionAnswerOptOut(), "no", "deny", slots={ASKED: asked})
    assert responses(said) == ["utter_opt_out_kept"] and slots[ASKED] is None
    assert [e["name"] for e in slots["events"] if e["event"] == "followup"] == ["booking_form"]
    assert not opted_out(database)


def test_stop_in_the_answer_opts_out_whatever_the_rest_reads_as(database):
    asked = ask("who is this?")
    said, slots = run(ActionAnswerOptOut(), "oh ok. not interested, STOP", "deny",
                      slots={ASKED: asked})
    assert responses(said) == ["utter_opted_out"] and slots[ASKED] is None
    assert opted_out(database)


def test_a_yes_after_stop_and_start_in_between_does_not_opt_out_again(database):
    asked = ask()
    with Session(get_engine(database), future=True) as session, session.begin():
        consent.opt_out(session, DANA, NOW, via="STOP")
        consent.opt_in(session, DANA, NOW, via="START")
    said, _ = run(ActionAnswerOptOut(), "yes", "affirm", slots={ASKED: asked})
    assert responses(said) == ["utter_opt_out_kept"]
    assert not opted_out(database)


def test_a_yes_without_a_question_changes_nothing(database):
    said, _ = run(ActionAnswerOptOut(), "yes", "affirm", slots={ASKED: None})
    assert responses(said) == ["utter_opt_out_kept"]
    assert not opted_out(database)


def test_a_timing_wish_is_kept_and_confirmed_not_an_opt_out(database):
    said, slots = run(ActionOptOut(), "no texts after 8pm please", "opt_out", 0.6)
    assert responses(said) == ["utter_text_hours_saved"]
    assert said[0]["text_hours"] == "before 8 PM"
    assert not opted_out(database)
    with Session(get_engine(database), future=True) as session:
        assert consent.text_hours(session, DANA) == TextHours(latest=20)
    # A later wish replaces it.
    run(ActionOptOut(), "only text me on weekdays", "opt_out")
    with Session(get_engine(database), future=True) as session:
        assert consent.text_hours(session, DANA) == TextHours(weekdays_only=True)


@pytest.mark.parametrize(("action", "intent"), [(ActionOptOut(), "opt_out"),
                                                (ActionAnswerOptOut(), "deny")])
def test_a_timing_wish_in_answer_to_the_question_is_kept(database, action, intent):
    asked = ask("can you stop texting me so early in the morning")
    said, slots = run(action, "nothing before 9 please", intent, slots={ASKED: asked})
    assert responses(said) == ["utter_text_hours_saved"] and slots[ASKED] is None
    assert not opted_out(database)
    with Session(get_engine(database), future=True) as session:
        assert consent.text_hours(session, DANA) == TextHours(earliest=9)


def test_a_timing_wish_after_the_no_in_the_same_text_is_kept(database):
    asked = ask("you guys text me a lot lol")
    said, slots = run(ActionAnswerOptOut(), "no dont stop them", "deny", slots={ASKED: asked},
                      whole="no dont stop them, just nothing before 9am pls")
    assert responses(said) == ["utter_text_hours_saved"] and not opted_out(database)
    with Session(get_engine(database), future=True) as session:
        assert consent.text_hours(session, DANA) == TextHours(earliest=9)


def test_a_timing_wish_mid_booking_leaves_the_booking_asking(database):
    said, slots = run(ActionOptOut(), "pls no texts before 9", "opt_out", loop="booking_form",
                      whole="can u do an oil change on the ES friday at 10? and pls no texts "
                            "before 9")
    assert responses(said) == ["utter_text_hours_saved"]
    assert {"event": "followup", "name": "action_listen"} in [
        {k: e.get(k) for k in ("event", "name")} for e in slots["events"]]


def test_without_the_question_a_wish_that_names_no_texts_is_no_wish(database):
    said, _ = run(ActionOptOut(), "nothing before 9 please", "opt_out")
    assert responses(said) == ["utter_ask_opt_out"]


def test_on_the_web_chat_nothing_is_written_and_a_misread_is_not_understood(database):
    web = "web-" + "a" * 32
    said, _ = run(ActionOptOut(), "list my reminders", "opt_out", sender=web)
    assert responses(said) == ["utter_default"]
    said, _ = run(ActionOptOut(), "stop texting me", "opt_out", sender=web)
    assert responses(said) == ["utter_opted_out_web"]
    assert not opted_out(database)


def test_what_texts_are_sent_asked_is_answered_and_hours_said_next_are_kept(database):
    said, _ = run(ActionOptOut(), "what kinda texts will i get? dont want ads", "opt_out")
    assert responses(said) == ["utter_texts_we_send"]
    with Session(get_engine(database), future=True) as session:
        assert not consent.is_opted_out(session, DANA)

    from actions.cannot_help import cannot_help

    message = {"text": "k and nothing before 10am pls", "entities": [],
               "intent": {"name": "nlu_fallback", "confidence": 0.4}}
    events = [{"event": "bot", "text": "...", "metadata": {"utter_action": "utter_texts_we_send"}},
              {"event": "user", "text": message["text"], "parse_data": message}]
    tracker = Tracker(DANA, {}, message, events, False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(cannot_help(dispatcher, tracker))
    assert responses(dispatcher.messages) == ["utter_text_hours_saved"]
    with Session(get_engine(database), future=True) as session:
        assert consent.text_hours(session, DANA) == TextHours(earliest=10)


def test_texts_wanted_are_confirmed_with_the_hours_kept(database):
    said, _ = run(ActionOptOut(), "can i get my appointment reminders by text? i dont think i "
                  "ever signed up", "opt_out", 0.59)
    assert responses(said) == ["utter_texts_on"] and not opted_out(database)
    run(ActionOptOut(), "dont text me before 9am pls", "opt_out")
    said, _ = run(ActionOptOut(), "thx. so ill still get reminders, just later right",
                  "nlu_fallback", 0.5)
    assert responses(said) == ["utter_texts_on_hours"] and said[0]["text_hours"] == "after 9 AM"


def test_what_stop_does_is_explained_and_nothing_changes(database):
    said, _ = run(ActionOptOut(), "what happens if i text stop, do i lose my appts",
                  "nlu_fallback", 0.5)
    assert responses(said) == ["utter_stop_explained"] and not opted_out(database)


def test_a_change_of_the_hours_just_kept_moves_them(database):
    run(ActionOptOut(), "hey can u not text me before 9am? i work nights", "opt_out")
    message = {"text": "actually make it 10, i sleep in lol", "entities": [],
               "intent": {"name": "nlu_fallback", "confidence": 0.5}}
    events = [{"event": "bot", "text": "...",
               "metadata": {"utter_action": "utter_text_hours_saved"}},
              {"event": "user", "text": message["text"], "parse_data": message}]
    tracker = Tracker(DANA, {}, message, events, False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionOptOut().run(dispatcher, tracker, {}))
    assert responses(dispatcher.messages) == ["utter_text_hours_saved"]
    with Session(get_engine(database), future=True) as session:
        assert consent.text_hours(session, DANA) == TextHours(earliest=10)
