"""Intents that start the same conversation are not ambiguous with each other.

"oil change on 12/9 at 9am, i need a loaner" is a booking and a loaner request at once: an
intent classifier may split its confidence between `book_service` and `request_loaner` (DIET
gave 0.48 and 0.51), and the FallbackClassifier would call two near-equal intents ambiguous.
Both start the booking form, so the intents of one group count as one: the likeliest of them
takes their summed confidence. A long text that tells a problem, asks for a day and wants a
loaner ("...pulling to the right... anything Friday afternoon? ...a loaner if possible") may
rank report_issue 0.31, book_service 0.28 and request_loaner 0.17: it is a booking, at 0.45.
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
            merged = self.merged(ranking)
            if merged != ranking:
                message.set("intent", merged[0], add_to_output=True)
                message.set("intent_ranking", merged, add_to_output=True)
        return messages

    def merged(self, ranking: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The ranking with each group's intents as one: the likeliest of them, with their
        summed confidence, in its place by that sum."""
        totals: dict[int, float] = {}
        for intent in ranking:
            if (group := self.group_of.get(str(intent.get("name")))) is not None:
                totals[group] = totals.get(group, 0.0) + intent["confidence"]
        out, seen = [], set()
        for intent in ranking:
            group = self.group_of.get(str(intent.get("name")))
            if group is None:
                out.append(intent)
            elif group not in seen:
                seen.add(group)
                out.append({**intent, "confidence": min(1.0, totals[group])})
        return sorted(out, key=lambda intent: -intent["confidence"])

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
