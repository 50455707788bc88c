"""A time or choice the owner takes back in the same words is not one they ask for.

"actually make it 2 not 1": the entity extractor finds the 1 as a choice of the list, and the
form would read the text as a pick of it. A day, time or choice said right after "not",
"instead of" or "rather than" is left out, and so is a day said to be no good ("wed is gonna
be nuts"); what is asked for stays.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.dealership.dates import GIVEN_UP_AFTER

KINDS = ("when", "option")
TAKEN_BACK = re.compile(r"\b(?:not|instead of|rather than)\s+(?:at\s+|on\s+|the\s+)?$", re.I)


def given_up(text: str, entity: dict[str, Any]) -> bool:
    """A day said to be no good right after it: "make it fri same time, wed is gonna be nuts"."""
    end = entity.get("end")
    return entity.get("entity") == "when" and end is not None and \
        bool(GIVEN_UP_AFTER.match(text[end:]))


def kept(text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entities without the days, times and choices taken back, when something else of
    their kind is asked for beside them; a day given up goes whatever else is said (the form
    reads the rest of the text for the day meant)."""
    def taken_back(entity: dict[str, Any]) -> bool:
        start = entity.get("start")
        return entity.get("entity") in KINDS and start is not None and \
            bool(TAKEN_BACK.search(text[:start]))

    entities = [e for e in entities if not given_up(text, e)]
    back = [e for e in entities if taken_back(e)]
    if not back:
        return entities
    asked = [e for e in entities if e.get("entity") in KINDS and e not in back]
    # ("not tmrw" alone still says which day is meant: the form asks what is)
    said_else = bool(asked) or bool(re.search(r"\b(?:make it|make that|how about|say|do)\s+\d",
                                              text, re.I))
    return [e for e in entities if e not in back] if said_else else entities


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class TakenBack(GraphComponent):
    """Goes after the entity extractor and the synonym mapper."""

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> TakenBack:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            entities = message.get("entities") or []
            left = kept(message.get("text") or "", entities)
            if len(left) != len(entities):
                message.set("entities", left, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
