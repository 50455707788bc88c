"""What an owner means by "tmrw 9", "next tue after 2" or "asap", in the dealership's time zone.

`dateparser` reads explicit and relative dates ("12/3", "dec 3rd", "in 2 weeks"); this thin layer
does what it gets wrong for texts to a service department: shorthand ("tmrw", "thurs"), weekdays
("next tue" is next week's Tuesday), ordinals ("the 5th" is the next 5th, not May), US month/day
order, "this weekend", "asap", and times of day as a service desk reads them ("at 2" is 2 pm,
"after 2" is a window, "morning" is a window). `tests/dealership/test_dates.py` is its table.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

import dateparser

WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "weds": 2,
    "wed": 2, "thursday": 3, "thurs": 3, "thur": 3, "thu": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}
SHORTHAND = {
    r"tmrw|tmrow|tmr|tmw|tomoro|tomorow|2morrow|2moro|tommorow|tommorrow|tmorow|tmorrow|tomorrw|"
    r"tomrw|tomrrow|tmmrw|tomm": "tomorrow",
    r"aftr|afta": "after",
    r"tdy|tday": "today",
    r"nxt": "next",
    r"wk": "week",
    r"mornin|morn|mornings": "morning",
    r"aft|arvo|afternoons": "afternoon",
    r"evenings": "evening",
    r"lunchtime|lunch time|lunch hour|lunchish": "lunch",
    r"b4|bfore|befor": "before",
    r"midmorning|mid-morning": "mid morning",
    r"midafternoon|mid-afternoon": "mid afternoon",
}
ASAP = re.compile(r"\b(asap|a\.s\.a\.p|as soon as (possible|you can)|soonest|earliest|"
                  r"first (available|opening)|next available|whenever)\b")
PERIODS = {  # part of day -> (earliest, latest)
    "morning": (time(0), time(12)),
    "afternoon": (time(12), time(17)),
    "evening": (time(16), time(23, 59)),
    "after work": (time(16), time(23, 59)),
    "after lunch": (time(13), time(17)),
    "lunch": (time(11, 30), time(13, 30)),
    # (after the parts of day they narrow, which they override)
    "mid morning": (time(9, 30), time(11, 30)),
    "late morning": (time(10), time(12)),
    "early afternoon": (time(12), time(14, 30)),
    "mid afternoon": (time(13, 30), time(15, 30)),
    "late afternoon": (time(15), time(17)),
}
# The meridiem ends a word: "2:30 and the shuttle" is not 2:30 am.
CLOCK = r"(\d{1,2})(?::(\d{2}))?\s*(?:(am|pm|a\.m\.|p\.m\.|a|p)(?![a-z]))?"
RELATIVE_DAYS = re.compile(
    r"\b(today|tonight|tomorrow|yesterday|day after tomorrow|in \w+ (days?|weeks?))\b")
# What may not follow a time: more digits, a date's slash, or an ordinal's ending ("3rd").
CLOCK_END = r"(?![\d/]|(?:st|nd|rd|th)\b)"
MONTHS = ("jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec")


@dataclass(frozen=True)
class When:
    """A request for a time: a range of days, and maybe a time or a window within the day."""

    first_day: date | None = None
    last_day: date | None = None
    at: time | None = None  # an exact time asked for
    earliest: time | None = None
    latest: time | None = None
    asap: bool = False
    no_such_date: bool = False  # "feb 30": a date that does not exist

    @property
    def has_day(self) -> bool:
        return self.first_day is not None


# A time the owner is busy at, not one asked for: "oh shoot i have a call at 10. 2pm instead?".
CLASH = re.compile(
    r"\b(?:a|an|my|the|this|that)\s+(?:\w+\s+)?(?:call|meeting|mtg|zoom|conference|class|"
    r"interview|dentist|doctor|dr|flight|game|practice|school pickup|lunch|conflict|"
    r"thing|work thing|shift)s?(?:\s+(?:appt|appointment|thing|call))?\s+(?:at|@)\s+"
    r"(?:\d{1,2}(?::?\d{2})?\s*(?:am|pm|a|p)?|noon|midday)\b|"
    r"\b(?:can'?t|cannot|cant)\s+(?:do|make)\s+(?:it\s+)?(?:at\s+)?\d{1,2}(?::?\d{2})?"
    r"\s*(?:am|pm)?\b|"
    # "gotta be at work by 9 tho": where the owner must be, not a time asked for
    r"\b(?:gotta|got to|have to|need to|must|hafta)\s+be\s+(?:at work|at the office|at school|"
    r"back|home|there|in|somewhere|downtown)\s+(?:by|at|before)\s+\d{1,2}(?::?\d{2})?"
    r"\s*(?:am|pm)?\b|"
    # "dont text me before 10am": a wish about texts, not the visit's time
    r"\b(?:don'?t|do not|dont|no|never|not)\s+(?:text|txt|message|msg|contact|ping)(?:s|ing)?"
    r"(?:\s+me)?\s+(?:before|after|until|till|past)\s+\d{1,2}(?::?\d{2})?\s*(?:am|pm)?\b|"
    # "wed is a mess for me", "friday doesnt work": a day the owner can't do
    r"\b(?:mon|tues?|wed|weds|wednes|thu|thurs?|fri|sat|satur|sun)(?:day)?s?\s+(?:is|'s|are)\s+"
    r"(?:bad|no good|not good|a mess|a nightmare|crazy|packed|slammed|out|full|a no)\b|"
    r"\b(?:mon|tues?|wed|weds|wednes|thu|thurs?|fri|sat|satur|sun)(?:day)?s?\s+(?:doesn'?t|"
    r"won'?t|wont|dont|don'?t|isn'?t|aint) (?:work|good)\b|"
    # "9 is bad now", "10 doesn't work"
    r"\b\d{1,2}(?::?\d{2})?\s*(?:am|pm)?\s+(?:is (?:bad|no good|not good)|isn'?t good|"
    r"(?:doesn'?t|won'?t|wont|dont|don'?t) work)\b|"
    # "i gotta grab my son at 3:30"
    r"\b(?:grab|get|pick up|picking up|pick|get to|grabbing)\s+(?:my|the|our)\s+(?:son|"
    r"daughter|kid|kids|wife|husband|mom|dad|boy|girl)s?(?:\s+up)?\s+(?:at|by|@)\s+"
    r"\d{1,2}(?::?\d{2})?\s*(?:am|pm)?\b", re.I)


def clash_named(text: str) -> bool:
    """The text names a time the owner is busy at beside the one asked for."""
    return bool(CLASH.search(text))


# The time of a visit spoken of, kept on another day: "rebook it sat same time".
SAME_TIME = re.compile(r"\bsame (?:time|tme|tyme|tim|hour|hr)\b", re.IGNORECASE)
# A time taken back in the same text: "sat at 9, no wait make it 930".
CORRECTION = re.compile(r"\b(?:no wait|wait no|no no|actually|i mean|scratch that|make that|"
                        r"no make it|wait make it)\b")
_SAID_TIME = re.compile(r"\b(?:at|@)\s*\d{1,2}(?::?\d{2})?\s*(?:am|pm|a|p)?\b|"
                        r"\b\d{1,2}:\d{2}\s*(?:am|pm)?|\b\d{1,2}\s*(?:am|pm)\b")


def _corrected(text: str) -> str:
    """The text with the times it took back left out: only the last correction's time
    stands, and its day ("fri then like 8? actually no wait wed is better": Wednesday, at 8)."""
    marks = list(CORRECTION.finditer(text))
    after = text[marks[-1].end():] if marks else ""
    if marks and _A_DAY.search(after):
        cut = marks[-1].start()
        if _SAID_TIME.search(after):
            return text[cut:]  # a day and a time said again: nothing before them stands
        return _A_DAY.sub(" ", text[:cut]) + " " + text[cut:]
    if not marks or not (_SAID_TIME.search(after) or re.search(
            r"\b(?:make it|make that|how about|say)\s+\d|^\W*(?:\d{1,2}(?::?\d{2})?|noon)"
            r"(?!\s*(?:cars?|miles?|mi|k|people|kids|days?|weeks?))\b", after)):
        return text  # "actually also add a wash for 2 cars": no time taken back
    cut = marks[-1].start()
    return _SAID_TIME.sub(" ", text[:cut]) + " " + text[cut:]


def days_named(text: str, today: date) -> set[date]:
    """The days a text names, each weekday on its own ("open thurs or fri this week?": both),
    from `today` on."""
    said = normalise(text)
    found: set[date] = set()
    days, _ = _take_days(said, today)
    if isinstance(days, tuple) and (days[1] - days[0]).days <= 7:
        found |= {days[0] + timedelta(n) for n in range((days[1] - days[0]).days + 1)}
    names = re.findall(rf"\b({WEEKDAY_NAMES})\b", said)
    if len(names) > 1:  # the reader takes the first of "thurs or fri"; the others, as near
        week = re.search(r"\bnext week\b", said)
        found |= {today + timedelta((WEEKDAYS[name] - today.weekday()) % 7 + (7 if week else 0))
                  for name in names}
    if found:  # "open sat? and what time do u close today": today too
        found |= {today + timedelta(n) for n, word in enumerate(("today|tonight", "tomorrow"))
                  if re.search(rf"\b(?:{word})\b", said)}
    return {day for day in found if day >= today}


def taken_back(text: str) -> str | None:
    """What a text says after taking back a day or a time it said ("fri at 8? no wait, wed
    at 9": "wed at 9"); None when it takes back none."""
    said = text.lower()
    marks = list(CORRECTION.finditer(said))
    return said[marks[-1].end():] if marks and _corrected(said) != said else None


# A day the owner is away until, not the visit's: "im out of town till wed".
AWAY_UNTIL = re.compile(r"\b(?:till|until|til|thru|through)\s+(?:next\s+)?(?:mon|tue|wed|thu|"
                        r"fri|sat|sun)[a-z]*\b")


_HOURS = {word: n for n, word in enumerate(
    ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
     "twelve"], start=1)}
