"""Shaping the assistant's messages into text messages that read well and cost little.

One emoji or curly quote switches a whole message from GSM-7 to UCS-2 and more than doubles the
segments the dealer pays for, so punctuation is normalised and emoji dropped. Buttons become a
numbered list the owner answers with a digit. Twilio takes at most 1,600 characters a message.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from bot.wording import A_TEXT, say

MAX_CHARS = 1600
# The payload of a time offered as a button (actions/common.py, offer_buttons).
TIME_OFFERED = '/inform{"when"'

PUNCTUATION = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u2022": "-", "\u00b7": "-",
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ",
    "\u2026": "...",
})
# Joiners, variation selectors and skin-tone modifiers that are left over once emoji are gone.
EMOJI_PARTS = re.compile("[\u200d\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]")


def to_gsm7(text: str) -> str:
    """Curly quotes, dashes and ellipses as their plain forms; emoji and pictographs dropped."""
    text = EMOJI_PARTS.sub("", text.translate(PUNCTUATION))
    text = "".join(ch for ch in text if unicodedata.category(ch) not in ("So", "Cs", "Co"))
    # Dropping an emoji can leave a double space or a space before punctuation.
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r" +([.,!?])", r"\1", text)
    return "\n".join(line.strip() for line in text.splitlines()).strip()


def with_choices(text: str, buttons: list[dict[str, Any]]) -> tuple[str, list[str]]:
    """The text with its buttons as numbered choices, and their payloads in that order.

    The assistant's own text often numbers its offers already ("1) Tue 9:00 AM 2) ..."): then
    only the "Reply 1, 2 or 3" is added.
    """
    choices = [b for b in buttons if b.get("payload") and b.get("title")]
    if not choices:
        return text, []
    titles = [str(b["title"]) for b in choices]
    lines = [text] if text else []
    if not all(title in text for title in titles):
        lines += [f"{i}) {title}" for i, title in enumerate(titles, start=1)]
    lines.append(say("utter_sms_reply_with", numbers=_digits(len(titles))))
    return "\n".join(lines), [str(b["payload"]) for b in choices]


def _digits(count: int) -> str:
    """"1", "1 or 2", "1, 2 or 3"."""
    numbers = [str(i) for i in range(1, count + 1)]
    if count == 1:
        return numbers[0]
    return say("utter_joined_or", before=", ".join(numbers[:-1]), after=numbers[-1])


def split(text: str, limit: int = MAX_CHARS,
          separators: tuple[str, ...] = ("\n\n", "\n", " ")) -> list[str]:
    """`text` in as few parts of at most `limit` characters as possible, cut between paragraphs,
    else lines, else words (a word longer than a whole message is cut where it must be)."""
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    if not separators:
        return [text[i:i + limit] for i in range(0, len(text), limit)]
    separator, finer = separators[0], separators[1:]
    parts: list[str] = []
    current = ""
    for piece in text.split(separator):
        candidate = f"{current}{separator}{piece}" if current else piece
        if len(candidate) <= limit:
            current = candidate
            continue
        parts.append(current)
        current = piece
        if len(piece) > limit:
            *whole, current = split(piece, limit, finer) or [""]
            parts.extend(whole)
    parts.append(current)
    return [part.strip() for part in parts if part.strip()]


@dataclass
class Reply:
    """What one turn of the assistant becomes on SMS."""

    bodies: list[str] = field(default_factory=list)  # each at most 1,600 characters
    media_urls: list[str] = field(default_factory=list)
    choices: list[str] = field(default_factory=list)  # payloads of the numbered options


def compose(messages: list[dict[str, Any]]) -> Reply:
    """The assistant's messages (as Rasa's collecting channel holds them) as text messages.

    All texts are joined into one message when they fit, so the owner gets one text per turn;
    images travel as MMS media. Only the last message's buttons are numbered: a reply of "2"
    can mean only one list.
    """
    paragraphs: list[str] = []
    media: list[str] = []
    choices: list[str] = []
    listed_in: int | None = None  # the paragraph that asks for a number
    times_listed = False  # ...and offers times
    for message in messages:
        text, offered = with_choices(str(message.get("text") or ""),
                                     message.get("buttons") or [])
        text = to_gsm7(text)
        if offered:
            if listed_in is not None and times_listed:
                # times offered, then a time picked or offered again later in the same reply
                # (the summary, other times): the first offer no longer holds
                del paragraphs[listed_in]
            elif listed_in is not None:  # an earlier list no longer answers to the digits
                paragraphs[listed_in] = paragraphs[listed_in].rsplit("\nReply ", 1)[0]
                if paragraphs[listed_in] == text.rsplit("\nReply ", 1)[0]:
                    # the same question asked again after an answer: asked once, last
                    del paragraphs[listed_in]
            choices, listed_in = offered, len(paragraphs)
            times_listed = all(p.startswith(TIME_OFFERED) for p in offered)
        if message.get("attachment"):
            text = f"{text}\n{message['attachment']}".strip()
        # (the same answer to two questions of one text is said once)
        if text and (offered or text not in paragraphs):
            paragraphs.append(text)
        if message.get("image"):
            media.append(str(message["image"]))
    if listed_in is not None:
        paragraphs[listed_in] = _hint_if_room(paragraphs, listed_in)
    return Reply(bodies=split("\n\n".join(paragraphs)), media_urls=media, choices=choices)


def _hint_if_room(paragraphs: list[str], listed_in: int) -> str:
    """The paragraph that asks for a number, without its "Reply 1, 2 or 3" when the text
    numbers its choices itself ("I can do 1) ... 2) ...") and the hint alone would take the
    reply past what fits a text."""
    listed = paragraphs[listed_in]
    shorter = listed.rsplit("\nReply ", 1)[0]
    whole = sum(len(p) for p in paragraphs) + 2 * (len(paragraphs) - 1)
    if shorter == listed or "\n1) " in shorter or whole <= A_TEXT or \
            whole - (len(listed) - len(shorter)) > A_TEXT:
        return listed
    return shorter
