"""What the assistant makes of requests nobody here wrote, and how far its confidence can be
trusted.

    python scripts/outside_eval.py [--model models/concierge.tar.gz] [--heldout tests/nlu_test.yml]

Reads, with the trained model loaded once, every request CLINC150 keeps for measuring
(`scripts/outside_data.for_measuring()`, less the few whose words are also in the part that may
be trained on) and prints against the targets:
- requests that have nothing to do with a dealership: the share the assistant would act on
  (the parse's final intent is one of `outside_data.ACTING`), by intent, the opt-outs among
  them and the worst examples;
- small talk and meta, and car care, in outside words: the share read right, per their intent
  (car care is right by intent, or for an ownership question by its topic);
- the parse's latency.
Then the calibration of the top confidence on texts not trained on (the held-out file, and the
outside requests that are ours or off-domain): a reliability table, the expected calibration
error, and what each FallbackClassifier threshold from 0.3 to 0.8 keeps and loses.

`rasa test nlu` writes its predictions with the fallback undone but not the runner-up the
ambiguity check needs, so every text is parsed here. The report always exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import calibration, outside_data  # noqa: E402
from scripts.outside_data import ACTING, CAR_CARE, SMALL_TALK, Request  # noqa: E402

FALLBACK = "nlu_fallback"
OWNERSHIP = "ownership"
OPT_OUT = "opt_out"
OFF_DOMAIN_TARGET = 0.01  # at most 1 in 100 off-domain requests acts
SMALL_TALK_TARGET = 0.90
CAR_CARE_TARGET = 0.90
P50_TARGET_MS = 5.0
WORST = 15


class ConsentWords(Protocol):
    """What the opt-out action reads in the words themselves (`bot.dealership.consent_words`)."""

    def is_keyword(self, text: str) -> bool: ...

    def clear_opt_out(self, text: str) -> bool: ...

    def text_hours(self, text: str) -> object | None: ...


def load_consent_words() -> ConsentWords | None:
    try:
        from bot.dealership import consent_words
    except ImportError:  # a tree from before opt-outs were asked about: each was taken at once
        return None
    return consent_words


@dataclass(frozen=True)
class Reading:
    """What the pipeline made of one text."""

    intent: str  # what the assistant goes on: the final intent, after every fallback
    confidence: float
    top: str  # the classifier's likeliest intent before any fallback
    top_confidence: float
    runner_up: float  # the second intent's confidence
    topic: str | None  # the ownership topic ("ownership/hours"); it counts only for `ownership`
    seconds: float = 0.0

    @classmethod
    def of(cls, parse: dict[str, Any], seconds: float = 0.0) -> Reading:
        intent = parse.get("intent") or {}
        ranking = [i for i in parse.get("intent_ranking") or [] if i.get("name") != FALLBACK]
        top = ranking[0] if ranking else intent
        selected = (parse.get("response_selector") or {}).get(OWNERSHIP) or {}
        return cls(intent=intent.get("name") or FALLBACK,
                   confidence=float(intent.get("confidence") or 0.0),
                   top=top.get("name") or FALLBACK,
                   top_confidence=float(top.get("confidence") or 0.0),
                   runner_up=float(ranking[1]["confidence"]) if len(ranking) > 1 else 0.0,
                   topic=(selected.get("response") or {}).get("intent_response_key"),
                   seconds=seconds)

    @property
    def unless_fallback(self) -> str:
        """The intent the assistant would go on if no fallback had been predicted."""
        return self.top if self.intent == FALLBACK else self.intent


def parts(intent: str) -> list[str]:
    """The intents of a name, one or several (`cancel_appointment+book_service`)."""
    return intent.split("+")


def action_of(intent: str) -> str | None:
    """The acting intent among those of `intent`, if any."""
    return next((p for p in parts(intent) if p in ACTING), None)


def reads_right(expected: set[str], intent: str, topic: str | None) -> bool:
    """Right when an intent of the reading is expected, or for an ownership question its
    topic (what the assistant answers with) is."""
    return any(p in expected or (p == OWNERSHIP and topic in expected) for p in parts(intent))


# ---- off-domain, small talk and car care --------------------------------------------------

@dataclass
class OffDomain:
    total: int
    acting: Counter[str]  # by acting intent
    domains: Counter[str]  # by the outside data's domain
    theirs: Counter[str]  # by the outside data's intent
    worst: list[tuple[Request, Reading]]
    opt_outs: int = 0  # read as an opt-out
    # What the opt-out action makes of those words (when `consent_words` is given): honoured at
    # once, or kept as the hours the number may be texted; the others are asked about first.
    at_once: int = 0
    text_hours: int = 0
    # Revocation words on their own ("quit", "stop"): texted to a dealership's number they end
    # its texts by law, whatever they meant where the data set found them; not counted above.
    by_law: list[str] = field(default_factory=list)

    @property
    def acted(self) -> int:
        return sum(self.acting.values())

    @property
    def share(self) -> float:
        return self.acted / self.total if self.total else 0.0


def off_domain(pairs: Iterable[tuple[Request, Reading]], worst: int = WORST,
               consent_words: ConsentWords | None = None) -> OffDomain:
    """The off-domain requests the assistant would act on (the final intent acts)."""
    found = OffDomain(0, Counter(), Counter(), Counter(), [])
    for request, reading in pairs:
        if not request.off_domain:
            continue
        if consent_words and consent_words.is_keyword(request.text):
            found.by_law.append(request.text)
            continue
        found.total += 1
        if action := action_of(reading.intent):
            found.acting[action] += 1
            found.domains[request.domain] += 1
            found.theirs[request.intent] += 1
            found.worst.append((request, reading))
        if OPT_OUT in parts(reading.intent):
            found.opt_outs += 1
            if consent_words and consent_words.clear_opt_out(request.text):
                found.at_once += 1
            elif consent_words and consent_words.text_hours(request.text):
                found.text_hours += 1
    found.worst.sort(key=lambda pair: (OPT_OUT not in parts(pair[1].intent),
                                       -pair[1].confidence))
    del found.worst[worst:]
    return found


def right_by_intent(pairs: Iterable[tuple[Request, Reading]],
                    table: dict[str, set[str]]) -> dict[str, tuple[int, int]]:
    """(right, total) per outside intent of `table`, read by the final intent."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for request, reading in pairs:
        if request.intent in table:
            counts[request.intent][1] += 1
            counts[request.intent][0] += reads_right(table[request.intent], reading.intent,
                                                     reading.topic)
    return {intent: (right, total) for intent, (right, total) in sorted(counts.items())}