_HOUR = "|".join(_HOURS)


def _hour_words(text: str) -> str:
    """"half past eight" -> "8:30", "ten o'clock" / "at ten" -> "10"."""
    def hour(word: str) -> int:
        return _HOURS[word]

    text = re.sub(rf"\bhalf past ({_HOUR})\b", lambda m: f"{hour(m.group(1))}:30", text)
    text = re.sub(rf"\bquarter past ({_HOUR})\b", lambda m: f"{hour(m.group(1))}:15", text)
    text = re.sub(rf"\bquarter (?:to|of|till) ({_HOUR})\b",
                  lambda m: f"{hour(m.group(1)) - 1 or 12}:45", text)
    # ("nine o'clock" is a time, never a choice from a list: said with its minutes)
    text = re.sub(rf"\b({_HOUR}) ?o'?clock\b", lambda m: f"{hour(m.group(1))}:00", text)
    text = re.sub(r"\b(1[0-2]|[1-9]) ?o'?clock\b", r"\1:00", text)
    return re.sub(rf"\b(at|around|by|about|after|before|till|until) ({_HOUR})\b(?! (?:of|days?|"
                  rf"weeks?|hours?|mins?|minutes?|cars?|people|kids)\b)",
                  lambda m: f"{m.group(1)} {hour(m.group(2))}", text)


# What, said right after a day, gives it up: "wed is gonna be nuts", "tues is bad", "fri's out".
GIVEN_UP_AFTER = re.compile(
    r"(?:'s|\s+is)?\s+(?:(?:gonna|going to|gon|will|would) be\s+|looks?\s+|is looking\s+)?"
    r"(?:out|no good|not good|bad|busy|nuts|crazy|insane|hectic|slammed|packed|tough|rough|"
    r"impossible|a mess|a no go|no go|(?:does ?n'?t|dont|won'?t|wont|will not|is not|isn'?t) "
    r"work(?:ing)?)\b", re.IGNORECASE)


def _day_given_up(text: str) -> str:
    """The text without a day it gives up for another it names: "scratch friday, sat morning is
    better" is Saturday morning."""
    given_up = re.compile(rf"\b(?:scratch|forget|nix|skip)\s+(?:the\s+)?(?:on\s+)?"
                          rf"(?:{WEEKDAY_NAMES}|today|tomorrow|tmrw)\b|"
                          rf"\b(?:{WEEKDAY_NAMES}|today|tomorrow|tmrw){GIVEN_UP_AFTER.pattern}")
    rest = given_up.sub(" ", text)
    return rest if rest != text and _A_DAY.search(rest) else text


