"""The outside-words report counts what it says it counts: hand-made parses, no model."""

from __future__ import annotations

import pytest

from scripts.calibration import (
    Sample,
    cut,
    expected_calibration_error,
    recommended,
    reliability,
)
from scripts.outside_data import CAR_CARE, SMALL_TALK, Request
from scripts.outside_eval import (
    Reading,
    held_back,
    heldout_sample,
    never_trained,
    off_domain,
    outside_sample,
    print_outside,
    right_by_intent,
)

THRESHOLDS = (0.4, 0.05)  # config.yml's FallbackClassifier, as the report reads it


def parse(*ranking: tuple[str, float], fallback: bool = False,
          topic: str = "ownership/hours") -> dict:
    """A parse as the pipeline returns it; `fallback` puts nlu_fallback in front, as the
    FallbackClassifier does."""
    intents = [{"name": name, "confidence": confidence} for name, confidence in ranking]
    if fallback:
        intents.insert(0, {"name": "nlu_fallback", "confidence": 0.4})
    return {"intent": intents[0], "intent_ranking": intents, "response_selector": {
        "all_retrieval_intents": ["ownership"],
        "ownership": {"response": {"intent_response_key": topic, "confidence": 0.9}}}}


def read(*ranking: tuple[str, float], **kwargs) -> Reading:
    return Reading.of(parse(*ranking, **kwargs), seconds=0.002)


REMINDERS = Request("list my reminders", "reminder", "utility")
MONEY = Request("can you move money", "transfer", "banking")
TIRE_PRESSURE = Request("what is my tire pressure", "tire_pressure", "auto_and_commute")
HELLO = Request("hello there", "greeting", "small_talk")


def test_an_off_domain_text_read_as_an_opt_out_acts_and_is_an_opt_out():
    found = off_domain([(REMINDERS, read(("opt_out", 0.99), ("inform", 0.01)))])

    assert (found.total, found.acted, found.opt_outs) == (1, 1, 1)
    assert found.acting == {"opt_out": 1} and found.domains == {"utility": 1}
    assert found.theirs == {"reminder": 1}
    assert found.worst[0][0] is REMINDERS


def test_what_the_opt_out_action_makes_of_the_words_is_counted():
    from bot.dealership import consent_words

    said = [Request(text, "text", "communication") for text in (
        "stop texting me", "don't text me before 9am", "list my reminders")]
    found = off_domain([(r, read(("opt_out", 0.9))) for r in said], consent_words=consent_words)

    assert (found.opt_outs, found.at_once, found.text_hours) == (3, 1, 1)
    assert off_domain([(r, read(("opt_out", 0.9))) for r in said]).at_once == 0


def test_a_revocation_word_on_its_own_is_left_out_as_the_law_decides_it():
    from bot.dealership import consent_words

    said = [Request(text, "cancel", "meta") for text in ("quit", "QUIT!", "quit that")]
    found = off_domain([(r, read(("opt_out", 0.6))) for r in said], consent_words=consent_words)

    assert found.by_law == ["quit", "QUIT!"]
    assert (found.total, found.opt_outs, found.at_once) == (1, 1, 0)


def test_one_turned_to_not_understood_does_not_act():
    reading = read(("opt_out", 0.35), ("reschedule_appointment", 0.3), fallback=True)
    found = off_domain([(REMINDERS, reading), (MONEY, read(("out_of_scope", 0.9)))])

    assert reading.intent == "nlu_fallback" and reading.top == "opt_out"
    assert (found.total, found.acted, found.opt_outs) == (2, 0, 0)


def test_only_off_domain_texts_are_counted_and_multi_intents_act():
    found = off_domain([
        (MONEY, read(("cancel_appointment+book_service", 0.8), ("inform", 0.1))),
        (TIRE_PRESSURE, read(("book_service", 0.9))),  # cars, but not ours: neither
        (HELLO, read(("book_service", 0.9))),  # ours: counted as small talk instead
    ])

    assert (found.total, found.acted) == (1, 1)
    assert found.acting == {"cancel_appointment": 1}


def test_opt_outs_come_first_among_the_worst_then_the_most_confident():
    found = off_domain([
        (MONEY, read(("reschedule_appointment", 0.97))),
        (MONEY, read(("book_service", 0.99))),
        (REMINDERS, read(("opt_out", 0.5), ("inform", 0.1))),
    ], worst=2)

    assert [r.intent for _, r in found.worst] == ["opt_out", "book_service"]


def test_car_care_is_right_by_its_intent_or_by_the_topic_of_an_ownership_question():
    oil = Request("when should i get my oil changed", "oil_change_when", "auto_and_commute")
    jump = Request("my car needs a jump", "jump_start", "auto_and_commute")
    counts = right_by_intent([
        (oil, read(("ownership", 0.9), topic="ownership/maintenance_schedule")),
        (oil, read(("ownership", 0.9), topic="ownership/hours")),
        # every parse carries a topic: it counts only when the intent is an ownership question
        (oil, read(("check_appointment", 0.7), topic="ownership/maintenance_schedule")),
        (jump, read(("report_issue", 0.8))),
        (jump, read(("ownership", 0.6), ("report_issue", 0.3), fallback=True,
                    topic="ownership/roadside_assistance")),
    ], CAR_CARE)

    assert counts == {"jump_start": (1, 2), "oil_change_when": (1, 3)}


