"""A guest's name in what they text: given before it is asked ("hi im sam reyes. can i book…",
"oil change sat 9am. im rachel kim, 2021 es 350") or answered to the name question with more
beside it ("mike ortiz, its a 2019 es 300h")."""

from __future__ import annotations

import re

# Words no name holds: a question's, a request's, a pronoun.
NOT_IN_NAMES = {"what", "where", "when", "how", "why", "who", "which", "do", "does", "did",
                "can", "could", "is", "are", "you", "your", "u", "ur", "r", "open", "hours",
                "pay", "the", "a", "an", "my", "i", "me", "not", "no", "yes", "cancel", "stop",
                "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
                "today", "tomorrow", "tmrw", "asap", "morning", "afternoon", "evening", "noon",
                "ok", "okay", "sure", "thanks", "thx", "hi", "hey", "hello", "lol", "oh", "ugh",
                "actually", "wait", "loaner", "shuttle", "oil", "change", "right", "correct",
                "yep", "yeah", "yup", "nope", "nah", "thats", "that's", "that", "perfect",
                "works", "fine", "good", "great", "cool", "k", "kk", "sounds", "go", "ahead",
                "im", "here", "we", "name", "names", "its", "it's", "this", "put", "under",
                "call"}

# "i'm", "this is", "it's" or "my name is" and up to three words, ending the sentence or a clause.
INTRODUCED = re.compile(r"\s*(?:(?:hi|hey|hello|good (?:morning|afternoon|evening))[\s,!.]+)?"
                        r"(?P<how>i'?m|i am|this is|it'?s|its|(?:my |the )?name(?: is|'?s)|"
                        r"call me|put it under|(?:put it )?under the name|under)\s+"
                        r"(?P<name>[A-Za-z][A-Za-z'.-]*(?:\s+[A-Za-z][A-Za-z'.-]*){0,2})\s*"
                        r"(?:[,.!;]|$)",
                        re.IGNORECASE)
# Words that say what follows is the name, so a first name alone is one.
NAME_SAID = re.compile(r"(?:my |the )?name(?: is|'?s)|call me|put it under|(?:put it )?under the "
                       r"name|under")
# "hi, carlos reyes here.": a name and "here", ending the sentence or a clause.
HERE = re.compile(r"\s*(?:(?:hi|hey|hello)[\s,!.]+)?"
                  r"(?P<name>[A-Za-z][A-Za-z'.-]*\s+[A-Za-z][A-Za-z'.-]*)\s+here\s*(?:[,.!;]|$)",
                  re.IGNORECASE)
# What follows "i'm" that is no name: "im good, thanks", "im running late."
NOT_INTRODUCED = {"good", "fine", "ok", "okay", "here", "back", "looking", "trying", "sorry",
                  "wondering", "interested", "new", "just", "still", "calling", "texting",
                  "ready", "done", "free", "available", "late", "running", "on", "at", "in",
                  "outside", "almost", "coming", "leaving", "waiting", "great", "well", "also",
                  "so", "really", "very", "sure", "thinking", "hoping", "stuck", "having",
                  "a", "an", "the", "my", "your", "that", "this", "it", "not", "too", "out",
                  "off", "home", "driving", "busy", "gonna", "going", "headed", "booked"}
SENTENCES = re.compile(r"(?<=[.!?;])\s+")
CLAUSE_END = re.compile(r"[,;.]")


def looks_like_name(text: str) -> bool:
    """One to four plain words, none of them a question's: "Lena Park", "o'neil", "Mary-Jo",
    "José García"."""
    words = text.strip().split()
    return (1 <= len(words) <= 4 and "?" not in text
            and all(re.fullmatch(r"[^\W\d_](?:[^\W\d_]|['.-])*", w) for w in words)
            and not {w.lower().strip(".") for w in words} & NOT_IN_NAMES)


def full_name(words: str) -> bool:
    """"its mike reyes" ending a text: a first and last name, not "its making noise"."""
    said = words.split()
    return 2 <= len(said) <= 3 and not any(w.lower().endswith(("ing", "ed")) for w in said)


