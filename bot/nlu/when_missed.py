"""A day of the week the entity extractor missed is still a day (and "wed" that is "we'd" is
none), and a time said apart from the day is that day's time.

The extractor reads words by their neighbours, so a day it knows well in one place it can miss
in another: "fri works" and "ugh ok fri then" came back with no day at all, and the text was
then read as a yes to something else. A weekday name or its usual short form that no entity
covers is added as a `when`; next to a time found already ("fri" beside "at 9") it joins that
one, so the day and its time stay one answer.

The same holds for a time in another clause than its day: "the gx recall wed, dropping it at
8" came back as "wed" alone, and the earliest times of Wednesday were offered. A clock time
no entity covers ("at 8", "around 9", "9am", "8ish") joins the one day said that has no time
of its own, unless it is the time of something else ("i get off at 5", "my meeting at 9").
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.dealership.dates import parse_when

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
                      "extractor": "WhenMissed"})
    return sorted(found, key=lambda e: e.get("start") or 0)


# A clock time: with a word that makes it one ("at 8", "around 9:30", "by 10") or a mark of the
# hour ("9am", "8ish", "2 pm", "noon"); not miles, minutes, money or a road ("on 183").
CLOCK = re.compile(
    r"(?<![\w$:.#/-])(?:(?:at|around|about|by|before|after|@|~)\s*(?:like\s+|around\s+|about\s+)?"
    r"(?:1[0-2]|0?[1-9])(?::[0-5]\d)?(?:\s*(?:am|pm|a\.m\.|p\.m\.|ish|o'?clock))?|"
    r"(?:1[0-2]|0?[1-9])(?::[0-5]\d)?\s*(?:am|pm|a\.m\.|p\.m\.|ish|o'?clock)|"
    r"(?:at|around|about|by|before|after)\s+noon|noon)"
    r"(?![\w:%$]|\s*(?:mi|miles|k|mph|min|mins|minutes|hrs?|hours|days|weeks|months|years|"
    r"yrs|dollars|bucks|cars?|kids|people|%)\b)", re.IGNORECASE)
# The time of something else than the visit: work, another appointment, opening hours.
OTHER_TIME = re.compile(
    r"\b(?:(?:i'?m|im|i am|i get|get(?:ting)?|i'?ll be|ill be|be) off|off work|work(?:s|ing)?|"
    r"shift|leave|finish|meeting|dentist|doctor|dr|appt|appointment|class|school|flight|game|practice|open|opens|close|closes|"
    r"lunch with|pick(?:ing)? up the kids)\b[^.,;!?]{0,20}$",
    re.IGNORECASE)
# A day already holding a time of its own: a clock time or a bound said with it.
HAS_TIME = re.compile(r"\d|\b(?:noon|midnight|after|before|by|asap|early|late|first thing|"
                      r"end of)\b", re.IGNORECASE)


# A time said as the one wanted instead, with no day: "actually make it 10", "can we do 2
# instead", "switch it to 3:30".
INSTEAD = re.compile(r"\b(?:make it|change it to|switch it to|move it to|push it to|bump it to|"
                     r"(?:can|could) (?:we|you|u) do|let'?s do|how about|what about)\s+(?:at\s+)?"
                     r"((?:1[0-2]|0?[1-9])(?::[0-5]\d)?(?:\s*(?:am|pm|ish))?)"
                     r"(?![\w:%$]|\s*(?:mi|miles|k|min|mins|minutes|hrs?|hours|days|weeks|cars?|"
                     r"people|kids|%)\b)",
                     re.IGNORECASE)


def with_time_instead(text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entities, with the time said instead ("actually make it 10 and yes book it") as a
    `when`, where no `when` was read and nothing else covers it."""
    if any(e.get("entity") == "when" for e in entities) or not (found := INSTEAD.search(text)):
        return entities
    start, end = found.span(1)
    if any(e.get("start") is not None and e["start"] < end and start < e["end"]
           for e in entities) or parse_when(found.group(), datetime.now(timezone.utc)) is None:
        return entities  # read as something (an option picked: "how about 3"), or unreadable
    # (with its cue, which the date reader reads a bare hour by: "make it 2" is 2 PM)
    return sorted([*entities, {"entity": "when", "start": found.start(), "end": end,
                               "value": found.group(), "extractor": "WhenMissed"}],
                  key=lambda e: e.get("start") or 0)


def with_time(text: str, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entities, with a clock time no entity covers joined to the one `when` said, where
    that one has no time of its own ("wed" and "at 8" read as "wed at 8")."""
    whens = [e for e in entities if e.get("entity") == "when"]
    if len(whens) != 1 or whens[0].get("start") is None or \
            HAS_TIME.search(str(whens[0].get("value") or "")):
        return entities
    clocks = [m for m in CLOCK.finditer(text)
              if not any(e.get("start") is not None and e["start"] < m.end() and
                         m.start() < e["end"] for e in entities)
              and not OTHER_TIME.search(text[:m.start()])]
    if len(clocks) != 1:
        return entities  # none, or two times and no knowing which is the visit's
    day = whens[0]
    joined = {**day, "value": f"{day['value']} {clocks[0].group().strip()}"}
    return [joined if e is day else e for e in entities]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class WhenMissed(GraphComponent):
    """Goes after the entity extractor and the synonym mapper."""

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> WhenMissed:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            entities = message.get("entities") or []
            text = message.get("text") or ""
            found = with_time_instead(text, with_time(text, with_days(text, entities)))
            if found != entities:
                message.set("entities", found, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
