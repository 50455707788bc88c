"""Words about a visit the owner has already are not the visit they ask for.

"can i get an oil change on wed around lunch time? i know i have the rotation tmrw but cant
stay long enough for both": the entity extractor finds two days and two services, and the
booking would take the last of each (tomorrow, and the rotation booked already). Where a text
tells of a visit it has ("i have the rotation tmrw", "my appt is fri") beside another day or
service asked for, the told-of words' days and services are left out. Told of alone ("i have
an appt tmrw, can u add a rotation"), they are what the owner means, and stay.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.dealership.joining import told_of_spans

# The entities a request takes its day and work from.
KINDS = ("when", "service")


def left_out(text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entities without the days and services of a visit told of, where others of their
    kind are asked for outside it."""
    spans = told_of_spans(text)
    if not spans:
        return entities

    def told(entity: dict[str, Any]) -> bool:
        start, end = entity.get("start"), entity.get("end")
        return start is not None and end is not None and \
            any(a <= start and end <= b for a, b in spans)

    asked = {e.get("entity") for e in entities if e.get("entity") in KINDS and not told(e)}
    return [e for e in entities if not (e.get("entity") in asked and told(e))]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class BookedToldOf(GraphComponent):
    """Goes after the entity extractor and the synonym mapper."""

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> BookedToldOf:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            entities = message.get("entities") or []
            kept = left_out(message.get("text") or "", entities)
            if len(kept) != len(entities):
                message.set("entities", kept, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