# Words a text trails after a name that are no part of it: "this is jordan btw".
FILLERS = {"btw", "please", "pls", "plz", "thanks", "thx", "ty", "lol", "haha", "here"}


def without_fillers(name: str) -> str:
    words = name.split()
    while len(words) > 1 and words[-1].lower() in FILLERS:
        words.pop()
    return " ".join(words)


def introduced(text: str, asked: bool = False) -> str | None:
    """The name a guest gives of themselves at the start of any sentence of the text: "hi im
    sam reyes.", "ugh ok friday at 8 then. im jen park, 2020 rx", "… ill wait. its sam lee"."""
    for sentence in SENTENCES.split(text):
        found = INTRODUCED.match(sentence) or HERE.match(sentence)
        if not found:
            continue
        name = without_fillers(found.group("name").rstrip("."))
        # ("name's jordan", "put it under jordan": a first name alone, said to be the name)
        said_so = found.groupdict().get("how") is not None and \
            NAME_SAID.fullmatch(found.group("how").lower()) is not None
        if looks_like_name(name) and not set(name.lower().split()) & NOT_INTRODUCED and \
                (found.group(0).rstrip()[-1:] in ",.!;" or full_name(name) or said_so or
                 asked and len(name.split()) == 1):
            return name
    # "its a 2018 es 350, name's tom reyes": said to be the name, after a comma
    for clause in re.split(r",\s*", text)[1:]:
        found = INTRODUCED.match(clause)
        if found and found.group("how").lower() != "under" and \
                NAME_SAID.fullmatch(found.group("how").lower()):
            name = without_fillers(found.group("name").rstrip("."))
            if looks_like_name(name) and not set(name.lower().split()) & NOT_INTRODUCED:
                return name
    return None


def answered(text: str) -> str | None:
    """The name answered to the name question: the whole text ("Lena Park"), or its first
    clause when more follows it ("mike ortiz, its a 2019 es 300h"), or one introduced."""
    if name := introduced(text, asked=True):
        return name
    if looks_like_name(text):
        return text.strip()
    first = CLAUSE_END.split(text, maxsplit=1)[0]
    return first.strip() if first != text and full_name(first) and looks_like_name(first) \
        else None


# Short sentences that open a text and look like two names but are not: "got it.", "no worries."
NOT_A_NAME_FIRST = {"got", "it", "never", "mind", "all", "set", "same", "time", "worries",
                    "sorry", "thank", "thanks", "nice", "awesome", "sweet", "bet", "word", "true",
                    "makes", "sense", "fair", "enough", "well", "alright", "deal", "done", "one",
                    "sec", "hold", "on", "ha", "omg", "wow", "dang", "darn", "shoot", "oops",
                    "bad", "cheers", "noted", "understood", "gotcha", "hmm", "um", "and", "also",
                    "btw", "so", "then", "first", "please", "pls", "hello", "there", "morning",
                    "happy", "thanksgiving", "either", "any", "anytime", "both", "whatever",
                    "soon", "earliest", "latest", "day", "days", "week", "next", "last",
                    "this", "weekend", "lunch", "dinner", "after", "before", "early", "late",
                    "rear", "front", "brake", "brakes", "tire", "tires", "engine", "battery",
                    "light", "lights", "noise", "car", "truck", "suv", "left", "side", "wheel",
                    "wheels", "door", "seat", "key", "keys", "ac", "heat", "check", "oil",
                    "low", "flat", "leak", "smell", "sound", "again", "still", "help"}


def name_first(text: str) -> str | None:
    """A guest's name said as a text's first sentence, more following it, before the name is
    asked: "jordan pike. 9 if u have it", "chris alvarez. 10ish?"."""
    first, *rest = SENTENCES.split(text.strip(), maxsplit=1)
    name = first.rstrip(".!;, ")
    if not rest or not rest[0].strip() or name == first.strip():
        return None
    words = {w.lower().strip(".") for w in name.split()}
    return name if full_name(name) and looks_like_name(name) and \
        not words & (NOT_A_NAME_FIRST | NOT_INTRODUCED) else None
