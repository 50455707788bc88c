"""Intents that start the same conversation are not ambiguous with each other.

"oil change on 12/9 at 9am, i need a loaner" is a booking and a loaner request at once: an
intent classifier may split its confidence between `book_service` and `request_loaner` (DIET
gave 0.48 and 0.51), and the FallbackClassifier would call two near-equal intents ambiguous.
Both start the booking form, so when the top two intents are in one group, the top one takes
their summed confidence.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SameFlowIntents(GraphComponent):
    """Goes between the intent classifier and the FallbackClassifier."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"groups": []}

    def __init__(self, groups: list[list[str]]) -> None:
        self.group_of = {intent: i for i, group in enumerate(groups) for intent in group}

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> SameFlowIntents:
        return cls(config["groups"])

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            ranking = message.get("intent_ranking") or []
            if len(ranking) < 2:
                continue
            first, second = ranking[0], ranking[1]
            group = self.group_of.get(first.get("name"))
            if group is None or self.group_of.get(second.get("name")) != group:
                continue
            together = first["confidence"] + second["confidence"]
            merged = {**first, "confidence": min(1.0, together)}
            message.set("intent", merged, add_to_output=True)
            message.set("intent_ranking", [merged, *ranking[2:]], add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