def normalise(text: str) -> str:
    text = _corrected(_day_given_up(CLASH.sub(" ", text.lower().strip())))
    if (away := AWAY_UNTIL.search(text)) and \
            _A_DAY.search(text[:away.start()] + " " + text[away.end():]):
        text = AWAY_UNTIL.sub(" ", text)  # the other day named is the visit's
    # "wed like a loaner": "we'd", not Wednesday
    text = re.sub(r"\bwed(?= (?:like|love|need|want|rather|prefer|appreciate)\b)", "we'd", text)
    # "830.", "830, and can the shuttle...": a time alone before the rest, without its colon
    text = re.sub(r"^([1-9]|1[0-2])([0-5]\d)(?=\s*(?:[.!,;]|$))", r"\1:\2", text)
    # A full stop goes, but not the point of "8.30".
    text = re.sub(r"[!?,;]+|(?<!\d)\.|\.(?!\d)", " ", text).strip()
    # "address is 1412 e 6th st", "on 5th street": a street, not a date
    text = re.sub(r"\b(?:\d{1,6} )?(?:[nsew] )?\d{1,3}(?:st|nd|rd|th) (?:st|street|ave|avenue|"
                  r"rd|road|blvd|dr|drive|ln|lane|pl|place|way|pkwy|parkway)\b", " ", text)
    text = re.sub(r"\b\d{2,6} (?:[nsew] )?(?:\w+ ){1,2}(?:st|street|ave|avenue|rd|road|blvd|"
                  r"drive|ln|lane|pkwy|parkway|hwy|highway)\b", " ", text)
    # "can he take a loaner? he's 20", "my son is 19": an age, not a time
    text = re.sub(r"\b(?:he'?s|she'?s|he is|she is|(?:son|daughter|kid|nephew|niece)(?: is)?)"
                  r"\W{1,3}(?:only |just )?(?:1[0-9]|20)\b(?! ?(?:am|pm|a|p|min\w*)\b)",
                  " ", text)
    # "its like 2 mi", "45k miles": a distance or a mileage, not a time
    text = re.sub(r"\b\d+(?:[.,]\d+)?k? ?(?:mi|miles?|mph)\b", " ", text)
    text = re.sub(r"\b\d+(?:[.,]\d+)?k\b", " ", text)  # "its 40k service": thousands of miles
    # "room for 2 car seats", "3 kids": a count of things, not a time
    text = re.sub(r"\b\d{1,2} (?:car ?seats?|booster seats?|seats|kids?|children|people|"
                  r"passengers|adults|bags|suitcases|dogs?|cars|tires|tyres|rows)\b", " ", text)
    for pattern, word in SHORTHAND.items():
        text = re.sub(rf"\b({pattern})\b", word, text)
    text = re.sub(r"\bnoonish\b", "noon", text)
    # "like 2ish", "9ish works": an hour, whatever follows
    text = re.sub(r"\b(?:at |around |like |maybe |say |about |abt )?([1-9]|1[0-2])(:[0-5]\d)?"
                  r"\s*-?ish\b", r"at \1\2", text)
    # "at ten o'clock", "half past eight": an hour in words
    text = _hour_words(text)
    # "open sundays?": the next one
    text = re.sub(r"\b(mon|tues|wednes|thurs|fri|satur|sun)days\b", r"\1day", text)
    text = re.sub(r"\bnoon\b|\bmidday\b", "12pm", text)
    text = re.sub(r"(?<![$\d])\b(\d{1,2})\.([0-5]\d)\b(?!\.)", r"\1:\2", text)  # "8.30"
    # "830am", "at 1030", "tmrw 830": a time written without its colon
    text = re.sub(r"\b([1-9]|1[0-2])([0-5]\d)( ?am| ?pm|a|p)\b", r"\1:\2\3", text)
    text = re.sub(r"^([1-9]|1[0-2])([0-5]\d)$", r"\1:\2", text)  # "530" alone
    # "ill just wait then. 830": a time written without its colon that ends the text
    text = re.sub(r"(?<![$\d.,:/#-])(?<![$\d.,:/#-] )(?<!suite )(?<!unit )(?<!room )(?<!apt )"
                  r"(?<!code )(?<!number )(?<!mileage )(?<!odometer )(?<!miles )"
                  # (not a model: "an oil change for my es 350")
                  r"(?<!\b[eilgrnutc][sxzc] )(?<!\b[eilgrnutc][sxzc])"
                  r"\b([1-9]|1[0-2])([0-5]\d)\s*$", r"\1:\2", text)
    # "the 530 works", "530 is fine": an offered time picked, without its colon
    text = re.sub(r"(^|\bthe |\b(?:ok|okay|so|yeah|yes|eh|um|hmm|maybe) )([1-9]|1[0-2])([0-5]\d)"
                  r"(?= (?:works|is fine|is good|please|pls|"
                  r"then|one)\b)", r"\1\2:\3", text)
    days = "today|tomorrow|" + "|".join(WEEKDAYS)
    text = re.sub(rf"\b(at|@|around|by|after|before|it|off|{days}) ([1-9]|1[0-2])([0-5]\d)\b",
                  r"\1 \2:\3", text)
    # "1230 tmrw works", "drop off 730 wed": a time without its colon, then its day
    text = re.sub(rf"(?<![$#\d.,:/-])\b([1-9]|1[0-2])([0-5]\d) (?=(?:on )?(?:{days})\b)",
                  r"\1:\2 ", text)
    # "make it 2 not 1": the hour taken back goes (not "not 2 weeks out")
    text = re.sub(r"\b(?:not|instead of|rather than) (?:at )?(?:[1-9]|1[0-2])(?::[0-5]\d)?"
                  r"(?:\s*(?:am|pm))?\b(?!\s*(?:cars?|miles?|mi|k|people|kids|days?|weeks?|"
                  r"months?|hours?|hrs?|min))", " ", text)
    # "nah make it later, like 1", "say 2 then": an hour offered in passing is a time
    text = re.sub(r"\b(?:make it|like|say|maybe|how about|what about|prob|probably) "
                  r"([1-9]|1[0-2])(?=\s*(?:$|[,.!;]|then\b|instead\b|or\b|ish\b|sorry\b|"
                  r"pls\b|please\b|thanks\b|thx\b|if\b|since\b|because\b|cuz\b|bc\b|i\b))",
                  r"at \1", text)
    # "detailed before i turn it in next month. can i drop it off sat": a deadline, beside the
    # day asked
    if re.search(rf"\b(?:{days})\b", text):
        text = re.sub(r"\b(?:before|by|until|till|ahead of) (?:i |we )?(?:\w+ ){0,4}?"
                      r"(?:next|this) month\b", " ", text)
    text = re.sub(r"\bthis (morning|afternoon|evening)\b", r"today \1", text)
    text = re.sub(r"\b(end of|later in) the week\b", "late this week", text)
    text = re.sub(r"\b1st thing\b", "first thing", text)  # a time of day, not the 1st
    # "i get off at 5:30", "im off work at 5": the earliest they can come; "after i get off
    # work": after work.
    off = r"(?:i am|i'm|im|i get|i'll be|ill be|i|get|gets) off(?: work| of work)?"
    text = re.sub(rf"\b{off}(?: at| around)? (?=\d)", "after ", text)
    text = re.sub(rf"\b(?:after|once|when) {off}\b", "after work", text)
    # dateparser reads "in 2 weeks" but not "2 weeks from now" or "in a couple days".
    text = re.sub(r"\ba couple(?: of)? (?=(?:days?|weeks?|hours?|months?)\b)", "2 ", text)
    text = re.sub(r"\b(?:in )?(\w+) (days?|weeks?) from (?:now|today)\b", r"in \1 \2", text)
    return re.sub(r"\s+", " ", text).strip()


