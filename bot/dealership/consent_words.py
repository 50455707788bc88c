"""Reading consent in the owner's own words, without a classifier's confidence.

An opt-out changes what the dealership may send, so it is taken at once only when the words
leave no doubt: a revocation keyword on its own ("STOP", "opt out"), or a short sentence that
asks to stop the texts and asks nothing else ("please stop texting me", "remove my number from
your list"). Anything else that looked like an opt-out is asked about first.

A timing wish ("don't text me before 9am", "only text me on weekdays") is not an opt-out: it is
read into the hours the owner may be texted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The FCC's revocation words (and CTIA's STOPALL), as a whole message.
KEYWORDS = frozenset({"stop", "stopall", "quit", "end", "revoke", "cancel", "unsubscribe",
                      "optout", "opt out", "opt-out"})
# Words that make a message no plainer: "please stop", "ok STOP!!".
_FILLER = {"please", "pls", "plz", "ok", "okay", "just", "now", "thanks", "thank", "you", "thx",
           "hi", "hey", "sorry", "already", "seriously", "lol"}

_TEXTS = r"(?:texts?|texting|txts?|txting|texted|messages?|messaging|msgs?|sms|contacting)"
_NUMBER = r"(?:my (?:phone |cell |mobile )?(?:number|phone|cell)|" \
          r"this (?:phone|number|phone number)|my #|this #)"
_ME = rf"(?:me|{_NUMBER})"
_NOT = r"(?:don't|dont|do not|never|no longer|not)"
# "... of your text list", "... from all sms alerts", or nothing more: what is left is the texts.
_FROM_NAMED = (r"(?: (?:of|from))?(?: (?:your|ur|the|this|that|all|these|those|my|sms|text|"
               r"texting|txt|mailing|contact|reminder|service|please|pls|plz|asap|now))*"
               rf" (?:lists?|{_TEXTS}|system|database|contacts|alerts|notifications|"
               r"communications?|of it|everything|it all)\b")
_FROM_TEXTS = rf"(?:{_FROM_NAMED}|(?: (?:please|pls|plz|asap|now))*$)"
_CLEAR = [re.compile(p) for p in (
    # stop texting me, quit messaging me, stop sending me texts, discontinue all text messages
    rf"\b(?:stop|quit|cease|discontinue|halt)\b(?: \S+){{0,3}} {_TEXTS}\b",
    rf"\b(?:stop|quit|cease|discontinue|halt)\b(?: \S+){{0,2}} (?:sending|contacting) (?:{_ME}|"
    rf"these|them)\b",
    # unsubscribe me, opt me out of all text communication (not "unsubscribe me from spotify")
    rf"\b(?:unsubscribe|opt(?: me)?[ -]?out)\b(?: me)?{_FROM_TEXTS}",
    # remove my number, delete my number from your system, lose my number
    rf"\b(?:remove|delete|lose|drop|erase)\b (?:{_NUMBER})\b",
    # remove me from your list, take me off your texts, pull my number off ur texting list
    # (not "take me out of whisper mode", "remove me from the group chat")
    rf"\b(?:remove|delete|take|pull)\b (?:{_ME}) (?:off|out|from){_FROM_TEXTS}",
    # (a list named: "get me off this list", not "my wife can drop me off")
    rf"\b(?:drop|get)\b (?:{_ME}) (?:off|out|from){_FROM_NAMED}",
    # don't text me anymore, do not contact me again, i dont want these messages
    rf"\b{_NOT} (?:text|txt|message|msg|contact|sms)\b",
    rf"\b{_NOT} want (?:\S+ ){{0,3}}{_TEXTS}\b",
    rf"\bno more {_TEXTS}\b",
)]
_OTHER_REQUEST = re.compile(
    r"\b(?:book|booking|appointment|appt|appts|schedule|reschedule|move|loaner|recall|oil|"
    # ("i'll call when i need something": the owner will call, nothing more is asked)
    r"tires?|brakes?|price|cost|(?<!i'll )(?<!ill )(?<!i will )call|email|instead|somebody|"
    r"someone|person|human|agent|"
    r"representative|manager|advisor)\b")
# Whatever asks for something else, narrows the opt-out to some texts, or hinges on a condition:
# such a message is asked about, never acted on at once.
_DOUBT = [re.compile(p) for p in (
    r"\d",
    r"\b(?:before|after|until|till|til|between|during|am|pm|morning|mornings|afternoons?|"
    r"evenings?|nights?|tonight|today|tomorrow|tmrw|weekends?|weekdays?|mondays?|tuesdays?|"
    r"wednesdays?|thursdays?|fridays?|saturdays?|sundays?|early|late|hours?|noon|midnight|"
    r"mon|tues?|wed|weds|thu|thur|thurs|fri|sat|sun|tmr|tmrw|tomorow|tomm?orr?ow|next|week|"
    r"first thing)\b",
    r"\b(?:reminders?|promos?|promotions?|promotional|marketing|ads|offers|deals|coupons|"
    r"surveys?|newsletters?)\b",
    _OTHER_REQUEST.pattern,
    r"\b(?:only|except|unless|if)\b",
    r"\b(?:how|what|why|when|where|which|whether|is there)\b",
)]
# "don't stop", "i do not want to unsubscribe" (within one clause: "this is not me, remove my
# number" is plain)
_NEGATED = re.compile(rf"\b{_NOT}(?: \S+){{0,3}} (?:stop|unsubscribe|opt|remove|quit|cancel|end)\b")
# Words that ask nothing: "actually you know what, just unsubscribe me".
_ASIDES = re.compile(r"\b(?:you|ya|y'?all) know what\b")
_WILL_CALL = re.compile(r"\b(?:i'?ll|ill|i will) (?:just )?(?:call|phone)\b.*$")
_LONGEST = 25  # words: a long message is a story, and may ask for more than it seems


def _normal(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub(r"[^\w'#\- ]+", " ", text)  # punctuation and emoji go
    return re.sub(r"\s+", " ", text).strip()


def stops_in_words(text: str) -> bool:
    """An unmistakable opt-out that is not a bare CANCEL or END said with a please ("pls
    cancel" mid-booking is about the visit): to be honoured whatever else it was read as."""
    words = " ".join(w for w in _normal(text).split() if w not in _FILLER)
    return words not in {"cancel", "end"} and clear_opt_out(text)


def is_keyword(text: str) -> bool:
    """A revocation word on its own, give or take punctuation and a please ("STOP!", "pls stop")."""
    words = [w for w in _normal(text).split() if w not in _FILLER]
    return " ".join(words) in KEYWORDS


def clear_opt_out(text: str) -> bool:
    """True when `text` unmistakably asks the dealership to stop texting."""
    if is_keyword(text):
        return True
    # ("... i'll call when i need something": how the owner will reach us, no request)
    said = _ASIDES.sub(" ", _WILL_CALL.sub(" ", _normal(text))).strip()
    if not said or len(said.split()) > _LONGEST or any(p.search(said) for p in _DOUBT):
        return False
    clauses = [c for c in re.split(r"[,.;!?\n]+", text) if c.strip()]
    if any(_NEGATED.search(_normal(c)) for c in clauses):
        return False
    # "..., stop": a clause that is a keyword on its own ("wrong number, stop"). Not CANCEL or
    # END: "won't make it, please cancel" is about the appointment.
    last = " ".join(w for w in _normal(clauses[-1]).split() if w not in _FILLER) if clauses else ""
    if last in KEYWORDS - {"cancel", "end"}:
        return True
    return any(p.search(said) for p in _CLEAR)


@dataclass(frozen=True)
class TextHours:
    """When the owner may be texted what they did not just ask for: from `earliest` o'clock to
    `latest` o'clock local time (None: no limit), on weekdays only or every day."""

    earliest: int | None = None
    latest: int | None = None
    weekdays_only: bool = False

    def allows(self, hour: int, minute: int, weekday: int) -> bool:
        """Whether a text may go at hour:minute on `weekday` (Monday is 0)."""
        if self.weekdays_only and weekday >= 5:
            return False
        if self.earliest is not None and hour < self.earliest:
            return False
        return self.latest is None or hour < self.latest or (hour == self.latest and minute == 0)

    def joined(self, kept: TextHours) -> TextHours:
        """These limits added to the ones `kept` ("no weekends", then "nothing after 7pm")."""
        return TextHours(self.earliest if self.earliest is not None else kept.earliest,
                         self.latest if self.latest is not None else kept.latest,
                         self.weekdays_only or kept.weekdays_only)

    def describe(self) -> str:
        """ "on weekdays, between 9 AM and 8 PM" """
        parts = ["on weekdays"] if self.weekdays_only else []
        if self.earliest is not None and self.latest is not None:
            parts.append(f"between {_clock(self.earliest)} and {_clock(self.latest)}")
        elif self.earliest is not None:
            parts.append(f"after {_clock(self.earliest)}")
        elif self.latest is not None:
            parts.append(f"before {_clock(self.latest)}")
        return ", ".join(parts)


def _clock(hour: int) -> str:
    if hour in (0, 24):
        return "midnight"
    if hour == 12:
        return "noon"
    return f"{hour % 12} {'AM' if hour < 12 else 'PM'}"


# A time of day: an hour with optional minutes and am/pm, noon or midnight (3 groups).
_AT = r"(?:(\d{1,2}(?::\d\d)?) ?(am|a\.m\.|pm|p\.m\.)?(?![\w:])|(noon|midnight))"
_WISH = re.compile(rf"\b(?:{_NOT}|no|only|just|nothing|none)\b|"
                   r"\b(?:stop|quit) (?:texting|txting|messaging|sending)(?: \S+){0,2} "
                   r"(?:at|so early|so late|this early|that early)\b")
# "after 9 is fine": the time texts may start, not the time they must stop.
_FINE_AFTER = re.compile(rf"\b(?:after|from|past) {_AT} (?:is|would be|'s|works|) ?"
                         r"(?:fine|ok|okay|good|better|great|works)\b")
_TEXTING = re.compile(rf"\b(?:{_TEXTS}|text|txt|message|msg|contact|reach|hear from|send|"
                      r"reminders?)\b")
_ONE_DAY = re.compile(r"\b(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?s?\b")


def _hour(number: str | None, half: str | None, word: str | None, default_pm: bool) -> int | None:
    """The whole hour (0-24) a limit means. `default_pm`: "after 8" is the evening, "before 9"
    the morning. Minutes round towards the quiet side: "not before 7:30" is from 8."""
    if word:
        return 12 if word == "noon" else 24
    assert number is not None  # _AT has a number where it has no word
    hour_text, _, minutes = number.partition(":")
    hour, minute = int(hour_text), int(minutes or 0)
    if not 1 <= hour <= 12 or minute > 59:
        return None
    if half:
        pm = half.startswith("p")
    elif hour == 12:
        pm = True  # "before 12": noon
    else:
        pm = default_pm or hour < 6  # "before 5": 5 PM
    hour = hour % 12 + (12 if pm else 0)
    return hour + 1 if minute and not default_pm else hour


# The sentences of a text, and a wish joined on with "oh and", "also", "btw".
_CLAUSES = re.compile(r"(?<=[.!?;])\s+|\s*\b(?:oh and|and also|also|btw|ps)\b\s*")
# Texts still wanted: "but i still want the reminders, just later".
# (not "i keep getting texts about a lexus": texts that come and are not wanted)
_KEEPS_TEXTS = re.compile(r"\b(?:still want|(?<!\bi )(?<!\bwe )keep (?:getting|sending|the)|"
                          r"don'?t stop|do not stop|want to keep|still (?:get|send))\b")


# What the dealership texts, asked: "what kinda texts will i get? dont want ads"; or ads refused
# as if they were sent ("can u stop sending me the promo texts?"): there are none.
_TEXTS_ASKED = re.compile(r"\b(?:stop|no|no more|don'?t|do not|quit|unsubscribe|opt (?:me )?out)\b"
                          r"(?:[ /]\S+?){0,5}?[ /](?:promos?|promotions?|promotional|marketing|ads|"
                          r"advertising|deals|offers|coupons|newsletters?|spam|"
                          r"sales (?:stuff|texts?|junk|pitch\w*))\b|"
                          # "only texts about my car pls"
                          r"\bonly (?:texts?|txts?|messages?|msgs?|text me|txt me|message me) "
                          r"(?:about|for|re|on) (?:my|the|our) (?:car|vehicle|service|appts?|"
                          r"appointments?|visits?)\b|"
                          r"\bwhat (?:kind|kinda|sort|type)s?(?: of)? (?:texts?|messages?|msgs?)\b|"
                          r"\bwhat (?:texts?|messages?|msgs?) (?:will|do|would|are)\b|"
                          r"\bwhat (?:do|will|would) (?:you|u|y'?all) (?:text|send)\b")


# Texts wanted: "can i get my reminders by text?", "sign me up for the texts", "keep em coming"
# (not "i dont want the texts").
_WANTS_TEXTS = re.compile(
    r"\b(?:can|could|do|will|would|should) (?:i|we) (?:still )?(?:get|receive|have)\b(?: \S+){0,3} "
    r"(?:reminders?|texts?|updates?|notifications?|alerts?)\b|"
    r"\bsign (?:me )?up\b(?: \S+){0,3} (?:texts?|reminders?|updates?|alerts?)\b|"
    # "can you text me service reminders", "can u text me when my car is ready"
    r"\b(?:can|could|will|would|pls|please) (?:you|u|ya|y'?all|you guys|u guys) (?:text|txt|"
    r"message|send)(?: me)?(?: \S+){0,3} (?:reminders?|updates?|alerts?|notifications?)\b|"
    r"\b(?:text|txt|message) me (?:when|once|as soon as)\b(?: \S+){0,4} (?:ready|done|"
    r"finished)\b|"
    r"\b(?:i'?ll|ill|i will|i'd|id|i) still (?:get|be getting|receive)\b|"
    r"\bkeep (?:em|them|'em|those|these|it|the texts?|the reminders?)(?: \S+)? coming\b|"
    r"\b(?:want|like|love) (?:to (?:get|keep getting) |getting )?(?:the |your |my )?"
    r"(?:texts?|reminders?|text reminders?)\b")
_REFUSED = re.compile(rf"\b{_NOT}(?: \S+){{0,2}} (?:want|like|need|wanna)\b|\bstop\b")
# What STOP does, asked: "what happens if i text stop, do i lose my appts".
_STOP_ASKED = re.compile(r"\b(?:what happens|what if|if i|will i|do i|does it)\b.*"
                         r"\b(?:stop|unsubscribe|opt(?:[ -]?out)?)\b|"
                         r"\b(?:stop|unsubscribe|opting out)\b.*\b(?:lose|cancel|still|keep)\b.*\?")
# A limit just kept, said again with another time: "actually make it 10", "10am instead".
_CHANGED = re.compile(r"\b(?:make (?:it|that)|change (?:it|that)(?: to)?|actually|instead|"
                      r"rather|move (?:it|that) to)\b")


# What the texts are called ("keep em coming" of them just spoken of).
_THE_TEXTS = re.compile(r"\b(?:texts?|txts?|texting|reminders?|updates?|messages?|msgs?|alerts?|"
                        r"notifications?|em|them|'em)\b")


# The replies (by response name) a timing wish said short may follow and be of the texts ("but
# not before 8am pls" once told the texts are on).
HOURS_FOLLOW = ("utter_text_hours_saved", "utter_texts_we_send", "utter_texts_on",
                "utter_texts_on_hours")


def _other_than_a_change(said: str) -> bool:
    """Whether a change said short asks for something else ("book me at 10 instead")."""
    return bool(_OTHER_REQUEST.search(re.sub(r"\binstead\b", "", said)))


def wants_texts(text: str) -> bool:
    """The owner asks to get the dealership's texts, or says they still want them ("keep the
    shuttle" is not of texts)."""
    said = text.lower().replace("\u2019", "'")
    if not _THE_TEXTS.search(said):
        return False
    if _REFUSED.search(said) and not re.search(r"\b(?:dont|don't|do not) stop\b", said):
        return keeps_texts(text)
    return bool(_WANTS_TEXTS.search(said)) or keeps_texts(text)


def stop_asked(text: str) -> bool:
    """The owner asks what texting STOP would do."""
    return bool(_STOP_ASKED.search(text.lower())) and not clear_opt_out(text)


def hours_changed(text: str, kept: TextHours) -> TextHours | None:
    """The hours kept, with the limit just set moved to the one time `text` names ("actually
    make it 10": from 10 AM instead of 9); None when it names no change of one time."""
    said = text.lower().replace("\u2019", "'")
    times = [t for t in re.finditer(_AT, said) if t.group(1) or t.group(3)]
    if not _CHANGED.search(said) or len(times) != 1 or _other_than_a_change(said):
        return None
    t = times[0]
    evening = (t.group(2) or "").startswith("p")
    if kept.earliest is not None and (kept.latest is None or not evening):
        hour = _hour(t.group(1), t.group(2), t.group(3), default_pm=False)
        return None if hour is None else TextHours(hour, kept.latest, kept.weekdays_only)
    if kept.latest is not None:
        hour = _hour(t.group(1), t.group(2), t.group(3), default_pm=True)
        return None if hour is None else TextHours(kept.earliest, hour, kept.weekdays_only)
    return None


def about_texts(text: str, hours_just_kept: bool) -> bool:
    """Whether `text` speaks of the dealership's texts in a way consent reads: what STOP does,
    texts wanted or asked about, a timing wish; and right after hours were kept, a wish or a
    change of them said short ("and nothing after 7pm either", "actually make it 10")."""
    if stop_asked(text) or wants_texts(text) or texts_asked(text) or text_hours(text):
        return True
    if not hours_just_kept:
        return False
    said = text.lower()
    return text_hours(f"{text} (texts)") is not None or (
        bool(_CHANGED.search(said)) and len(re.findall(_AT, said)) == 1
        and not _other_than_a_change(said))


def texts_asked(text: str) -> bool:
    """The owner asks what texts the dealership sends."""
    return bool(_TEXTS_ASKED.search(text.lower()))


def keeps_texts(text: str) -> bool:
    """The owner says they still want the dealership's texts."""
    return bool(_KEEPS_TEXTS.search(text.lower()))


def text_hours(text: str) -> TextHours | None:
    """The hours a timing wish allows ("no texts after 8pm please": until 8 PM), or None when
    `text` is not one. It needs a wish ("don't", "no", "only") about texts, and a time or days;
    read whole, else sentence by sentence ("oil change fri at 10. oh and pls dont text me
    before 10am": after 10 AM)."""
    if (whole := _wish(text)) is not None:
        # "not before 8am pls. actually make it 9": the time said last
        said = text.lower().replace("\u2019", "'")
        change = _CHANGED.search(said)
        later = hours_changed(said[change.start():], whole) if change else None
        return later or whole
    clauses = [c for c in _CLAUSES.split(text) if c and c.strip()]
    found = [hours for c in clauses if len(clauses) > 1 and (hours := _wish(c)) is not None]
    if not found and len(clauses) > 1 and wants_texts(text):
        # "can u text me reminders before appts? just not before 9am pls": the wish is of the
        # texts the same text asks for, though its sentence does not name them
        found = [hours for c in clauses if (hours := _wish(f"{c} (texts)")) is not None]
    return found[0] if len(found) == 1 else None


def _wish(text: str) -> TextHours | None:
    said = re.sub(r"\bb4\b", "before", text.lower().replace("\u2019", "'"))
    if not (_WISH.search(said) and _TEXTING.search(said)):
        return None
    earliest = latest = None
    if _OTHER_REQUEST.search(said):
        return None  # "book me before 9am": a request with a time in it, not a wish
    if _ONE_DAY.search(said) and not re.search(r"\bmon(?:day)? ?(?:-|to|thru|through) ?fri",
                                                said):
        return None  # "not before 9 on saturdays": hours for some days only, not kept here
    if m := re.search(rf"\bbetween {_AT} (?:and|to|-) ?{_AT}", said):
        first = _hour(m.group(1), m.group(2), m.group(3), default_pm=False)
        second = _hour(m.group(4), m.group(5), m.group(6), default_pm=True)
        if re.search(rf"\b(?:{_NOT}|no)\b(?: \S+){{0,4}} between\b", said):
            # "no texts between 9pm and 8am": the quiet hours; texts go from 8 AM to 9 PM
            first = _hour(m.group(4), m.group(5), m.group(6), default_pm=False)
            second = _hour(m.group(1), m.group(2), m.group(3), default_pm=True)
        earliest, latest = first, second
    elif m := _FINE_AFTER.search(said):
        earliest = _hour(m.group(1), m.group(2), m.group(3), default_pm=False)
    else:
        if m := re.search(rf"\b(?:before|until|till|til|earlier than) {_AT}", said):
            earliest = _hour(m.group(1), m.group(2), m.group(3), default_pm=False)
        after = re.search(rf"\b(?:after|later than|past) {_AT}", said)
        if after:
            latest = _hour(after.group(1), after.group(2), after.group(3), default_pm=True)
        if re.search(r"\bonly\b", said) and (earliest, latest) != (None, None) and \
                re.search(r"\bonly\b(?: \S+){0,4} (?:before|until|till)\b", said):
            # "only text me before 6pm": the limit is the latest, not the earliest
            earliest, latest = None, earliest
        elif after and re.search(r"\bonly\b(?: \S+){0,4} after\b", said):
            # "can u only text me after 9": when texts may start, the morning's 9
            earliest = _hour(after.group(1), after.group(2), after.group(3), default_pm=False)
            latest = None
    weekdays_only = bool(re.search(
        r"\b(?:only|just)\b(?: \S+){0,4} (?:on )?(?:weekdays|week days|mon(?:day)? ?(?:-|to|thru|"
        r"through) ?fri(?:day)?)\b|\b(?:on|during) (?:the )?weekdays only\b|"
        rf"\b(?:{_NOT}|no)\b(?: \S+){{0,4}} (?:on |during |over )?(?:the )?weekends?\b|"
        r"\bweekdays only\b", said))
    if earliest is None and latest is None and not weekdays_only:
        return None
    if earliest is not None and latest is not None and earliest >= latest:
        return None  # "not after 9am or before 8pm": not a window we can read
    return TextHours(earliest, latest, weekdays_only)
