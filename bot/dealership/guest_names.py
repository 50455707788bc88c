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
                "im", "here", "we"}

# "i'm", "this is", "it's" or "my name is" and up to three words, ending the sentence or a clause.
INTRODUCED = re.compile(r"\s*(?:(?:hi|hey|hello|good (?:morning|afternoon|evening))[\s,!.]+)?"
                        r"(?:i'?m|i am|this is|it'?s|its|my name is|name'?s)\s+"
                        r"([A-Za-z][A-Za-z'.-]*(?:\s+[A-Za-z][A-Za-z'.-]*){0,2})\s*(?:[,.!;]|$)",
                        re.IGNORECASE)
# "hi, carlos reyes here.": a name and "here", ending the sentence or a clause.
HERE = re.compile(r"\s*(?:(?:hi|hey|hello)[\s,!.]+)?([A-Za-z][A-Za-z'.-]*\s+[A-Za-z][A-Za-z'.-]*)"
                  r"\s+here\s*(?:[,.!;]|$)", re.IGNORECASE)
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


def introduced(text: str) -> str | None:
    """The name a guest gives of themselves at the start of any sentence of the text: "hi im
    sam reyes.", "ugh ok friday at 8 then. im jen park, 2020 rx", "… ill wait. its sam lee"."""
    for sentence in SENTENCES.split(text):
        found = INTRODUCED.match(sentence) or HERE.match(sentence)
        if not found:
            continue
        name = found.group(1).rstrip(".")
        if looks_like_name(name) and not set(name.lower().split()) & NOT_INTRODUCED and \
                (found.group(0).rstrip()[-1:] in ",.!;" or full_name(name)):
            return name
    return None


def answered(text: str) -> str | None:
    """The name answered to the name question: the whole text ("Lena Park"), or its first
    clause when more follows it ("mike ortiz, its a 2019 es 300h"), or one introduced."""
    if name := introduced(text):
        return name
    if looks_like_name(text):
        return text.strip()
    first = CLAUSE_END.split(text, maxsplit=1)[0]
    return first.strip() if first != text and full_name(first) and looks_like_name(first) \
        else None