def thanksgiving(year: int) -> date:
    """The fourth Thursday of November."""
    first = date(year, 11, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 21)


def _week_after_thanksgiving(text: str, today: date) -> str:
    """"the week after thanksgiving", said in Thanksgiving week: next week."""
    monday = thanksgiving(today.year) - timedelta(days=3)
    if monday <= today <= monday + timedelta(days=6):
        return re.sub(r"\b(?:the )?week (?:after|following) thanksgiving\b", "next week", text)
    return text


def parse_when(text: str, now: datetime) -> When | None:
    """Reads `text` as of `now` (aware, in the dealership's zone); None when it names no time."""
    text = normalise(text)
    # "sometime next week, not monday": the day ruled out is no day asked for
    return ruled_out(_parse(NOT_ON_DAY.sub(" ", text), now), text)


def ruled_out(when: When | None, text: str) -> When | None:
    """`when` without the weekdays `text` rules out at the ends of its span of days ("next
    week, not monday" starts on Tuesday)."""
    days = {WEEKDAYS[d] for d in NOT_ON_DAY.findall(text.lower())}
    if when is None or not days or when.first_day is None or when.last_day is None or \
            when.first_day == when.last_day:
        return when
    first, last = when.first_day, when.last_day
    while first < last and first.weekday() in days:
        first += timedelta(days=1)
    while last > first and last.weekday() in days:
        last -= timedelta(days=1)
    return replace(when, first_day=first, last_day=last)


def _parse(text: str, now: datetime) -> When | None:
    today = now.date()
    text = _week_after_thanksgiving(text, today)
    if ASAP.search(text):
        # "the earliest tmrw": the first times of the day named; alone, the first anywhere
        days, _ = _take_days(ASAP.sub(" ", text), today)
        if isinstance(days, tuple):
            return When(first_day=days[0], last_day=days[1])
        return When(asap=True)
    day_part, rest = _take_days(text, today)
    if isinstance(day_part, When):  # a date that does not exist
        return day_part
    # A bare number is a time only beside a day ("tmrw 9"); alone it may be a choice ("2").
    at, earliest, latest = _take_time(rest, bare_hour=day_part is not None)
    if day_part is None and not (at or earliest or latest):
        return None
    first, last = day_part if day_part else (None, None)
    return When(first_day=first, last_day=last, at=at, earliest=earliest, latest=latest)


Days = tuple[date, date] | When  # a range of days, or When(no_such_date) for "feb 30"
Found = tuple[Days, str] | None  # the days read and the text left, or None: not this reader's


def _take_days(text: str, today: date) -> tuple[Days | None, str]:
    """The days `text` names, and the text that is left for the time of day.

    The readers are tried in order, the first that finds days wins: an explicit date wins over a
    weekday beside it ("thurs 12/3" is December 3rd).
    """
    for read in DAY_READERS:
        if found := read(text, today):
            return found
    return None, text


def _cut(text: str, match: re.Match) -> str:
    """`text` without what `match` read."""
    return (text[: match.start()] + " " + text[match.end():]).strip()


def _one_day(found: date | When) -> Days:
    return found if isinstance(found, When) else (found, found)


def _weekend(text: str, today: date) -> Found:
    if not (m := re.search(r"\b(this |next )?weekend\b", text)):
        return None
    saturday = today + timedelta(days=(5 - today.weekday()) % 7)
    if today.weekday() == 6:
        saturday = today - timedelta(days=1)
    if m.group(1) == "next ":
        saturday += timedelta(days=7)
    return (max(saturday, today), saturday + timedelta(days=1)), _cut(text, m)


def _month(text: str, today: date) -> Found:
    if not (m := re.search(r"\b(this|next) month\b", text)):
        return None
    start = today.replace(day=1)
    if m.group(1) == "next":
        start = (start + timedelta(days=32)).replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return (max(start, today), end), _cut(text, m)


