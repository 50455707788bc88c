"""Concierge's own NLU components, on messages as the intent classifier leaves them."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.booked_told import left_out
from bot.nlu.same_flow import SameFlowIntents
from bot.nlu.unknown_words import UnknownWordsFallback, Vocabulary, training_words

TRAINING = TrainingData(
    training_examples=[Message(data={"text": t, "intent": "x"}) for t in (
        "can i book an oil change tmrw", "my check engine light came on", "thanks so much",
        "what time do you close on saturday", "need a loaner for my rx")],
    entity_synonyms={"lof": "oil_change"},
    lookup_tables=[{"name": "vehicle", "elements": ["gx 550", "nx"]}],
)


def read(text: str, intent: str = "report_issue", confidence: float = 0.98) -> Message:
    message = Message(data={"text": text})
    ranking = [{"name": intent, "confidence": confidence},
               {"name": "inform", "confidence": 1 - confidence}]
    message.set("intent", ranking[0])
    message.set("intent_ranking", ranking)
    return message


@pytest.fixture(scope="module")
def guard() -> UnknownWordsFallback:
    """The guard as trained on the project's own training messages."""
    component = UnknownWordsFallback(None, None)
    component.vocabulary = Vocabulary(training_words(load_data("data/nlu")))
    return component


def test_words_come_from_examples_synonyms_and_lookups():
    assert {"tmrw", "loaner", "lof", "oil", "gx", "nx"} <= \
        training_words(TRAINING)


@pytest.mark.parametrize("text", ["zxqv blorft wibble", "qwpo zzkx vlurm", "jkl;jkl", "hjkhjk"])
def test_keyboard_mashes_are_not_understood(guard, text):
    (message,) = guard.process([read(text)])
    assert message.get("intent") == {"name": "nlu_fallback", "confidence": 1.0}
    assert [r["name"] for r in message.get("intent_ranking")] == [
        "nlu_fallback", "report_issue", "inform"]


@pytest.mark.parametrize("text", [
    "my chek engin lite came on",  # typos of known words look like words
    "Zbigniew", "Nguyen", "Pfeiffer",  # names usually do too
    "thnks!!", "tmrw", "🙏🙏", "12/9 at 9", "",
    "zxqv but my check engine light",  # one known word is enough
])
def test_messages_with_words_keep_their_intent(guard, text):
    (message,) = guard.process([read(text)])
    assert message.get("intent")["name"] == "report_issue"


def test_two_intents_that_start_the_same_form_are_one():
    component = SameFlowIntents([["book_service", "request_loaner"]])
    message = read("oil change on 12/9 at 9am, i need a loaner", "request_loaner", 0.51)
    message.set("intent_ranking", [{"name": "request_loaner", "confidence": 0.51},
                                   {"name": "book_service", "confidence": 0.48},
                                   {"name": "inform", "confidence": 0.01}])
    (merged,) = component.process([message])
    assert merged.get("intent") == {"name": "request_loaner", "confidence": pytest.approx(0.99)}
    assert [r["name"] for r in merged.get("intent_ranking")] == ["request_loaner", "inform"]


def test_a_group_below_the_top_intent_outranks_it_together():
    component = SameFlowIntents([["book_service", "request_loaner"]])
    message = read("pulling to the right, anything friday afternoon? and a loaner pls")
    message.set("intent_ranking", [{"name": "report_issue", "confidence": 0.31},
                                   {"name": "book_service", "confidence": 0.28},
                                   {"name": "request_loaner", "confidence": 0.17},
                                   {"name": "inform", "confidence": 0.1}])
    (merged,) = component.process([message])
    assert merged.get("intent") == {"name": "book_service", "confidence": pytest.approx(0.45)}
    assert [r["name"] for r in merged.get("intent_ranking")] == [
        "book_service", "report_issue", "inform"]


def test_a_group_that_stays_below_changes_only_its_place():
    component = SameFlowIntents([["book_service", "request_loaner"]])
    message = read("my brakes squeak, can i come in", "report_issue", 0.6)
    message.set("intent_ranking", [{"name": "report_issue", "confidence": 0.6},
                                   {"name": "inform", "confidence": 0.2},
                                   {"name": "book_service", "confidence": 0.15},
                                   {"name": "request_loaner", "confidence": 0.1}])
    (merged,) = component.process([message])
    assert merged.get("intent") == {"name": "report_issue", "confidence": 0.6}
    assert [(r["name"], round(r["confidence"], 2)) for r in merged.get("intent_ranking")] == [
        ("report_issue", 0.6), ("book_service", 0.25), ("inform", 0.2)]


def test_other_pairs_stay_ambiguous():
    component = SameFlowIntents([["book_service", "request_loaner"]])
    message = read("can i move my oil change", "book_service", 0.5)
    message.set("intent_ranking", [{"name": "book_service", "confidence": 0.5},
                                   {"name": "reschedule_appointment", "confidence": 0.45}])
    (kept,) = component.process([message])
    assert kept.get("intent") == {"name": "book_service", "confidence": 0.5}


def test_a_merged_confidence_is_never_above_one():
    component = SameFlowIntents([["book_service", "request_loaner"]])
    message = read("book me in and i need a loaner", "book_service", 0.7)
    message.set("intent_ranking", [{"name": "book_service", "confidence": 0.7},
                                   {"name": "request_loaner", "confidence": 0.6}])
    (merged,) = component.process([message])
    assert merged.get("intent") == {"name": "book_service", "confidence": 1.0}


def test_the_day_and_work_of_a_visit_told_of_are_not_the_ones_asked():
    text = "oil change on wed around lunch? i know i have the rotation tmrw but cant stay"

    def entity(kind: str, words: str) -> dict:
        start = text.index(words)
        return {"entity": kind, "start": start, "end": start + len(words), "value": words}

    asked = [entity("service", "oil change"), entity("when", "wed around lunch")]
    told = [entity("service", "rotation"), entity("when", "tmrw")]
    assert left_out(text, asked + told) == asked
    # told of alone, they are what the owner means ("...can u add a rotation")
    alone = "i have an appt tmrw, can u add a rotation"
    kept = [{"entity": "when", "start": 17, "end": 21, "value": "tmrw"}]
    assert left_out(alone, kept) == kept


def test_a_time_or_choice_taken_back_is_not_one_asked_for():
    from bot.nlu.taken_back import kept

    text = "actually make it 2 not 1"
    one = {"entity": "option", "start": text.index("1"), "end": text.index("1") + 1,
           "value": "1"}
    assert kept(text, [one]) == []
    instead = "make it fri instead of thurs"
    fri = {"entity": "when", "start": 8, "end": 11, "value": "fri"}
    thurs = {"entity": "when", "start": 23, "end": 28, "value": "thurs"}
    assert kept(instead, [fri, thurs]) == [fri]
    # "not tmrw" alone still says which day is meant; the form asks which
    alone = "not tmrw"
    tmrw = {"entity": "when", "start": 4, "end": 8, "value": "tmrw"}
    assert kept(alone, [tmrw]) == [tmrw]
    # a day said to be no good goes, even with nothing else read beside it
    bad = "ok make it fri same time, wed is gonna be nuts"
    wed = {"entity": "when", "start": bad.index("wed"), "end": bad.index("wed") + 3,
           "value": "wed"}
    assert kept(bad, [wed]) == []
    good = "wed is good"
    assert kept(good, [{**wed, "start": 0, "end": 3}]) == [{**wed, "start": 0, "end": 3}]
