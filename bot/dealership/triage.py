"""Reading a problem report: how serious it is (from the table in triage.yml), and the details
an advisor needs (warning light, since when, whether the car can be driven).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

TABLE = Path(__file__).with_name("triage.yml")

LIGHT = re.compile(
    r"\b(check engine|tire pressure|tpms|abs|brake|battery|oil( pressure)?|air ?bag|srs|"
    r"traction|vsc|hybrid system|temperature|maintenance required|master warning|"
    r"engine|coolant)( warning)? light\b")
SINCE = re.compile(
    r"\b(since (yesterday|this morning|last night|last week|last month|(last |this )?\w+day|"
    r"the weekend|the \w+|\w+ \d{1,2}|my last (service|visit|oil change))|"
    r"(started|began|happened|came on|been going on|noticed it) (\w+ )?(yesterday|today|"
    r"this morning|last night|last week|this week|(last |on )?\w+day|a few days ago|"
    r"a (couple|few) (of )?(days|weeks) ago|\d+ (days?|weeks?|months?) ago)|"
    r"for (about |like |almost |over )?(a|an|two|three|four|a few|a couple( of)?|\d+) "
    r"(days?|weeks?|months?|hours?)|"
    r"(yesterday|this morning|last night|today)$)")
NOT_DRIVABLE = re.compile(
    r"\b(can'?t|cannot|can not|couldn'?t|afraid to|scared to|not safe to|unsafe to) drive\b|"
    r"\bnot drivable\b|\bundrivable\b|\b(won'?t|wont|doesn'?t|will not) (start|move|turn on|"
    r"crank)\b|\bstuck\b|\btow(ed)?\b|\bstranded\b|\bdead\b")
DRIVABLE = re.compile(
    r"\bstill (driv|runs|running|drivable|works|moving)|\bdriv(ing|es) (it )?(fine|ok|okay|"
    r"normal)|\b(it'?s|its|it is) (still )?drivable\b|\bcan (still )?drive\b|"
    r"\bruns (fine|ok|okay)\b|\b(fine|ok|okay|safe) to drive\b|\bno problem driving\b")
UNSURE = re.compile(r"\b(not sure|unsure|idk|i don'?t know|dunno|no idea|hard to (say|tell)|"
                    r"maybe|i guess|i think so\?)")


@dataclass(frozen=True)
class Rule:
    category: str
    severity: str  # "safety", "urgent" or "routine"
    service: str
    patterns: tuple[re.Pattern, ...]


@dataclass(frozen=True)
class Finding:
    category: str
    severity: str
    service: str
    warning_light: str | None
    since: str | None
    drivable: bool | None

    @property
    def safety(self) -> bool:
        return self.severity == "safety"


@lru_cache(maxsize=1)
def load_table(path: Path = TABLE) -> tuple[tuple[re.Pattern, ...], tuple[Rule, ...]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    negations = tuple(re.compile(p) for p in data.get("negations") or [])
    rules = tuple(Rule(r["category"], r["severity"], r["service"],
                       tuple(re.compile(p) for p in r["patterns"])) for r in data["rules"])
    return negations, rules


def normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'")
    return re.sub(r"\s+", " ", text).strip()


def triage(text: str) -> Finding:
    """The first rule of the table that the report matches, and the details it gives."""
    said = normalise(text)
    negations, rules = load_table()
    plain = said
    for negation in negations:
        plain = negation.sub(" ", plain)
    rule = next(r for r in rules if any(p.search(plain) for p in r.patterns))
    light = LIGHT.search(plain)
    since = SINCE.search(said)
    drivable = False if NOT_DRIVABLE.search(said) else True if DRIVABLE.search(said) else None
    if rule.severity == "safety" and drivable is None:
        drivable = False  # until someone has looked at it, it is not to be driven
    return Finding(
        category=rule.category, severity=rule.severity, service=rule.service,
        warning_light=light.group(0) if light else None,
        since=since.group(0) if since else None,
        drivable=drivable,
    )


def said_drivable(text: str) -> bool | None:
    """Whether the car can be driven, when `text` says so in words ("it's fine to drive",
    "it won't start"), not just with a yes or a no."""
    said = normalise(text)
    if NOT_DRIVABLE.search(said):
        return False
    return True if DRIVABLE.search(said) else None


def read_drivable(text: str) -> bool | None:
    """An answer to "can you still drive it?"; None when it is not one, or is unsure."""
    said = normalise(text)
    if (found := said_drivable(said)) is not None:
        return found
    if UNSURE.search(said):
        return None
    if re.search(r"^(no|nope|nah|not really)\b", said):
        return False
    if re.search(r"^(yes|yeah|yep|yup|ya|sure|i think so|it'?s fine|its fine)\b", said):
        return True
    return None


def unsure(text: str) -> bool:
    return bool(UNSURE.search(normalise(text)))