def test_small_talk_is_read_by_the_final_intent():
    counts = right_by_intent([
        (HELLO, read(("greet", 0.99))),
        (HELLO, read(("greet", 0.3), ("thank", 0.2), fallback=True)),
        (REMINDERS, read(("greet", 0.99))),  # not small talk: not counted
    ], SMALL_TALK)

    assert counts == {"greeting": (1, 2)}


def test_targets_missed_are_named(capsys):
    pairs = [(REMINDERS, read(("opt_out", 0.99)))] + [
        (MONEY, read(("out_of_scope", 0.9)))] * 150 + [(HELLO, read(("greet", 0.99)))]

    missed = print_outside(pairs)

    assert missed == ["off-domain opt-outs", "car care"]
    assert "opt-outs 1 (target 0)" in capsys.readouterr().out


def test_an_opt_out_asked_about_first_misses_no_target(capsys):
    from bot.dealership import consent_words

    pairs = [(REMINDERS, read(("opt_out", 0.99)))] + [
        (MONEY, read(("out_of_scope", 0.9)))] * 150 + [(HELLO, read(("greet", 0.99)))]

    assert print_outside(pairs, consent_words) == ["car care"]
    assert "consent changed on 0" in capsys.readouterr().out


def test_a_keyboard_mash_is_held_back_whatever_the_threshold():
    mash = read(("inform", 0.9), ("out_of_scope", 0.05), fallback=True)
    unsure = read(("inform", 0.3), ("out_of_scope", 0.2), fallback=True)

    assert held_back(mash, THRESHOLDS) and not held_back(unsure, THRESHOLDS)
    assert heldout_sample("inform", mash, THRESHOLDS).falls_back(0.3, 0.05)
    assert not heldout_sample("inform", unsure, THRESHOLDS).falls_back(0.3, 0.05)


def test_calibration_reads_the_classifier_before_the_fallback():
    sample = outside_sample(REMINDERS, read(("opt_out", 0.35), ("inform", 0.2), fallback=True),
                            THRESHOLDS)
    ours = outside_sample(HELLO, read(("greet", 0.3), ("thank", 0.2), fallback=True),
                          THRESHOLDS)

    assert (sample.right, sample.action, sample.not_ours) == (False, "opt_out", True)
    assert (ours.right, ours.confidence, ours.not_ours) == (True, 0.3, False)
    assert outside_sample(TIRE_PRESSURE, read(("book_service", 0.9)), THRESHOLDS) is None


def test_reliability_and_the_expected_calibration_error():
    samples = [Sample("x", 0.95, True), Sample("x", 0.95, True), Sample("x", 0.95, False),
               Sample("x", 1.0, True), Sample("x", 0.45, False)]

    bins = reliability(samples)

    assert [b.count for b in bins] == [0, 0, 0, 0, 1, 0, 0, 0, 0, 4]
    assert bins[9].accuracy == 0.75 and bins[9].confidence == pytest.approx(0.9625)
    # (4 * |0.75 - 0.9625| + 1 * |0 - 0.45|) / 5
    assert expected_calibration_error(samples) == pytest.approx(0.26)


def test_what_each_threshold_keeps_and_loses():
    samples = [
        Sample("held-out", 0.35, True, runner_up=0.1),
        Sample("held-out", 0.9, True, runner_up=0.01),
        Sample("held-out", 0.45, False, runner_up=0.1),
        Sample("held-out", 0.6, False, runner_up=0.58),  # ambiguous at any threshold
        Sample("off-domain", 0.55, False, runner_up=0.1, not_ours=True, action="opt_out"),
        Sample("off-domain", 0.2, True, runner_up=0.1, not_ours=True),  # costs nothing
    ]

    low, mid, high = (cut(samples, t, 0.05) for t in (0.3, 0.5, 0.6))

    assert (low.right_lost, low.wrong_caught, low.acting_left, low.opt_outs_left) \
        == (0.0, 1 / 3, 0.5, 1)
    assert (mid.right_lost, mid.wrong_caught, mid.opt_outs_left) == (0.5, 2 / 3, 1)
    assert (high.right_lost, high.wrong_caught, high.acting_left, high.opt_outs_left) \
        == (0.5, 1.0, 0.0, 0)
    # mishandled: the mean of held-out's share and off-domain's share
    assert [c.mishandled for c in (low, mid, high)] == [(1 / 4 + 1 / 2) / 2] * 2 + [1 / 8]
    assert recommended([low, mid, high]) is high
    assert recommended([mid, low]) is low  # equals: the lower threshold
    assert recommended([low, cut(samples, 0.4, 0.05)]) is low


def test_requests_whose_words_may_be_trained_on_are_not_measured():
    measured = [REMINDERS, MONEY, Request("Can you move money?", "transfer", "banking")]

    assert never_trained(measured, [Request("can you move money", "transfer", "banking")]) \
        == [REMINDERS]
    # Words of our own examples are trained on too, whoever wrote them first.
    assert never_trained(measured, [], ours=["list my reminders!", "Can you move money"]) == []