def _end_of_month(text: str, today: date) -> Found:
    if not (m := re.search(r"\bend of (?:the |this )?month\b", text)):
        return None
    end = (today.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return (max(today, end - timedelta(days=6)), end), _cut(text, m)


def _week(text: str, today: date) -> Found:
    if not (m := re.search(r"\b(?:(early|mid|late|end of( the)?) )?(this|next) week\b", text)):
        return None
    monday = today - timedelta(days=today.weekday())
    if m.group(3) == "next":
        monday += timedelta(days=7)
    first, last = {"early": (0, 1), "mid": (1, 3), "late": (3, 5)}.get(
        m.group(1) or "", (3, 5) if m.group(1) else (0, 6))  # "end of" is late
    start, end = monday + timedelta(days=first), monday + timedelta(days=last)
    rest = _cut(text, m)
    if named := re.search(rf"\b({WEEKDAY_NAMES})\b", rest):
        # "next week, tue at 8": that week's Tuesday
        day = monday + timedelta(days=WEEKDAYS[named.group(1)])
        if day >= today:
            return (day, day), _cut(rest, named)
    return (max(start, today), max(end, today)), rest


def _weeks_from(text: str, today: date) -> Found:
    """"a week from thursday", "2 weeks from today"."""
    if not (m := re.search(r"\b(?:a|one|1|(two|2)) weeks? from (today|tomorrow|"
                           + "|".join(WEEKDAYS) + r")\b", text)):
        return None
    found, _ = _take_days(m.group(2), today)
    if not isinstance(found, tuple):
        return None
    weeks = timedelta(days=14 if m.group(1) else 7)
    return (found[0] + weeks, found[1] + weeks), _cut(text, m)


def _numeric_date(text: str, today: date) -> Found:
    """US month/day, with or without a year: "12/3", "12/3/26"."""
    if not (m := re.search(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?\b", text)):
        return None
    month, day_of_month = int(m.group(1)), int(m.group(2))
    year = int(m.group(3)) if m.group(3) else None
    if year is not None and year < 100:
        year += 2000
    return _one_day(_month_day(month, day_of_month, year, today)), _cut(text, m)


def _month_name_date(text: str, today: date) -> Found:
    """"dec 3rd", "january 15"."""
    if not (m := re.search(rf"\b({MONTHS})[a-z]*\.? (\d{{1,2}})(?:st|nd|rd|th)?\b", text)):
        return None
    month = dateparser.parse(m.group(1), languages=["en"]).month
    return _one_day(_month_day(month, int(m.group(2)), None, today)), _cut(text, m)


WEEKDAY_NAMES = "|".join(sorted(WEEKDAYS, key=len, reverse=True))  # longest first: "tues"
# A weekday ruled out: "not monday", "any day but wed", "except fridays".
NOT_ON_DAY = re.compile(rf"\b(?:not|any ?day but|anything but|except|excluding|other than)\s+"
                        rf"(?:on\s+)?"
                        rf"(?:a\s+)?({WEEKDAY_NAMES})(?:s\b|\b)")
# Any day named: a weekday, today or tomorrow, a month, a day of the month.
_A_DAY = re.compile(rf"\b({WEEKDAY_NAMES}|today|tomorrow|tmrw|jan|feb|mar|apr|may|jun|jul|aug|"
                    r"sep|sept|oct|nov|dec|\d{1,2}(?:st|nd|rd|th))\b")


# An ordinal that counts a thing, not a day: "for the 3rd time", "a 2nd key fob", "my 3rd
# recall letter", "the 2nd row".
NOT_AFTER_COUNTING = (r"(?<!\ba )(?<!\ban )(?<!\bmy )(?<!\byour )(?<!\bour )(?<!\bhis )"
                      r"(?<!\bher )(?<!\btheir )(?<!\banother )")
COUNTS_A_THING = (r"(?! (?:times?|key|keys|fob|fobs|row|opinion|car|cars|one|recall|letter|"
                  r"notice|visit|gear|owner|seat|tire|tires|set|floor|person|attempt|try|trip|"
                  r"lexus|vehicle|kid|child|payment|year|oil change|battery)\b)")


def _day_of_month(text: str, today: date) -> Found:
    """"the 5th" is the next 5th; it wins over a weekday beside it: "monday the 15th"."""
    if not (m := re.search(rf"(?:\b({WEEKDAY_NAMES}) )?\b(?:the )?{NOT_AFTER_COUNTING}"
                           rf"(\d{{1,2}})(st|nd|rd|th)\b{COUNTS_A_THING}", text)):
        return None
    found = _next_day_of_month(int(m.group(2)), today)
    if m.group(1) and isinstance(found, date):
        # "tuesday the 5th": the next 5th if it is a Tuesday, else the one after when that is
        # ("tuesday the 5th" said in late November is January 5th, not Saturday December 5th).
        wanted = WEEKDAYS[m.group(1)]
        after = _next_day_of_month(int(m.group(2)), found + timedelta(days=1))
        if found.weekday() != wanted and isinstance(after, date) and \
                after.weekday() == wanted and (after - found).days < 62:
            found = after
    return _one_day(found), _cut(text, m)


MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december")
PART_OF_MONTH = {"early": (1, 10), "beginning of": (1, 10), "start of": (1, 10),
                 "first week of": (1, 7), "second week of": (8, 14), "mid": (11, 20),
                 "middle of": (11, 20), "third week of": (15, 21), "late": (21, 31),
                 "end of": (21, 31), "last week of": (25, 31)}


def _month_named(text: str, today: date) -> Found:
    """"sometime in january", "first week of jan", "mid feb": days of a month named without a
    day ("may" only after "in" or "of": "may i come in" is no month)."""
    parts = "|".join(sorted(PART_OF_MONTH, key=len, reverse=True))
    names = "|".join(rf"{name[:3]}(?:{name[3:]})?" if name != "may" else "(?<=in |of )may"
                     for name in MONTH_NAMES).replace("sep(?:tember)", "sept?(?:ember)")
    if not (m := re.search(rf"\b(?:({parts})[ -])?(?:in |of )?({names})\b(?! ?\d)", text)):
        return None
    month = next(i for i, name in enumerate(MONTH_NAMES, 1) if name.startswith(m.group(2)[:3]))
    year = today.year + (month < today.month)
    last_of_month = (date(year, month, 28) + timedelta(days=4)).replace(day=1) - \
        timedelta(days=1)
    first, last = PART_OF_MONTH.get(m.group(1) or "", (1, 31))
    start = date(year, month, first)
    end = min(date(year, month, min(last, last_of_month.day)), last_of_month)
    return (max(start, today), max(end, today)), _cut(text, m)


def _weekday(text: str, today: date) -> Found:
    if not (m := re.search(rf"\b(this |next |on |the following |following )?({WEEKDAY_NAMES})"
                           r"( after next)?\b", text)):
        return None
    wanted = WEEKDAYS[m.group(2)]
    day = today + timedelta(days=(wanted - today.weekday()) % 7 or 7)
    if (m.group(1) == "next " or m.group(3)) and \
            day.isocalendar()[:2] == today.isocalendar()[:2]:
        day += timedelta(days=7)  # "next tue" said on a Monday is next week's Tuesday
    if m.group(3):
        day += timedelta(days=7)  # "monday after next": a week after next Monday
    elif m.group(1) and "following" in m.group(1):
        day += timedelta(days=7)  # "the following friday": the one after the coming one
    return (day, day), _cut(text, m)


# A time in the morning, said with "tonight", cannot be tonight's.
MORNING_TIME = re.compile(r"\b(?:\d{1,2}(?::\d\d)?\s*a\.?m\b|morning\b|first thing\b)")


def _relative_day(text: str, today: date) -> Found:
    """"tomorrow", "tonight", "in 3 days", as dateparser reads them."""
    if not (m := re.search(RELATIVE_DAYS, text)):
        return None
    if m.group(1) == "tonight" and MORNING_TIME.search(text):
        # "7am is good, ill have it towed over tonight": the morning time is the visit's, and
        # tonight when something else happens, not the visit's day
        return None
    word = "today" if m.group(1) == "tonight" else m.group(1)
    base = datetime.combine(today, time(12))
    parsed = dateparser.parse(word, languages=["en"], settings={
        "RELATIVE_BASE": base, "PREFER_DATES_FROM": "future"})
    if parsed is None:
        return None
    rest = _cut(text, m) + (" evening" if m.group(1) == "tonight" else "")
    return (parsed.date(), parsed.date()), rest


# Days the shop's calendar names: "thanksgiving", "christmas eve".
HOLIDAYS = r"thanksgiving(?: day)?|christmas(?: day| eve)?|xmas(?: eve)?|new year'?s(?: day| eve)?"


def _holiday(name: str, today: date) -> date:
    """The coming day a holiday's name names."""
    if name.startswith("thanksgiving"):
        day = thanksgiving(today.year)
        return day if day >= today else thanksgiving(today.year + 1)
    month, day_of_month = (12, 24) if name.endswith("eve") and not name.startswith("new") \
        else (12, 31) if name.endswith("eve") else (12, 25) if name[0] in "cx" else (1, 1)
    found = date(today.year, month, day_of_month)
    return found if found >= today else date(today.year + 1, month, day_of_month)


def _holiday_named(text: str, today: date) -> Found:
    if not (m := re.search(rf"\b(?:on )?({HOLIDAYS})\b", text)):
        return None
    day = _holiday(m.group(1), today)
    return (day, day), _cut(text, m)


# "before thanksgiving", "by friday", "after christmas": the days on one side of a day named
# (not "ill stop by sat": a visit that day).
AROUND_DAY = re.compile(rf"\b(before|(?<!stop )(?<!swing )(?<!come )(?<!drop )(?<!pop )(?<!go )"
                        rf"(?<!run )(?<!head )by|after) (?:the )?({WEEKDAY_NAMES}|{HOLIDAYS})\b")
DAYS_AFTER = 7  # "after thanksgiving": the week that follows


def _around_day(text: str, today: date) -> Found:
    if not (m := AROUND_DAY.search(text)):
        return None
    named = m.group(2)
    if named in WEEKDAYS:
        day = today + timedelta(days=(WEEKDAYS[named] - today.weekday()) % 7 or 7)
    else:
        day = _holiday(named, today)
    if m.group(1) == "after":
        return (day + timedelta(days=1), day + timedelta(days=DAYS_AFTER)), _cut(text, m)
    last = day - timedelta(days=1) if m.group(1) == "before" else day
    return ((today, last), _cut(text, m)) if last >= today else None


DAY_READERS: tuple[Callable[[str, date], Found], ...] = (
    _around_day, _weekend, _month, _end_of_month, _week, _weeks_from, _numeric_date,
    _month_name_date, _month_named, _holiday_named, _day_of_month, _weekday, _relative_day,
)


def _month_day(month: int, day_of_month: int, year: int | None, today: date) -> date | When:
    """A month and day (in the future unless a year is given); When(no_such_date) if none."""
    years = [year] if year else [today.year, today.year + 1]
    for candidate in years:
        try:
            found = date(candidate, month, day_of_month)
        except ValueError:
            return When(no_such_date=True)
        if year or found >= today:
            return found
    return found


def _next_day_of_month(day_of_month: int, today: date) -> date | When:
    if not 1 <= day_of_month <= 31:
        return When(no_such_date=True)
    year, month = today.year, today.month
    for _ in range(13):
        try:
            found = date(year, month, day_of_month)
        except ValueError:
            found = None
        if found and found >= today:
            return found
        month, year = (1, year + 1) if month == 12 else (month + 1, year)
    return When(no_such_date=True)


def _clock(hour: str, minute: str | None, meridiem: str | None) -> time | None:
    h, m = int(hour), int(minute or 0)
    if m > 59 or h > 23:
        return None
    if meridiem:
        if h > 12 or h == 0:
            return None
        pm = meridiem.startswith("p")
        h = (h % 12) + (12 if pm else 0)
    elif 1 <= h <= 6:
        h += 12  # nobody brings a car in at 2 in the night: "at 2" is 2 pm
    return time(h, m)


def _take_time(text: str, bare_hour: bool) -> tuple[time | None, time | None, time | None]:
    """(exact time, earliest, latest) named in `text`."""
    earliest = latest = None
    for period, (start, end) in PERIODS.items():
        if re.search(rf"\b{period}\b", text) and not (
                period == "lunch" and re.search(r"\bafter lunch\b", text)):
            earliest, latest = start, end
    if re.search(r"\bfirst thing\b|\bearly\b(?! afternoon| evening)", text):
        earliest, latest = time(0), time(10)
    if m := re.search(rf"\b(after|from|past|not before) {CLOCK}{CLOCK_END}", text):
        earliest = _clock(m.group(2), m.group(3), m.group(4))
        return None, earliest, latest
    if m := re.search(rf"\b(before|by|until|no later than) {CLOCK}{CLOCK_END}", text):
        latest = _clock(m.group(2), m.group(3), m.group(4))
        return None, earliest, latest
    if m := re.search(rf"(?:\bat |@ ?|\baround |\babout |^|\s){CLOCK}{CLOCK_END}", text):
        has_clock_shape = m.group(2) or m.group(3) or re.search(r"\bat |@|around|about",
                                                                m.group(0))
        if has_clock_shape or bare_hour:
            at = _clock(m.group(1), m.group(2), m.group(3))
            if at is not None:
                return at, None, None
    return None, earliest, latest


# What comes after it is asked only if the time before it cannot be had.
FALLBACK = re.compile(r"\b(?:if not|otherwise|or else|if that doesn'?t work|if thats full|"
                      r"if that'?s full|failing that)\b")


def best_reading(value: str, message: str, now: datetime) -> When | None:
    """The time asked for: the extracted phrase, or the whole message when it says more.

    The entity extractor may cut "tuesday at 10" to "tuesday" or to "10"; the whole message
    then carries the day and the hour that the phrase alone lost.
    """
    if value and message and any(value.lower().strip() in m.group(0)
                                 for m in CLASH.finditer(message.lower())):
        value = ""  # "gotta be at work by 9" cut to "by 9": a time the owner is busy, not asked
    fallback = FALLBACK.search(message.lower()) if message else None
    if fallback and value and value.lower().strip() in message.lower()[fallback.end():] and \
            (first := parse_when(message[:fallback.start()], now)) is not None:
        return first  # "today after 5? if not tmrw after 5" cut to the second: the first asked
    phrase = parse_when(value, now) if value else None
    whole = parse_when(message, now) if message and message != value else None
    if phrase is None or whole is None:
        return phrase or whole
    if whole.no_such_date and not phrase.has_day:
        # "feb 30 at 10" cut to "at 10": the day asked for does not exist, whatever the hour.
        return whole
    named = re.search(rf"\b({WEEKDAY_NAMES})\b", normalise(message))
    if named and not re.search(rf"\b({WEEKDAY_NAMES})\b", normalise(value)) and \
            phrase.first_day and whole.first_day and \
            phrase.first_day.weekday() != WEEKDAYS[named.group(1)] == whole.first_day.weekday():
        # "tuesday the 5th" cut to "the 5th": the weekday says which 5th.
        return whole
    week = re.compile(r"\b(?:next|this|the) week\b|\bweek (?:after|following)\b")
    if week.search(message.lower()) and not week.search(value.lower()) and whole.first_day and \
            whole.first_day == whole.last_day and whole.first_day != phrase.first_day:
        return whole  # "the week after thanksgiving, tue at 8" cut to "tue at 8": that week's
    if _corrected(message.lower()) != message.lower() and whole.at and whole.at != phrase.at:
        return whole  # "sat at 9, no wait make it 930" cut to "sat at 9": the time said last
    if whole.has_day and _day_given_up(message.lower()) != message.lower():
        return whole  # "scratch friday, sat morning is better" cut to "friday sat morning"
    if phrase.first_day and whole.first_day and whole.first_day == whole.last_day and \
            phrase.first_day == phrase.last_day and whole.first_day != phrase.first_day and \
            whole.first_day.weekday() == phrase.first_day.weekday():
        return whole  # "sat dec 5" cut to "sat": that Saturday, not the coming one
    if whole.at and not phrase.at and whole.first_day == phrase.first_day and \
            (phrase.earliest or time.min) <= whole.at <= (phrase.latest or time.max):
        return whole  # "sat morning, like 9" cut to "sat morning": the hour in that morning
    if phrase.has_day and whole.has_day and phrase.first_day and \
            whole.first_day == now.date() < phrase.first_day:
        # "slow to start this morning. can u test the battery tmrw?": the day the extractor
        # took is the one asked for; the other day told of something else
        return phrase
    if (whole.first_day, whole.last_day) == (phrase.first_day, phrase.last_day) and \
            not phrase.at and not whole.at and (whole.earliest or whole.latest) and \
            (phrase.earliest or time.min) <= (whole.earliest or time.min) and \
            (whole.latest or time.max) <= (phrase.latest or time.max) and \
            (whole.earliest, whole.latest) != (phrase.earliest, phrase.latest):
        # "after work sometime this week. i get off at 5" cut to "after work sometime this
        # week": the narrower window the whole text says, after 5
        return whole
    phrase_says = (phrase.has_day, phrase.at or phrase.earliest or phrase.latest)
    whole_says = (whole.has_day, whole.at or whole.earliest or whole.latest)
    return whole if sum(map(bool, whole_says)) > sum(map(bool, phrase_says)) else phrase


def on_offered_day(text: str, when: When | None, offered: list[datetime],
                   offers_made: bool = True) -> When | None:
    """A time of day said in answer to offered times is on the day offered: after "Sat at 8:00,
    8:30 or 9:00", "10am" or "9 is fine" asks for Saturday at 10 or 9, not tomorrow. With offers
    on several days, the first offer's day (they are the nearest to what was asked).
    `offers_made` is False when `offered` is the day of a visit being changed, not times
    offered: a weekday said then is the coming one."""
    if offered and when is not None and when.has_day:
        return _weekday_among_offers(text, when, offered) if offers_made else when
    if not offered or (when is not None and (when.asap or when.no_such_date)):
        return when
    if when is None or when.at is None:
        # A bare hour is a time here: "morning, 9 if you have it" asks for 9.
        said = normalise(text)
        if when is None and _take_days(said, offered[0].date())[0] is not None:
            return None
        at, earliest, latest = _take_time(said, bare_hour=True)
        if not (at or earliest or latest):
            return when
        when = When(at=at, earliest=earliest, latest=latest)
    day = offered[0].date()
    return replace(when, first_day=day, last_day=day)


def _weekday_among_offers(text: str, when: When, offered: list[datetime]) -> When:
    """A weekday said in answer to offers made for a later week is that week's: after "next
    week?" got Monday the 30th's times, "thurs" is Thursday the 3rd, not this Thursday."""
    said, first = normalise(text), offered[0].date()
    if when.first_day is None or when.first_day >= first or re.search(r"\bthis\b", said) or \
            (first - when.first_day).days > 14 or not re.search(rf"\b({WEEKDAY_NAMES})\b", said):
        return when  # offers weeks away (the last day bookable) are no week that was asked
    if (first - when.first_day).days <= 2:
        # The weekend just before offers that start Monday (Sunday was closed): "sat first
        # thing then" is this Saturday, not the one after the offers.
        return when
    if when.first_day.isocalendar()[:2] == first.isocalendar()[:2]:
        # Offers later in the same week (Thursday was closed, so Friday's): "wednesday then"
        # is this Wednesday, not the next.
        return when
    days, _ = _take_days(said, first - timedelta(days=1))
    if not isinstance(days, tuple) or (days[0] - when.first_day).days % 7 or \
            (days[0] - first).days > 6:
        return when
    return replace(when, first_day=days[0], last_day=days[1])


ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "two": 2, "third": 3,
            "3rd": 3, "three": 3}
# A pick of the times offered by its place is said in this many words at most.
PICK_IN_WORDS = 12
# What a number counts that is no place in a list: "two weeks", "three times".
COUNTED = r"(?:weeks?|days?|months?|years?|times?|hours?|hrs?|mins?|minutes?|miles?|cars?|kids?)"
FIRST_THING_ENDS = time(10)  # "first thing" is no later than this
# The first time of the day: "first thing", "whenever you open", "right when u open".
OPENING = re.compile(r"\bfirst thing\b|\b(?:when|whenever|as soon as|right when) "
                     r"(?:you|u|ya|y'?all) (?:guys )?open\b")
CHOICE = re.compile(r"(?:the )?(first|1st|second|2nd|third|3rd)(?: one| option| time| slot)?"
                    r"(?: (?:works|please|pls|is fine|is good|is great))?")


# A bare yes to the times offered ("yes", "sure that works", "perfect thx").
AGREED = re.compile(r"(?:yes|yeah|yea|yep|yup|ya|sure|ok|okay|k|kk|perfect|great|sounds good|"
                    r"that works|works|works for me|fine|thats fine|that's fine|good|cool|"
                    r"alright)(?: (?:yes|please|pls|thx|thanks|thank you|works|sounds good|"
                    r"perfect|that works|works for me|great))*")


# "ok that one.": the time just offered, agreed to beside something else.
THAT_ONE = re.compile(r"\W*(?:(?:ok|okay|yes|yeah|yep|sure|perfect|great)\W+)?(?:that one|"
                      r"that works|that time works)\b(?!\s*(?:too|either|as well|instead))"
                      r"(?!\W*(?:but|if)\b)")
A_WEEKDAY = re.compile(r"\b(?:today|tomorrow|tmrw|mon|tues?|wed|weds|thu|thurs?|fri|sat|sun)"
                       r"(?:day|nesday|rsday|urday)?\b")

# "the earliest one is fine": the first of the times offered, not the earliest anywhere.
EARLIEST_OFFERED = re.compile(r"\bthe (?:earliest|soonest|first available|first)(?: one| time| "
                              r"slot)?\b(?! thing)(?! (?:on|next)\b)"
                              # "whichever is earliest", "soonest pls", "earliest works"
                              r"|^(?:\w+ )?(?:whichever|whatever|which ?ever)? ?(?:is |one is |"
                              r"time is |'?s )?(?:earliest|soonest)(?: one| time| slot| pls| "
                              r"please| works| is fine| is good)*\W*$"
                              # "friday then, earliest u got", "soonest available"
                              r"|\b(?:earliest|soonest)(?: one| time| slot| opening)? (?:u|you|ya|"
                              r"y'?all) (?:got|have|can do|can fit)\b"
                              r"|\b(?:earliest|soonest) (?:available|possible|opening)\b"
                              # "fri then, as early as u can"
                              r"|\bas early as (?:possible|poss|you can|u can|ya can|y'?all can|"
                              r"you guys can|u guys can|you have|u have|you got|u got)\b")


def other_day_named(text: str, offered: list[datetime], today: date) -> bool:
    """Whether `text` names a day none of the times `offered` is on ("wed 7am then" to times
    offered on Friday)."""
    days, _ = _take_days(normalise(text), today)
    return isinstance(days, tuple) and not any(days[0] <= o.date() <= days[1] for o in offered)


def pick_offered(text: str, offered: list[datetime], today: date | None = None
                 ) -> datetime | None:
    """Which of the `offered` times a reply means: "2", "the first one", "last", "the 9:30",
    "fri at 10". Days are read as of `today`; without it, as of the day before the first offer,
    so that a weekday names the first such day offered."""
    if not offered:
        return None
    if AGREED.fullmatch(re.sub(r"[^\w' ]+", "", text.lower()).strip()) or (
            THAT_ONE.match(text.lower()) and not re.search(r"\d", text) and
            not A_WEEKDAY.search(text.lower())):
        # "yes" to the times offered, or "ok that one. and can i get a loaner?" after asking
        # for the earliest: the first, nearest what was asked
        return offered[0]
    today = today or offered[0].date() - timedelta(days=1)
    said = normalise(text)
    # "the 2nd one": the second time offered, not the 2nd of the month
    if m := CHOICE.fullmatch(said):
        index = ORDINALS[m.group(1)]
        return offered[index - 1] if index <= len(offered) else None
    days, rest = _take_days(said, today)
    if isinstance(days, tuple) and not any(days[0] <= o.date() <= days[1] for o in offered):
        return None  # "sat first thing then" to times offered on monday: another day asked
    if EARLIEST_OFFERED.search(text.lower()):
        return offered[0]  # "the earliest one is fine"
    if OPENING.search(said) and not _take_time(rest, bare_hour=False)[0]:
        # "fri first thing then, whenever u open": the earliest offered (on the day said)
        return next((o for o in offered if o.time() < FIRST_THING_ENDS and (
            not isinstance(days, tuple) or days[0] <= o.date() <= days[1])), None)
    if m := re.fullmatch(r"(?:option |number |#)?(\d)(?:\s*(?:pls|please|works|is fine))?",
                         said):
        index = int(m.group(1))
        if 1 <= index <= len(offered):
            return offered[index - 1]
    # Which one, said in a few words ("the later one", "second works"), not a word of a story
    # ("...for about two weeks", "...since last month").
    short = len(said.split()) <= PICK_IN_WORDS
    if short and re.search(rf"\blast\b(?! {COUNTED}| night| weekend| visit| service)|"
                           r"\blatest\b|\blater (?:one|time|slot)\b", said):
        return offered[-1]  # "the later one"
    for word, index in ORDINALS.items():
        # "first thing, like 7:30" is a time of day, not the first one offered
        if short and re.search(rf"\b{word}\b(?! thing| {COUNTED})", said) and \
                index <= len(offered):
            return offered[index - 1]
    # "the 9:30", "10am works", "fri at 10": a time (on the day said) that only one offer has
    at, _, _ = _take_time(rest, bare_hour=True)
    if at is not None and not isinstance(days, When):
        same = [o for o in offered if o.time() == at
                and (days is None or days[0] <= o.date() <= days[1])]
        if len(same) == 1:
            return same[0]
    return None


# A move said against the visit's own time: "push tmrw back an hour", "30 min earlier", "same
# time next week".
_AMOUNT = (r"\b(an?|one|two|three|half an?|\d{1,3})\s*"
           r"(hours?|hrs?|minutes?|mins?)\b")
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3}
_LATER = re.compile(r"\b(back|later|push(ed)?|after)\b")
_EARLIER = re.compile(r"\b(earlier|up|sooner|forward)\b")
_NEXT_WEEK = re.compile(r"\bsame (time|slot)\b.*\bnext (week|wk)\b|\bnext (week|wk)\b.*\bsame "
                        r"(time|slot)\b|\ba week later\b|\bpush(ed)? (it )?(back )?a week\b")


def shift_asked(text: str) -> timedelta | None:
    """How far a move said against the visit's time shifts it ("back an hour": +1 h), or None
    when the text says no such shift."""
    said = text.lower()
    if _NEXT_WEEK.search(said):
        return timedelta(days=7)
    found = re.search(_AMOUNT, said)
    if found is None:
        return None
    number, unit = found.group(1), found.group(2)
    if number.startswith("half"):
        amount = timedelta(minutes=30)
    else:
        count = _NUMBERS.get(number) or int(number)
        amount = timedelta(hours=count) if unit.startswith("h") else timedelta(minutes=count)
    # the direction said next to the amount ("came up tmrw, can we push it back an hour")
    near = re.sub(r"\b(came|comes|coming|come) up\b", " ", said[max(0, found.start() - 20):
                                                                 found.end() + 15])
    later, earlier = _LATER.search(near), _EARLIER.search(near)
    if bool(later) == bool(earlier) or not timedelta(minutes=15) <= amount <= timedelta(hours=8):
        return None
    return amount if later else -amount