def overall(counts: dict[str, tuple[int, int]]) -> float:
    total = sum(t for _, t in counts.values())
    return sum(r for r, _ in counts.values()) / total if total else 0.0


def words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def never_trained(measured: list[Request], trainable: Iterable[Request],
                  ours: Iterable[str] = ()) -> list[Request]:
    """The requests kept for measuring whose words are not also among those that may be
    trained on (the split is by a hash of the exact text, and a few requests occur in both
    splits of the data set, in the same words or with other capitals and punctuation), nor
    among our own training examples (a "farewell" of ours is a "farewell" of theirs)."""
    seen = {words(r.text) for r in trainable} | {words(text) for text in ours}
    return [r for r in measured if words(r.text) not in seen]


def training_texts(folder: Path) -> list[str]:
    """Every example of the training data, its entity markup read away."""
    from rasa.shared.nlu.training_data.loading import load_data

    return [m.get("text") for m in load_data(str(folder)).intent_examples if m.get("text")]


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


# ---- calibration ---------------------------------------------------------------------------

def outside_sample(request: Request, reading: Reading, thresholds: tuple[float, float]
                   ) -> calibration.Sample | None:
    """An outside request that is ours (right: the expected intent or topic) or off-domain
    (right: it does not act), read before any fallback; None for the others."""
    if request.ours is None and not request.off_domain:
        return None
    action = action_of(reading.top)
    right = (reads_right(request.ours, reading.top, reading.topic) if request.ours is not None
             else action is None)
    source = "outside ours" if request.ours is not None else "off-domain"
    return calibration.Sample(source, reading.top_confidence, right, reading.runner_up,
                              held_back(reading, thresholds), request.off_domain,
                              action_of(reading.unless_fallback))


def heldout_sample(expected: str, reading: Reading, thresholds: tuple[float, float]
                   ) -> calibration.Sample:
    return calibration.Sample("held-out", reading.top_confidence, reading.top == expected,
                              reading.runner_up, held_back(reading, thresholds))


