"""A day of the week the entity extractor missed is still a day (and "wed" that is "we'd" is
none).

The extractor reads words by their neighbours, so a day it knows well in one place it can miss
in another: "fri works" and "ugh ok fri then" came back with no day at all, and the text was
then read as a yes to something else. A weekday name or its usual short form that no entity
covers is added as a `when`; next to a time found already ("fri" beside "at 9") it joins that
one, so the day and its time stay one answer.
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

# Weekdays as owners write them; not "wed" that is "we'd" ("wed like a loaner"), and "sat" and
# "sun" only where a day stands ("what about sat, how late", not "it sat in the garage" or "the
# sun visor").
_SAT_SUN = (r"(?:(?<=about )|(?<=on )|(?<=this )|(?<=next )|(?<=by )|(?<=til )|(?<=till )|"
            r"(?<=until )|(?<=for )|(?<=or )|(?<=and )|(?<=open )|(?<=, )|(?<=^))(?:sat|sun)"
            r"(?=\s*(?:$|[?,.!]|morning|afternoon|am|pm|at|then|instead|works|ok|is|how|what|or|"
            r"and|\d))")
DAY = re.compile(r"(?<!['\u2019\w])(?:mon|monday|tue|tues|tuesday|weds|wednesday|thu|thur|"
                 r"thurs|thursday|fri|friday|saturday|sunday|wed(?!\s+(?:like|love|need|want|be|"
                 r"have|rather|prefer|appreciate|go|do|get)\b)|" + _SAT_SUN +
                 r")s?(?![\w'])", re.IGNORECASE)
# What may stand between a day and the time beside it: "fri at 9", "fri, 10am", "fri @ 2".
BETWEEN = re.compile(r"^\s*(?:,|@|at|around|by|after|before|like|morning|afternoon)?\s*$",
                     re.IGNORECASE)


# "wed" that is "we'd": the extractor may read it as Wednesday ("wed like a loaner tmrw").
WE_WOULD = re.compile(r"^wed$", re.IGNORECASE)
WOULD_FOLLOWS = re.compile(r"^\s+(?:like|love|need|want|rather|prefer|appreciate)\b",
                           re.IGNORECASE)


def with_days(text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entities, with every day no entity covers added as a `when` (or joined to the
    `when` right beside it), and none for a "we'd" written "wed"."""
    found = [dict(e) for e in entities if not (
        e.get("entity") == "when" and e.get("end") is not None and
        WE_WOULD.match(str(e.get("value") or "")) and WOULD_FOLLOWS.match(text[e["end"]:]))]
    for match in DAY.finditer(text):
        start, end = match.span()
        if any(e.get("start") is not None and e["start"] < end and start < e["end"]
               for e in found):
            continue  # the extractor read these words as something
        beside = next((e for e in found if e.get("entity") == "when" and (
            (e["start"] >= end and BETWEEN.match(text[end:e["start"]])) or
            (e["end"] <= start and BETWEEN.match(text[e["end"]:start])))), None)
        if beside is not None:
            beside["start"], beside["end"] = min(start, beside["start"]), max(end, beside["end"])
            beside["value"] = text[beside["start"]:beside["end"]]
            continue
        found.append({"entity": "when", "start": start, "end": end, "value": match.group(),
                      "extractor": "DaysMissed"})
    return sorted(found, key=lambda e: e.get("start") or 0)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class DaysMissed(GraphComponent):
    """Goes after the entity extractor and the synonym mapper."""

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> DaysMissed:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            entities = message.get("entities") or []
            found = with_days(message.get("text") or "", entities)
            if found != entities:
                message.set("entities", found, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
