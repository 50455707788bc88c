"""A text read as several requests shows once in the console, as the owner wrote it."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.staff.transcript import turns

AUSTIN = ZoneInfo("America/Chicago")
WHOLE = "what time do u close and can i get a loaner tmrw"


def user(text: str, **metadata) -> dict:
    return {"event": "user", "text": text, "timestamp": 1_795_000_000.0, "metadata": metadata}


def bot(text: str) -> dict:
    return {"event": "bot", "text": text, "timestamp": 1_795_000_001.0}


def test_the_parts_of_one_text_show_as_the_text_then_every_answer():
    shown = turns([user("what time do u close", whole_text=WHOLE, part=1, parts=2),
                   bot("We're open Mon-Fri 7am-7pm."),
                   user("can i get a loaner tmrw", whole_text=WHOLE, part=2, parts=2),
                   bot("I can do: 1) tomorrow at 7:00 AM"),
                   user("1")], AUSTIN)
    assert [(t.kind, t.text) for t in shown] == [
        ("owner", WHOLE), ("assistant", "We're open Mon-Fri 7am-7pm."),
        ("assistant", "I can do: 1) tomorrow at 7:00 AM"), ("owner", "1")]
