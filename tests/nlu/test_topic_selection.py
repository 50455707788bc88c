"""The ownership topic is chosen for texts read as ownership questions, as the response selector
chooses it, and for no other text; every other part of a reading stays the same."""

from __future__ import annotations

from rasa.core.channels.channel import UserMessage
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.core.trackers import DialogueStateTracker

from bot.nlu import topic_selection

QUESTIONS = ["what time do you open on saturday", "what's your address",
             "is my car still under warranty"]
OTHERS = ["can i get an oil change for my rx tmrw at 9", "my check engine light came on",
          "i'll wait", "zxqv blorft wibble", "thx!!"]


def readings(agent, texts):
    empty = DialogueStateTracker.from_events("reader", [])
    return [agent.processor._parse_message_with_graph(UserMessage(text), empty) for text in texts]


def test_topics_only_for_ownership_questions(trained_agent, monkeypatch):
    rasas = readings(trained_agent, QUESTIONS + OTHERS)
    # A loaded graph node holds the method it runs: `install()` patches it before any model loads.
    for node in trained_agent.processor.graph_runner._instantiated_nodes.values():
        if node._component_class is ResponseSelector:
            monkeypatch.setattr(node, "_fn", topic_selection.process)
    ours = readings(trained_agent, QUESTIONS + OTHERS)
    asked = 0
    for theirs, mine in zip(rasas, ours, strict=True):
        if theirs["intent"]["name"] == "ownership":
            asked += 1
            assert mine == theirs
            assert mine["response_selector"]["ownership"]["response"]["intent_response_key"]
        else:
            assert "response_selector" not in mine
            assert mine == {k: v for k, v in theirs.items() if k != "response_selector"}
    # Both kinds were read (which text the model reads as which may change with training).
    assert 0 < asked < len(QUESTIONS + OTHERS)
