"""Prints the figures of a `rasa test nlu` run: intent macro-F1, entity F1 per entity, the
topic selector's accuracy, and the most confused intent pairs.

    python scripts/eval_report.py results/nlu-heldout --targets

The targets are for messages training never saw (the held-out file); cross-validation's figures
are printed without them, to show how the training data generalises.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

INTENT_TARGET = 0.96  # issue 19: 0.951 before it
TOPIC_TARGET = 0.95
SUMMARY_ROWS = ("accuracy", "macro avg", "weighted avg", "micro avg")


def read(path: Path) -> dict | list | None:
    return json.loads(path.read_text()) if path.exists() else None


def against(target: float, targets: bool) -> str:
    return f" (target {target})" if targets else ""


def intents(folder: Path, targets: bool) -> float | None:
    report = read(folder / "intent_report.json")
    if not report:
        return None
    macro = report["macro avg"]["f1-score"]
    print(f"intents: macro-F1 {macro:.3f}{against(INTENT_TARGET, targets)}, "
          f"accuracy {report.get('accuracy', 0):.3f}")
    weakest = sorted((row["f1-score"], name) for name, row in report.items()
                     if name not in SUMMARY_ROWS and isinstance(row, dict))[:5]
    print("  weakest: " + ", ".join(f"{name} {f1:.2f}" for f1, name in weakest))
    return macro


def entities(folder: Path) -> None:
    for path in sorted(folder.glob("*Extractor_report.json")) + sorted(
            folder.glob("DIETClassifier_report.json")):
        report = read(path)
        rows = {name: row for name, row in report.items()
                if name not in SUMMARY_ROWS and isinstance(row, dict) and name != "no_entity"}
        print(f"entities ({path.stem.replace('_report', '')}): " + ", ".join(
            f"{name} {row['f1-score']:.2f}" for name, row in sorted(rows.items())))


def topics(folder: Path, targets: bool) -> float | None:
    report = read(folder / "response_selection_report.json")
    if not report:
        return None
    accuracy = report.get("accuracy")
    if accuracy is None:
        accuracy = report["micro avg"]["f1-score"] if "micro avg" in report else 0.0
    print(f"ownership topics: accuracy {accuracy:.3f}{against(TOPIC_TARGET, targets)}")
    return accuracy


def confusions(folder: Path, most: int = 8) -> None:
    errors = read(folder / "intent_errors.json") or []
    pairs = Counter((e["intent"], e["intent_prediction"]["name"]) for e in errors)
    if pairs:
        print("most confused (true -> predicted): " + "; ".join(
            f"{a} -> {b} x{n}" for (a, b), n in pairs.most_common(most)))
    for error in errors[:most]:
        predicted = error["intent_prediction"]
        print(f"  {error['text']!r}: {error['intent']} read as {predicted['name']} "
              f"({predicted['confidence']:.2f})")


def main(folder: str, targets: bool) -> int:
    path = Path(folder)
    if not (path / "intent_report.json").exists():
        print(f"{path}: no intent_report.json (run `rasa test nlu --out {path}` first)")
        return 1
    print(f"== {path}")
    macro = intents(path, targets)
    entities(path)
    accuracy = topics(path, targets)
    confusions(path)
    if not targets:
        return 0
    missed = [name for name, value, target in (("intent macro-F1", macro, INTENT_TARGET),
                                                ("topic accuracy", accuracy, TOPIC_TARGET))
              if value is not None and value < target]
    print("targets: " + (f"missed: {', '.join(missed)}" if missed else "met"))
    return 0


if __name__ == "__main__":
    args = [arg for arg in sys.argv[1:] if arg != "--targets"]
    sys.exit(main(args[0] if args else "results/nlu-heldout", "--targets" in sys.argv[1:]))
