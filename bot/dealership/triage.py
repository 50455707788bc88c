"""Reading a problem report: the situation the owner is in and how serious it is (from the table
in triage.yml), the details an advisor needs (warning light, since when, whether the car can be
driven), and the questions they ask back about it ("should I open the hood?").
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
    r"the weekend|the \w+|\w+ \d{1,2}|my last (service|visit|oil change)|"
    r"i (hit|got|drove)[^,.!?]{0,40})|"
    # "started after i hit a pothole last wk"
    r"(started|began|happened|came on) (right )?after [^,.!?]{3,40}|"
    r"(started|began|happened|came on|been going on|noticed it|first (saw|noticed) (it|them)) "
    r"(\w+ )?(yesterday|today|this morning|last night|last week|this week|(last |on )?\w+day|"
    r"a few days ago|a (couple|few) (of )?(days|weeks) ago|"
    r"\d+ (days?|weeks?|wks?|months?|mos?) ago)|"
    r"for (about |like |almost |over |the (last|past) )?(a|an|two|three|four|a few|a couple( of)?|"
    r"\d+) (days?|weeks?|wks?|months?|mos?|hours?)( now)?|"
    r"(about |like |almost |over )?(a|an|two|three|a few|a couple( of)?|\d+) "
    r"(days?|weeks?|wks?|months?|mos?) (ago|now)|"
    r"(been|going on) (about |like )?(a|an|two|three|a few|a couple( of)?|\d+) "
    r"(days?|weeks?|wks?|months?|mos?)|"
    r"(this|yesterday|sunday|monday|tuesday|wednesday|thursday|friday|saturday) "
    r"(morning|afternoon|evening|night)|"
    r"(yesterday|last night|last week|this week|last month|this morning|earlier today)|"
    r"(on|since|last) (mon|tues?|wed|thu(rs)?|fri|sat|sun)(day)?)\b")
NOT_DRIVABLE = re.compile(
    r"\b(can'?t|cannot|can not|couldn'?t|afraid to|scared to|not safe to|unsafe to) drive\b|"
    r"\bnot drivable\b|\bundrivable\b|\bnot driv(ing|eable) it\b|"
    r"\b(won'?t|wont|doesn'?t|will not) (start|move|turn on|"
    r"crank)\b|\bstuck\b|\btow(ed)?\b|\bstranded\b|\bdead\b")
DRIVABLE = re.compile(
    r"\bstill (driv|runs|running|drivable|works|moving)|\bdriv(ing|es) (it )?(fine|ok|okay|"
    r"normal)|\b(it'?s|its|it is) (still )?drivable\b|\bcan (still )?drive\b|"
    r"\bruns (fine|ok|okay)\b|\b(fine|ok|okay|safe) to drive\b|\bno problem driving\b|"
    r"\b(feels|drives|runs|seems|driving|running) (totally |completely |perfectly |pretty |just )?"
    r"(normal|fine|ok|okay|good)\b|\bit drives\b|\b(i'?ve|i have|ive) been driving (it|on it)\b|"
    r"\b(still )?drivable\b")
UNSURE = re.compile(r"\b(not sure|unsure|idk|i don'?t know|dunno|no idea|hard to (say|tell)|"
                    r"maybe|i guess|i think so\?)")


@dataclass(frozen=True)
class Situation:
    """What the owner hears first and what may follow, for one kind of trouble."""

    name: str
    severity: str  # "safety", "urgent" or "routine"
    first: str | None  # the response sent before anything is asked
    drivable: bool | None  # what the table knows about driving it; None: ask
    ask: tuple[str, ...]  # the questions that may follow: car, since, drivable
    ticket: str | None  # the urgency of a ticket opened with the report, if any
    covers: tuple[str, ...]  # questions asked back that `first` already answers
    offer: bool = True  # a visit is offered once the report is filed (not when `first` says
    # who to see instead: the collision center after an accident)
    team: str | None = None  # the department `first` sends the owner to, if any


@dataclass(frozen=True)
class Rule:
    category: str
    situation: Situation
    service: str
    first: str | None
    patterns: tuple[re.Pattern, ...]
    whole_text: bool = False  # tried on the text before negations are taken out
    covers: tuple[str, ...] = ()  # questions asked back that the rule's own `first` answers


@dataclass(frozen=True)
class Table:
    negations: tuple[re.Pattern, ...]
    repeat: tuple[re.Pattern, ...]
    parked: tuple[re.Pattern, ...]
    traffic: tuple[re.Pattern, ...]
    rules: tuple[Rule, ...]
    asked_back: tuple[tuple[str, tuple[re.Pattern, ...]], ...]
    settled: tuple[re.Pattern, ...] = ()  # trouble already put right, removed before every rule
    trouble: tuple[re.Pattern, ...] = ()  # words that say something is wrong with a car


@dataclass(frozen=True)
class Finding:
    category: str
    situation: str
    severity: str
    service: str
    warning_light: str | None
    since: str | None
    drivable: bool | None
    first: str | None = None  # the response the owner hears first
    ask: tuple[str, ...] = ("car", "since", "drivable")
    ticket: str | None = None
    covers: tuple[str, ...] = ()
    repeat: bool = False  # back after the shop worked on it
    parked: bool = False  # the owner has stopped the car already
    in_traffic: bool = False  # the car stands in a road with traffic around it
    loaner: bool = False  # the trouble is with the dealership's loaner the owner is driving

    @property
    def safety(self) -> bool:
        return self.severity == "safety"


def _situation(name: str, spec: dict) -> Situation:
    return Situation(name=name, severity=spec["severity"], first=spec.get("first"),
                     drivable=spec.get("drivable"), ask=tuple(spec.get("ask") or ()),
                     ticket=spec.get("ticket"), covers=tuple(spec.get("covers") or ()),
                     offer=spec.get("offer", True), team=spec.get("team"))


def _patterns(found: list[str] | None) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p) for p in found or [])


@lru_cache(maxsize=1)
def load_table(path: Path = TABLE) -> Table:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    situations = {name: _situation(name, spec) for name, spec in data["situations"].items()}
    rules = tuple(Rule(r["category"], situations[r["situation"]], r["service"], r.get("first"),
                       _patterns(r["patterns"]), bool(r.get("whole_text")),
                       tuple(r.get("covers") or ()))
                  for r in data["rules"])
    asked = tuple((kind, _patterns(found)) for kind, found in data["asked_back"].items())
    return Table(_patterns(data.get("negations")), _patterns(data.get("repeat")),
                 _patterns(data.get("parked")), _patterns(data.get("traffic")), rules, asked,
                 _patterns(data.get("settled")), _patterns(data.get("trouble")))


def normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'")
    return re.sub(r"\s+", " ", text).strip()


# The dealership's own car, lent: "ur loaner", "the loaner es u gave me".
LOANER_TROUBLE = re.compile(r"\b(ur|your|you guys'?|y'?all'?s|the|this|my|our) (loaner|loner|"
                            r"courtesy car|rental)\b")


def triage(text: str) -> Finding:
    """The first rule of the table that the report matches, and the details it gives."""
    said = normalise(text)
    table = load_table()
    now = said
    for settled in table.settled:
        now = settled.sub(" ", now)
    plain = now
    for negation in table.negations:
        plain = negation.sub(" ", plain)
    rule = next(r for r in table.rules
                if any(p.search(now if r.whole_text else plain) for p in r.patterns))
    situation = rule.situation
    loaner = bool(LOANER_TROUBLE.search(said))
    light = LIGHT.search(plain)
    since = SINCE.search(said)
    drivable = said_drivable(said)
    if situation.drivable is not None and (drivable is None or situation.severity != "routine"):
        drivable = situation.drivable  # the table knows better than a guess: not asked
    return Finding(
        category=rule.category, situation=situation.name, severity=situation.severity,
        service=rule.service, warning_light=light.group(0) if light else None,
        since=since.group(0) if since else None, drivable=drivable,
        first=rule.first or situation.first, ticket=situation.ticket,
        # a first reply that says whether to drive it leaves nothing for the owner to judge
        ask=tuple(q for q in questions(rule) if q != "car" or not loaner),
        covers=situation.covers + rule.covers,
        repeat=situation.severity == "routine" and any(p.search(said) for p in table.repeat),
        parked=any(p.search(said) for p in table.parked),
        in_traffic=any(p.search(said) for p in table.traffic),
        loaner=loaner,
    )


def stopped(text: str) -> bool:
    """Whether the text says the car is stopped already ("ok im parked at a gas station")."""
    said = text.lower()
    return any(p.search(said) for p in load_table().parked)


def tells_trouble(text: str) -> bool:
    """Whether `text` says something is wrong with a car: a rule of the table beside the
    catch-all matches, or a word of trouble ("i hate driving small cars" says none)."""
    said = normalise(text)
    table = load_table()
    return triage(text).category != table.rules[-1].category or \
        any(p.search(said) for p in table.trouble)


def questions(rule: Rule) -> tuple[str, ...]:
    """The questions a rule's situation may ask; not whether to drive it when the first reply
    said so, which leaves nothing for the owner to judge."""
    covers = rule.situation.covers + rule.covers
    return tuple(q for q in rule.situation.ask if q != "drivable" or "drive" not in covers)


def category_questions(category: str) -> tuple[str, ...] | None:
    """The questions a report triaged as `category` may ask: those every rule of the category
    leaves (several rules may share one); None for a category the table does not have."""
    rules = [r for r in load_table().rules if r.category == category]
    if not rules:
        return None
    return tuple(q for q in rules[0].situation.ask if all(q in questions(r) for r in rules))


def category_rule(category: str) -> Rule | None:
    """The table's rule for a category a report was triaged as."""
    return next((r for r in load_table().rules if r.category == category), None)


