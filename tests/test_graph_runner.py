"""`bot.graph_runner` runs the trained model's graphs to the same results as Rasa's dask runner:
the same reading of texts and the same next actions."""

from __future__ import annotations

import pytest
from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage
from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_patches import graph_runner

RASA_RUN = DaskGraphRunner.run
TEXTS = ["hi", "can i get an oil change for my rx tmrw at 9, i'll need a loaner 🙏",
         "what time do you open on saturday", "zxqv blorft wibble", "Tsz Wai Ng",
         "my check engine light came on", "no", "x" * 2000]


@pytest.fixture
def agent(trained_agent) -> Agent:
    return trained_agent


def conversations(agent: Agent) -> list[DialogueStateTracker]:
    start = [ActionExecuted("action_session_start"), SessionStarted(),
             ActionExecuted("action_listen")]
    said = [UserUttered("hi", {"name": "greet", "confidence": 0.99}),
            UserUttered("oil change tmrw", {"name": "book_service", "confidence": 0.97},
                        entities=[{"entity": "service", "value": "oil_change"}]),
            UserUttered("what are your hours", {"name": "ownership", "confidence": 0.9}),
            UserUttered("blah", {"name": "nlu_fallback", "confidence": 0.3})]
    trackers = [DialogueStateTracker.from_events("+15125550142", start + [text],
                                                 slots=agent.domain.slots) for text in said]
    trackers.append(DialogueStateTracker.from_events(
        "+15125550143", start + [said[1], ActionExecuted("action_start_booking"),
                                 SlotSet("services", ["oil_change"])],
        slots=agent.domain.slots))
    return trackers


def results(agent: Agent) -> tuple[list, list]:
    empty = DialogueStateTracker.from_events("reader", [])
    readings = [agent.processor._parse_message_with_graph(UserMessage(text), empty)
                for text in TEXTS]
    choices = []
    for tracker in conversations(agent):
        prediction = agent.processor._predict_next_with_tracker(tracker)
        choices.append((prediction.max_confidence_index, prediction.policy_name,
                        prediction.probabilities,
                        [{k: v for k, v in e.as_dict().items() if k != "timestamp"}
                         for e in prediction.events]))
    return readings, choices


def test_the_same_readings_and_next_actions_as_dask(agent, monkeypatch):
    rasas = results(agent)
    monkeypatch.setattr(DaskGraphRunner, "run", graph_runner.run)
    ours = results(agent)
    assert ours == rasas
    assert all(reading["intent"]["name"] for reading in ours[0])
    assert ours[1][1][1] == "BoundedRulePolicy"


@pytest.mark.parametrize("run", [RASA_RUN, graph_runner.run])
def test_an_input_named_like_a_node_is_refused(agent, run):
    runner = agent.processor.graph_runner
    with pytest.raises(GraphRunError, match="clashes with a node name"):
        run(runner, {"__message__": "run_WhitespaceTokenizer0"},
            targets=["run_RegexFeaturizer1"])
