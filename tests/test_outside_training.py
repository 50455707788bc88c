"""The outside training file is the generator's output, and trains on nothing kept for measuring,
nothing our own examples or the held-out set already say, and no word of consent."""

from __future__ import annotations

from collections import defaultdict

import pytest
import yaml

from bot.dealership.consent_words import clear_opt_out
from scripts import outside_data, outside_training

pytestmark = pytest.mark.skipif(not outside_data.available(),
                                reason="CLINC150 is not in ../shared/data")


@pytest.fixture(scope="module")
def written() -> dict[str, list[str]]:
    data = yaml.safe_load(outside_training.OUT.read_text())
    return {block["intent"]: [line[2:] for line in block["examples"].splitlines()]
            for block in data["nlu"]}


def test_the_file_is_what_the_generator_writes_now(tmp_path):
    fresh = tmp_path / "outside_requests.yml"
    outside_training.write(fresh)
    assert outside_training.OUT.read_text() == fresh.read_text(), (
        "data/nlu/outside_requests.yml is stale: run python scripts/outside_training.py")


def test_nothing_kept_for_measuring_is_trained_on(written):
    measured = {outside_training.normal(r.text) for r in outside_data.for_measuring()}
    leaked = [t for texts in written.values() for t in texts
              if outside_training.normal(t) in measured]
    assert leaked == []


def test_no_text_has_two_labels_or_repeats_ours(written):
    labels = defaultdict(set)
    for intent, texts in written.items():
        for text in texts:
            labels[outside_training.normal(text)].add(intent)
    assert [t for t, ls in labels.items() if len(ls) > 1] == []
    assert set(labels) & outside_training.taken() == set()


def test_labels_are_ours_and_car_care_goes_where_it_is_served(written):
    assert set(written) <= {"out_of_scope", "greet", "thank", "goodbye", "affirm", "deny",
                             "bot_challenge", "book_service", "ownership/maintenance_schedule",
                             "ownership/roadside_assistance"}
    assert len(written["out_of_scope"]) > 3000
    for theirs, ours in outside_training.OUR_INTENT.items():
        assert ours in (outside_data.SMALL_TALK | outside_data.CAR_CARE)[theirs]


def test_requests_that_ask_our_questions_at_a_dealership_are_not_out_of_scope(written):
    theirs = defaultdict(set)
    for request in outside_data.trainable():
        theirs[outside_training.normal(request.text)].add(request.intent)
    taught = {i for t in written["out_of_scope"] for i in theirs[outside_training.normal(t)]}
    assert taught & outside_training.OURS_AT_A_DEALERSHIP == set()
    assert {"pin_change", "book_flight", "credit_limit"} <= taught


def test_no_revocation_of_consent_is_taught_as_something_else(written):
    assert [t for texts in written.values() for t in texts if clear_opt_out(t)] == []


def test_outside_words_never_unmark_our_entities(written):
    marked = outside_training.entity_words(
        sorted(p for p in outside_training.OURS.glob("*.yml") if p != outside_training.OUT))
    assert {"tomorrow", "friday", "loaner", "rx"} <= marked
    assert [t for texts in written.values() for t in texts
            if marked & set(outside_training.normal(t).split())] == []
