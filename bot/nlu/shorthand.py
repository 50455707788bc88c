"""Texting shorthand read as the words it stands for, before intents are read.

Owners write "r u open sat", "can u move my appt", "thx": the classifier learns words, and a
shorthand it saw less often in training than the word itself weighs less than it should. Only
shorthand that stands for one thing wherever it appears is here: not "2" or "4" (times and
dates), not "n" or "k".
"""

from __future__ import annotations

import re

SHORTHAND = {
    "u": "you", "ya": "you", "ur": "your", "r": "are", "y": "why",
    "yall": "you all", "ppl": "people",
    "appt": "appointment", "appts": "appointments", "apt": "appointment",
    "pls": "please", "plz": "please", "thx": "thanks", "thnx": "thanks", "tx": "thanks",
    "ty": "thank you", "tysm": "thank you so much",
    "tmrw": "tomorrow", "tmr": "tomorrow", "tmw": "tomorrow", "2morrow": "tomorrow",
    "b4": "before", "cuz": "because", "bc": "because", "b/c": "because", "w/": "with",
    "w/o": "without", "abt": "about", "wanna": "want to", "gonna": "going to",
    "gotta": "got to", "im": "i'm", "dont": "don't", "cant": "can't", "wont": "won't",
    "whats": "what's", "hows": "how's", "wheres": "where's", "thats": "that's",
    "idk": "i don't know", "rn": "right now", "asap": "as soon as possible",
    "nvm": "never mind", "lmk": "let me know", "hru": "how are you",
    "wyd": "what are you doing", "sry": "sorry", "okay": "ok", "kk": "ok",
}
# A shorthand word stands alone: "u?" is one, "menu" and "u-joint" are not.
_WORD = re.compile(r"(?<![\w'/-])(" + "|".join(
    re.escape(word) for word in sorted(SHORTHAND, key=len, reverse=True)) + r")(?![\w'/-])")


def expand(text: str) -> str:
    """`text` (lowercased) with each shorthand word replaced by what it stands for."""
    return _WORD.sub(lambda word: SHORTHAND[word.group()], text)
