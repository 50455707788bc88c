"""Public requests nobody here wrote: CLINC150's training and validation splits
(`../shared/data/clinc150`, CC BY 3.0, Clinc, Inc. and Larson et al., EMNLP 2019).

They are split once, for good: the validation split, and a third of the training split's
requests that are not ours (by a hash of each text), are kept for measuring and never trained
on; the rest may be trained on.
What counts as right for the requests that are ours (small talk, car care) is said here too, so
that training and measuring read them the same way.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "clinc150"
OUT_OF_SCOPE = "oos"

# Their small talk and meta requests that are ours, as our intents.
SMALL_TALK = {
    "greeting": {"greet"},
    "thank_you": {"thank"},
    "goodbye": {"goodbye"},
    "yes": {"affirm"},
    "no": {"deny"},
    "are_you_a_bot": {"bot_challenge"},
}
# Their car-care requests that a dealership serves: the intents or ownership topics that answer.
CAR_CARE = {
    "schedule_maintenance": {"book_service"},
    "oil_change_when": {"ownership/maintenance_schedule"},
    "last_maintenance": {"ownership/maintenance_schedule", "check_appointment"},
    "jump_start": {"ownership/roadside_assistance", "report_issue"},
    "tire_change": {"ownership/maintenance_schedule", "book_service", "report_issue"},
}
# Requests about cars or travel that are neither ours nor nothing to do with a dealership
# ("what's my tire pressure"): not counted either way.
NEITHER = {"auto_and_commute"}
# Our intents that act: they start something that writes (after a question) or changes consent.
ACTING = {"book_service", "request_loaner", "reschedule_appointment", "cancel_appointment",
          "report_issue", "check_recall", "verify_identity", "opt_out"}


@dataclass(frozen=True)
class Request:
    text: str
    intent: str  # theirs
    domain: str  # theirs, or "out_of_scope"

    @property
    def ours(self) -> set[str] | None:
        """What reads it right when it is ours; None when it is not ours."""
        return SMALL_TALK.get(self.intent) or CAR_CARE.get(self.intent)

    @property
    def off_domain(self) -> bool:
        """Nothing to do with a dealership: it must never act."""
        return self.ours is None and self.domain not in NEITHER


def measured(text: str) -> bool:
    """Kept for measuring: a third of the training split, by a hash of the text."""
    return int(hashlib.sha1(text.encode()).hexdigest(), 16) % 3 == 0


def kept(request: Request) -> bool:
    """Kept for measuring from the training split: a third of what is not ours. Their small
    talk and car care that are ours are all trained on (more of other people's words for
    them reads new words better); the validation split measures them."""
    return request.ours is None and measured(request.text)


def _load() -> tuple[dict, dict[str, str]]:
    rows = json.loads((DATA / "clinc150-train-val.json").read_text())
    domains = json.loads((DATA / "domains.json").read_text())
    return rows, {intent: domain for domain, intents in domains.items() for intent in intents}


def _requests(pairs: list[list[str]], domain_of: dict[str, str]) -> Iterator[Request]:
    for text, intent in pairs:
        yield Request(text, intent, domain_of.get(intent, "out_of_scope"))


def trainable() -> list[Request]:
    """What may be trained on: the training split, less the third kept for measuring."""
    rows, domain_of = _load()
    return [r for r in _requests(rows["train"] + rows["oos_train"], domain_of) if not kept(r)]


def for_measuring() -> list[Request]:
    """Never trained on: the validation split (with its out-of-scope part) and a third of the
    training split's requests that are not ours."""
    rows, domain_of = _load()
    return list(_requests(rows["val"] + rows["oos_val"], domain_of)) + [
        r for r in _requests(rows["train"] + rows["oos_train"], domain_of) if kept(r)]


def available() -> bool:
    return (DATA / "clinc150-train-val.json").is_file()