def held_back(reading: Reading, thresholds: tuple[float, float]) -> bool:
    """Not understood for a reason other than the FallbackClassifier's (a keyboard mash)."""
    threshold, ambiguity = thresholds
    return (reading.intent == FALLBACK and reading.top_confidence >= threshold
            and reading.top_confidence - reading.runner_up >= ambiguity)


def fallback_thresholds(config: Path) -> tuple[float, float]:
    """The FallbackClassifier's threshold and ambiguity threshold in config.yml."""
    for component in yaml.safe_load(config.read_text()).get("pipeline", []):
        if component.get("name") == "FallbackClassifier":
            return float(component.get("threshold", 0.3)), \
                float(component.get("ambiguity_threshold", 0.1))
    return 0.0, 0.0


# ---- printing ------------------------------------------------------------------------------

def pct(share: float) -> str:
    return f"{100 * share:.1f}%"


def per_intent(counts: dict[str, tuple[int, int]]) -> str:
    return ", ".join(f"{name} {r}/{t}" for name, (r, t) in counts.items())


def print_outside(pairs: list[tuple[Request, Reading]],
                  consent_words: ConsentWords | None = None) -> list[str]:
    """Prints the outside figures; returns the targets missed."""
    missed = []
    found = off_domain(pairs, consent_words=consent_words)
    print(f"off-domain requests ({found.total}): {found.acted} would act, {pct(found.share)} "
          f"(target <= {pct(OFF_DOMAIN_TARGET)}); ", end="")
    if consent_words:
        changed = found.at_once + found.text_hours
        print(f"read as opt-outs {found.opt_outs}: consent changed on {changed} (target 0: "
              f"{found.at_once} opted out at once, {found.text_hours} texting hours kept), "
              f"{found.opt_outs - changed} asked about first")
    else:
        changed = found.opt_outs
        print(f"opt-outs {found.opt_outs} (target 0)")
    if found.by_law:
        print(f"  left out, a revocation word on its own that ends texts by law: "
              f"{', '.join(repr(t) for t in found.by_law)}")
    if found.acting:
        print("  by intent: " + ", ".join(f"{i} {n}" for i, n in found.acting.most_common()))
        print("  by their domain: " + ", ".join(
            f"{d} {n}" for d, n in found.domains.most_common()))
        print("  by their intent (most): " + ", ".join(
            f"{i} {n}" for i, n in found.theirs.most_common(10)))
    for request, reading in found.worst:
        print(f"  {request.text!r}: {reading.intent} ({reading.confidence:.2f})")
    if found.share > OFF_DOMAIN_TARGET:
        missed.append("off-domain actions")
    if changed:
        missed.append("off-domain opt-outs")
    for name, table, target in (("small talk and meta", SMALL_TALK, SMALL_TALK_TARGET),
                                ("car care", CAR_CARE, CAR_CARE_TARGET)):
        counts = right_by_intent(pairs, table)
        share = overall(counts)
        print(f"{name}: {pct(share)} right (target {pct(target)}): {per_intent(counts)}")
        if share < target:
            missed.append(name)
    ms = [reading.seconds * 1000 for _, reading in pairs]
    p50, p95 = percentile(ms, 0.5), percentile(ms, 0.95)
    print(f"parse latency over {len(ms)} texts: p50 {p50:.1f} ms (target < {P50_TARGET_MS:.0f} "
          f"ms), p95 {p95:.1f} ms")
    if p50 >= P50_TARGET_MS:
        missed.append("latency")
    return missed


