"""The ownership topic, chosen only for texts read as ownership questions.

The response selector is a second model run on every text, about a quarter of the time of
reading one; its topic is read only by `action_answer_ownership`, which rules run only for the
intent `ownership`, and no component after the selector turns another intent into that one. So
the NLU server runs it only for those texts: every other text reads the same, without a
`response_selector` part. `rasa test nlu` runs it on every text, so its topic accuracy still
measures the selector on all ownership questions, whatever intent they were read as.
"""

from __future__ import annotations

from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY
from rasa.shared.nlu.training_data.message import Message

_process = ResponseSelector.process


def process(self: ResponseSelector, messages: list[Message]) -> list[Message]:
    """`ResponseSelector.process` for the messages read as its retrieval intent (all of them
    for a selector of every retrieval intent)."""
    if not self.retrieval_intent:
        return _process(self, messages)
    asked = [message for message in messages
             if (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == self.retrieval_intent]
    if asked:
        _process(self, asked)
    return messages


def install() -> None:
    ResponseSelector.process = process  # type: ignore[method-assign]