def since_in(text: str) -> str | None:
    """When the trouble began, where the text says it ("since sat maybe, is that ok?")."""
    found = SINCE.search(normalise(text))
    return found.group(0) if found else None


def asked_back(text: str) -> list[str]:
    """The questions `text` asks about the trouble the owner is in ("can I drive it to you?":
    drive), in the table's order."""
    said = normalise(text)
    return [kind for kind, patterns in load_table().asked_back
            if any(p.search(said) for p in patterns)]


WENT_AWAY = re.compile(
    r"\b(nvm|never ?mind|nevermind)\b.{0,40}\b(stopped|gone|went away|fine|ok|okay)\b|"
    r"\b(it|the (noise|sound|light|problem|squeal|rattle|smell))('?s| has| just)? "
    r"(stopped|gone away|went away|went off|disappeared|fixed itself)\b|"
    r"\bnot (doing it|happening) any ?more\b")


VISIT_ASKED = re.compile(
    r"\b(book|schedule|appointment|appt|bring it in|come in|drop it off|"
    r"get (it|me|her|him|the \w+|my \w+) in|"
    # "hmm ok could i do sat morning": a day asked for
    r"(can|could) (i|we) (do|come( in| by)?) (it )?(on )?(today|tonight|tmrw|tomorrow|this|next|"
    r"mon|tues?|wed|thu|thurs|fri|sat|\w+day)|"
    r"look at (it|them)|take a look|check (it|them)( out)?|"
    r"(can|could) (someone|somebody|anyone|one of (you|u)) (look|check|take a look)|"
    # "what do u have tmrw morning", "anything open fri": the visit's times asked for
    r"what (do|does|would) (you|u|y'?all|ya) have (open |available )?(\w+ )?(today|tonight|tmrw|"
    r"tomorrow|this|next|on|mon|tues?|wed|thu|thurs|fri|sat|\w+day)|"
    r"(any|anything|any openings?|any times?) (open|available|free) (today|tmrw|tomorrow|this|next|"
    r"on|mon|tues?|wed|thu|thurs|fri|sat|\w+day)|"
    r"when can (i|you|u) (come|bring|get|drop)|"
    # "need my brakes looked at"
    r"(need|want|like) (my|the|our|her|his) (\w+ ){1,2}(looked at|checked( out)?|fixed|"
    r"replaced|done|serviced|inspected)|"
    r"get it (aligned|checked|looked at|fixed|serviced|"
    r"rotated|replaced)|"
    r"can (you|u|y'?all)( guys)? (do|look at|look|check|fix|align|replace|rotate|take|test|"
    r"inspect|diagnose|swap)|"
    # "ok whenever ur least busy this week": the visit, at the shop's choosing
    r"whenever (ur|you'?re|youre|you are|y'?all are|yall are) (least busy|free|not busy|open)|"
    r"least busy|"
    # "fri 8 works", "tmrw at 7 is good": a day or time that suits
    r"(today|tonight|tomorrow|tmrw|tmr|mon|tues?|wed|thu|thurs|fri|sat|\w+day|morning|"
    r"afternoon|\d(:\d\d)? ?(am|pm)?) (works|would work|is good|is fine|is ok|good for me)|"
    # "id drop it at 7", "ill bring it by tmrw"
    r"(i'?d|ill|i'?ll|i can|i could) (drop|bring) it (off |in |by )?(at|tmrw|tomorrow|today|"
    r"mon|tues?|wed|thu|thurs|fri|sat|\w+day)|"
    # "can i bring it tmrw at 7:30", "put me down fri 1pm": a day said with bringing it
    r"(can|could) i (bring|drop) (it|the \w+|my \w+) (off |in |by )?(tmrw|tomorrow|today|tonight|"
    r"this|next|"
    r"on|at|mon|tues?|wed|thu|thurs|fri|sat|\w+day)|put me down|fit (me|it) in|swing by|"
    # "k. fri morning like 9, ill wait": a day or time, and waiting for the car
    r"(today|tmrw|tomorrow|mon|tues?|wed|thu|thurs|fri|sat|\w+day|morning|afternoon|\d)\b.{0,30}"
    r"\b(i'?ll|ill|i will|i can) (just )?wait( there| for it| in the lounge)?(?! for)|"
    # "can i get one fri afternoon", "can i get in tmrw": a day asked for with the visit
    r"(can|could) (i|we) (get|grab|book) (one|in|a spot|a slot|an appt|an appointment|a time) "
    r"(\w+ )?(today|tonight|tmrw|tomorrow|this|next|on|mon|tues?|wed|thu|thurs|fri|sat|\w+day)|"
    # "ok can i wait for it fri at 8": a day asked for, waiting for the car
    r"(can|could) (i|we) (just )?wait (for it |there |on it )?(\w+ )?(today|tonight|tmrw|tomorrow|"
    r"this|next|on|mon|tues?|wed|thu|thurs|fri|sat|\w+day))\b")


