"""`make conversations`: the corpus reads, is big enough, and the judge fails what it must."""

from __future__ import annotations

import pytest

from scripts.conversations import (
    KEPT_ASIDE,
    LOOKED_AT,
    CorpusError,
    Turn,
    Visit,
    World,
    fault_kind,
    judge_outcome,
    judge_turn,
    numbers_for,
    read_corpus,
)

OWNERS = {"dana", "priya"}


def turn(**given) -> Turn:
    return Turn(given.get("text", "hi"), tuple(given.get("expect", ())),
                tuple(given.get("never", ())), given.get("long", False),
                given.get("silent", False), given.get("in_order", False))


def visit(id: int, day: str = "2026-11-27", at: str = "10:00", **rest) -> Visit:
    return Visit(id, day, at, rest.get("services", ("Synthetic oil change",)),
                 rest.get("car", "RX 350 JTJ"), rest.get("loaner"), rest.get("transport", "wait"),
                 False, rest.get("cancelled", False))


def test_the_corpus_reads_and_holds_at_least_150_conversations_over_every_capability():
    owners = World("sqlite://").owners
    looked_at, kept = read_corpus(LOOKED_AT, False, owners), read_corpus(KEPT_ASIDE, True, owners)
    assert len(looked_at) + len(kept) >= 150
    assert len(kept) >= 0.25 * (len(looked_at) + len(kept))
    assert {c.capability for c in looked_at} == {c.capability for c in kept}
    names = [(c.capability, c.name) for c in looked_at + kept]
    assert len(names) == len(set(names))
    # every conversation is played, from a number of its own
    assert len(set(numbers_for(looked_at + kept))) == len(looked_at + kept)
    with pytest.raises(SystemExit):
        numbers_for(looked_at * 4)


def test_a_reply_must_carry_what_is_expected_and_fit_a_text():
    assert judge_turn(turn(expect=["fri", r"6(:00)? ?pm"]), "Fri Nov 27 at 6:00 PM?") == []
    assert judge_turn(turn(expect=["loaner"]), "Okay.") == ["expected /loaner/"]
    assert judge_turn(turn(never=["booked"]), "You're booked") == ["must not say /booked/"]
    assert judge_turn(turn(), "x" * 321) == ["321 characters, more than a text"]
    assert judge_turn(turn(long=True), "x" * 321) == []
    assert judge_turn(turn(), "") == ["no reply"]
    assert judge_turn(turn(silent=True), "") == []
    assert judge_turn(turn(expect=["7pm", "alignment"], in_order=True),
                      "Alignment: $169. We close at 7pm.") == \
        ["the answers are not in the order asked"]


def test_the_outcome_is_read_from_what_changed():
    before = {1: visit(1)}
    after = {1: visit(1, day="2026-11-30"), 2: visit(2, day="2026-12-01", at="14:00",
                                                      loaner="RX 350h", transport="loaner")}
    counts = {"reports": [], "handed_over": [], "opted_out": False, "text_hours": None}
    assert judge_outcome({"booked": [{"day": "2026-12-01", "at": "14:00", "loaner": True,
                                      "services": ["oil"]}], "moved": 1, "cancelled": 0},
                         before, after, counts) == []
    faults = judge_outcome({"booked": 0, "opted_out": True}, before, after, counts)
    assert faults[0].startswith("booked: 1, expected 0") and "opted out" in faults[1]


def test_a_car_booked_twice_on_one_day_always_fails():
    after = {1: visit(1), 2: visit(2, at="15:00")}
    counts = {"reports": [], "handed_over": [], "opted_out": False, "text_hours": None}
    assert judge_outcome({}, {}, after, counts) == \
        ["RX 350 JTJ booked 2 times on 2026-11-27"]


def test_a_corpus_mistake_is_named(tmp_path):
    (tmp_path / "booking.yml").write_text(
        "conversations:\n  - name: x\n    owner: zed\n    turns: [{text: hi}]\n")
    with pytest.raises(CorpusError, match="no demo owner named 'zed'"):
        read_corpus(tmp_path, False, OWNERS)
    (tmp_path / "booking.yml").write_text(
        "conversations:\n  - name: x\n    owner: dana\n    turns: [{text: hi, expect: ['(']}]\n")
    with pytest.raises(CorpusError, match="bad regex"):
        read_corpus(tmp_path, False, OWNERS)


@pytest.mark.parametrize(("fault", "kind"), [
    ("turn 2: expected /loaner/", "missing"),
    ("turn 1: must not say /booked/", "said what it must not"),
    ("turn 3: 321 characters, more than a text", "too long"),
    ("turn 4: no reply", "no reply"),
    ("turn 5: a reply where none is right: 'hi'", "reply where none is right"),
    ("turn 1: the answers are not in the order asked", "out of order"),
    ("outcome: booked: 0, expected 1", "outcome booked"),
    ("outcome: no visit like {'day': '2026-11-24'} ()", "outcome visits"),
    ("outcome: handed over: no, expected urgent", "outcome handed over"),
    ("outcome: RX 350 JTJ booked 2 times on 2026-11-27", "outcome booked twice"),
])
def test_a_fault_is_counted_by_its_kind_without_its_words(fault, kind):
    assert fault_kind(fault) == kind
