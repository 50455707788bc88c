"""How far the intent classifier's top confidence can be trusted, on texts it was not trained on,
and what the FallbackClassifier's threshold keeps and loses.

A confidence is well calibrated when texts given about 0.8 are right about 8 times in 10. The
threshold sends every text under it to "not understood": raising it catches more wrong readings
and loses more right ones. Both are counted on the classifier's reading *before* any fallback,
so that every threshold can be tried on one run of the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

BINS = 10  # equal-width confidence bins, as the expected calibration error is usually given
THRESHOLDS = tuple(round(0.3 + 0.05 * i, 2) for i in range(11))  # 0.3 to 0.8


@dataclass(frozen=True)
class Sample:
    """One text: the classifier's top confidence and whether its top reading was right."""

    source: str  # where the text comes from ("held-out", "outside ours", "off-domain")
    confidence: float  # the classifier's top confidence, before any fallback
    right: bool
    runner_up: float = 0.0  # the second intent's confidence (the ambiguity check)
    held_back: bool = False  # not understood whatever the threshold (unknown words, ...)
    # A text that is not ours: "not understood" costs nothing there (out of scope neither).
    not_ours: bool = False
    action: str | None = None  # the acting intent it would be read as, when one

    def falls_back(self, threshold: float, ambiguity: float) -> bool:
        """What the FallbackClassifier (then the components after it) would do at `threshold`."""
        return (self.confidence < threshold or self.confidence - self.runner_up < ambiguity
                or self.held_back)


@dataclass(frozen=True)
class Bin:
    low: float
    high: float
    count: int
    accuracy: float
    confidence: float


def reliability(samples: Sequence[Sample], bins: int = BINS) -> list[Bin]:
    """Count, accuracy and mean confidence per equal-width confidence bin (1.0 in the last)."""
    rows = []
    for i in range(bins):
        low, high = i / bins, (i + 1) / bins
        inside = [s for s in samples
                  if low <= s.confidence < high or (i == bins - 1 and s.confidence >= high)]
        if inside:
            rows.append(Bin(low, high, len(inside), sum(s.right for s in inside) / len(inside),
                            sum(s.confidence for s in inside) / len(inside)))
        else:
            rows.append(Bin(low, high, 0, 0.0, 0.0))
    return rows


def expected_calibration_error(samples: Sequence[Sample], bins: int = BINS) -> float:
    """The gap between accuracy and confidence, averaged over the bins by their counts."""
    if not samples:
        return 0.0
    return sum(b.count * abs(b.accuracy - b.confidence)
               for b in reliability(samples, bins)) / len(samples)


@dataclass(frozen=True)
class Cut:
    """What one threshold does."""

    threshold: float
    right_lost: float  # share of the right readings of our texts sent to "not understood"
    wrong_caught: float  # share of the wrong readings sent to "not understood"
    acting_left: float  # share of the texts not ours that still act
    opt_outs_left: int  # of them, opt-outs
    # Texts mishandled (read wrong and answered, or read right and not understood), as a share
    # of their source, averaged over the sources: how big each set is does not decide.
    mishandled: float


def mishandled(sample: Sample, threshold: float, ambiguity: float) -> bool:
    if sample.falls_back(threshold, ambiguity):
        return sample.right and not sample.not_ours
    return not sample.right


def cut(samples: Sequence[Sample], threshold: float, ambiguity: float) -> Cut:
    right = [s for s in samples if s.right and not s.not_ours]
    wrong = [s for s in samples if not s.right]
    not_ours = [s for s in samples if s.not_ours]
    acting = [s for s in not_ours if s.action and not s.falls_back(threshold, ambiguity)]
    sources = {s.source for s in samples}

    def share(part: list[Sample]) -> float:
        return sum(s.falls_back(threshold, ambiguity) for s in part) / len(part) if part else 0.0

    def mishandled_in(source: str) -> float:
        part = [s for s in samples if s.source == source]
        return sum(mishandled(s, threshold, ambiguity) for s in part) / len(part)

    return Cut(threshold, share(right), share(wrong),
               len(acting) / len(not_ours) if not_ours else 0.0,
               sum("opt_out" in s.action.split("+") for s in acting),
               sum(map(mishandled_in, sources)) / len(sources) if sources else 0.0)


def recommended(cuts: Sequence[Cut]) -> Cut:
    """The threshold that mishandles the fewest texts: a wrong reading and a right one lost
    cost the same (the lowest of equals: a text not understood costs the owner a second try)."""
    return min(cuts, key=lambda c: (round(c.mishandled, 4), c.threshold))