def visit_request(text: str) -> str | None:
    """The part of a report that asks for the visit ("can u look at it friday"), if any."""
    found = VISIT_ASKED.search(normalise(text))
    return normalise(text)[found.start():] if found else None


def asks_for_visit(text: str) -> bool:
    """Whether a report also asks to bring the car in ("...pulling left, can I get it aligned",
    "can u look at it friday")."""
    said = normalise(text)
    return bool(VISIT_ASKED.search(said)) and not NEED_ASKED.search(said)


# Whether a visit is needed at all, asked: "can i just put air in or do i need to come in".
NEED_ASKED = re.compile(r"\b(do|will|would) i (really |still |even )?(need|have) to (come|bring|"
                        r"take|book|get it)\b|\bshould i (come|bring it|take it) in\b.{0,15}\?")


def visit_words(text: str) -> str | None:
    """The words from where a report asks for a visit on ("...pulls right. can u do an
    alignment? whats the earliest tmrw": "can u do an alignment? whats the earliest tmrw"):
    a day said there is the visit's, not when the trouble began."""
    found = VISIT_ASKED.search(normalise(text))
    return normalise(text)[found.start():] if found else None


# The owner leaves the report's questions: "ugh actually forget it, ill deal w it after xmas".
LEFT_FOR_LATER = re.compile(
    r"^\W*((?!(cant|can'?t|cannot|won'?t|wont|never|couldn'?t|not)\b)\w+\W+){0,2}"
    r"(forget (it|about it|that|the whole thing)|never ?mind|nvm|"
    r"scratch that|don'?t worry about it)\b|"
    r"\b(i'?ll|ill|i will) (just )?(deal|figure|worry|handle|take care|sort it out)( with| of| "
    r"about)? ?(it|that)? (later|after|another time|next \w+|myself|some ?time|when)\b|"
    # "ill wait til after the holidays"
    r"\b(i'?ll|ill|i will|gonna|going to) (just )?wait (til|till|until|for) (after|next|the new "
    r"year|january|jan|payday)\b")


def left_for_later(text: str) -> bool:
    """Whether the owner leaves the questions about the trouble for now, and tells nothing
    new of it."""
    said = normalise(text)
    return bool(LEFT_FOR_LATER.search(said)) and said_drivable(said) is None and \
        since_in(said) is None


def went_away(text: str) -> bool:
    """Whether the owner says the trouble went away ("oh nvm it just stopped")."""
    return bool(WENT_AWAY.search(normalise(text)))


# A question the owner asks ("is it safe to drive?"): not something they say about the car.
QUESTION = re.compile(r"\b(is|can|should|could|would|will|do|does|am|ok|okay|safe)\b[^.!?,;]*\?+")


def said_drivable(text: str) -> bool | None:
    """Whether the car can be driven, when `text` says so in words ("it's fine to drive",
    "it won't start"), not just with a yes or a no, nor by asking."""
    said = QUESTION.sub(" ", normalise(text))
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