def print_calibration(samples: list[calibration.Sample], thresholds: tuple[float, float]) -> None:
    threshold, ambiguity = thresholds
    sources = list(dict.fromkeys(s.source for s in samples))
    by_source = {source: [s for s in samples if s.source == source] for source in sources}
    print("calibration of the top confidence, before any fallback, on texts not trained on "
          "(right: the expected intent or topic; off-domain: not acting):")
    print("  confidence |" + "|".join(f" {name:>23} " for name in ["all", *sources]))
    print("             |" + "|".join(" count accuracy mean conf " for _ in ["all", *sources]))
    tables = [calibration.reliability(part) for part in [samples, *by_source.values()]]
    for i, b in enumerate(tables[0]):
        if b.count:
            print(f"  {b.low:.1f} to {b.high:.1f} |" + "|".join(
                f" {t[i].count:5d} {t[i].accuracy:8.3f} {t[i].confidence:8.3f} " for t in tables))
    print("  expected calibration error (10 bins): " + ", ".join(
        f"{name} {calibration.expected_calibration_error(part):.3f}"
        for name, part in [("all", samples), *by_source.items()]))
    cuts = [calibration.cut(samples, t, ambiguity) for t in calibration.THRESHOLDS]
    off = any(s.not_ours for s in samples)
    print(f"  fallback threshold (ambiguity {ambiguity} kept): of our texts read right, the share "
          "sent to fallback; of the wrong readings, the share caught; "
          + ("of the off-domain texts, the share still acting (opt-outs); " if off else "")
          + "texts mishandled (read wrong and answered, or right and not understood; the mean "
          "of each source's share)")
    for c in cuts:
        mark = " <- config.yml" if abs(c.threshold - threshold) < 1e-9 else ""
        acting = f"  acting {pct(c.acting_left):>5} ({c.opt_outs_left:3d})" if off else ""
        print(f"  {c.threshold:.2f}  lost {pct(c.right_lost):>5}  caught {pct(c.wrong_caught):>5}"
              f"{acting}  mishandled {pct(c.mishandled):>5}{mark}")
    best = calibration.recommended(cuts)
    edge = " (the highest tried)" if best.threshold == calibration.THRESHOLDS[-1] else ""
    print(f"  recommended threshold: {best.threshold:.2f}{edge}, the fewest texts mishandled "
          f"({pct(best.mishandled)}); config.yml has {threshold}")


# ---- running the model ---------------------------------------------------------------------

def quiet_logs() -> None:
    """Rasa logs every parse at debug level; that would be most of what is timed."""
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)


async def read_all(agent: Any, *texts: Sequence[str]) -> list[list[Reading]]:
    """The readings of each list of texts, one text at a time (as the server reads them)."""
    readings: list[list[Reading]] = []
    for some in texts:
        readings.append([])
        for text in some:
            start = time.perf_counter()
            parse = await agent.parse_message(text)
            readings[-1].append(Reading.of(parse, time.perf_counter() - start))
    return readings


def heldout(path: Path) -> list[tuple[str, str]]:
    """(text, intent) of the held-out file's messages that have words."""
    from rasa.shared.nlu.training_data.loading import load_data

    return [(m.get("text"), m.get("intent")) for m in load_data(str(path)).intent_examples
            if m.get("text")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=str(ROOT / "models" / "concierge.tar.gz"))
    parser.add_argument("--heldout", default=str(ROOT / "tests" / "nlu_test.yml"))
    parser.add_argument("--config", default=str(ROOT / "config.yml"))
    args = parser.parse_args(argv)
    have_outside = outside_data.available()
    if not have_outside:
        print(f"outside requests: skipped, {outside_data.DATA} is not here (the data sets "
              "folder beside this one); calibration on the held-out file alone.")
    quiet_logs()
    from rasa.core.agent import Agent

    agent = Agent.load(args.model)
    thresholds = fallback_thresholds(Path(args.config))
    print(f"== outside requests and calibration ({args.model})")
    requests = []
    if have_outside:
        measured = outside_data.for_measuring()
        requests = never_trained(measured, outside_data.trainable(),
                                 training_texts(ROOT / "data" / "nlu"))
        print(f"{len(requests)} requests never trained on ({len(measured) - len(requests)} of the "
              f"{len(measured)} kept for measuring left out: their words are also in the part "
              "that may be trained on, or among our own examples)")
    held = heldout(Path(args.heldout))
    readings, held_readings = asyncio.run(
        read_all(agent, [r.text for r in requests], [text for text, _ in held]))
    samples = [heldout_sample(intent, reading, thresholds)
               for (_, intent), reading in zip(held, held_readings, strict=True)]
    pairs = list(zip(requests, readings, strict=True))
    missed = print_outside(pairs, load_consent_words()) if have_outside else []
    samples += [s for r, reading in pairs if (s := outside_sample(r, reading, thresholds))]
    print_calibration(samples, thresholds)
    if have_outside:
        print("targets: " + (f"missed ({', '.join(missed)})" if missed else "met"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
