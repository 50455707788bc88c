"""The linear topic selector: stored and read back, and its topic read as the action reads it."""

from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa_sdk import Tracker

from actions.ownership import asked_topic
from bot.nlu.linear_topics import LinearTopicSelector

QUESTIONS = {
    "ownership/hours": ["what time do you open", "are you open sunday", "hours on saturday?",
                        "when do u close today", "what are your service hours"],
    "ownership/location": ["where are you located", "whats your address", "how do i get there",
                           "where do i drop off my car", "directions pls"],
}
DATA = TrainingData(training_examples=[
    Message(data={"text": text, "intent": "ownership", "intent_response_key": key})
    for key, texts in QUESTIONS.items() for text in texts] + [
    Message(data={"text": text, "intent": "book_service"})
    for text in ("book an oil change", "can i come in tmrw", "schedule service")])


def selector(tmp_path) -> LinearTopicSelector:
    storage, resource = LocalModelStorage(tmp_path), Resource("linear_topics")
    context = ExecutionContext(GraphSchema({}), "test")
    config = {"retrieval_intent": "ownership"}
    LinearTopicSelector.create(config, storage, resource, context).train(DATA)
    return LinearTopicSelector.load(config, storage, resource, context)


def parse(component: LinearTopicSelector, text: str) -> dict:
    (message,) = component.process([Message(data={"text": text})])
    return message.as_dict_nlu()


def test_the_topic_is_where_the_action_reads_it(tmp_path):
    parsed = parse(selector(tmp_path), "r u open on sunday?")
    tracker = Tracker("+15125550100", {}, parsed, [], False, None, {}, "action_listen")
    assert asked_topic(tracker) == "hours"
    assert parse(selector(tmp_path), "what's the address")["response_selector"]["ownership"][
        "response"]["intent_response_key"] == "ownership/location"


def test_the_parse_has_the_keys_rasa_test_reads(tmp_path):
    parts = parse(selector(tmp_path), "where r u")["response_selector"]
    assert "ownership" in parts["all_retrieval_intents"]
    response = parts["ownership"]["response"]
    assert response["utter_action"] == "utter_ownership/location"
    ranked = parts["ownership"]["ranking"]
    assert [r["intent_response_key"] for r in ranked] == [
        "ownership/location", "ownership/hours"]
    assert ranked[0]["confidence"] == response["confidence"] > 0.5
    assert sum(r["confidence"] for r in ranked) == pytest.approx(1.0)


def test_only_the_retrieval_intents_examples_are_topics(tmp_path):
    ranked = parse(selector(tmp_path), "book an oil change")["response_selector"]["ownership"][
        "ranking"]
    assert {r["intent_response_key"] for r in ranked} == set(QUESTIONS)


def test_a_selector_needs_its_retrieval_intent(tmp_path):
    with pytest.raises(ValueError, match="retrieval_intent"):
        LinearTopicSelector({}, LocalModelStorage(tmp_path), Resource("x"))


def test_two_selectors_each_add_their_retrieval_intent(tmp_path):
    teams = TrainingData(training_examples=[
        Message(data={"text": text, "intent": "department", "intent_response_key": key})
        for key, texts in {
            "department/sales": ["what would you give me in trade", "any deals on a new nx",
                                 "can i test drive one", "whats my car worth", "new car prices"],
            "department/parts": ["do you sell floor mats", "need a spare key", "roof rack?",
                                 "wiper blades in stock?", "order a cargo liner"],
        }.items() for text in texts])
    context = ExecutionContext(GraphSchema({}), "test")
    second_storage = LocalModelStorage(tmp_path)
    config = {"retrieval_intent": "department"}
    LinearTopicSelector.create(config, second_storage, Resource("teams"), context).train(teams)
    second = LinearTopicSelector.load(config, second_storage, Resource("teams"), context)
    (message,) = second.process(selector(tmp_path).process([Message(data={"text": "mats?"})]))
    parts = message.as_dict_nlu()["response_selector"]
    assert parts["all_retrieval_intents"] == ["ownership", "department"]
    assert parts["department"]["response"]["intent_response_key"] == "department/parts"
    assert "ownership" in parts
