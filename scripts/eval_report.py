"""Prints the figures of a `rasa test nlu` run: intent macro-F1, entity F1 per entity, the
topic selector's accuracy, and the most confused intent pairs.

    python scripts/eval_report.py results/nlu-heldout
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

INTENT_TARGET = 0.95
TOPIC_TARGET = 0.95
SUMMARY_ROWS = ("accuracy", "macro avg", "weighted avg", "micro avg")


def read(path: Path) -> dict | list | None:
    return json.loads(path.read_text()) if path.exists() else None


def intents(folder: Path) -> float | None:
    report = read(folder / "intent_report.json")
    if not report:
        return None
    macro = report["macro avg"]["f1-score"]
    print(f"intents: macro-F1 {macro:.3f} (target {INTENT_TARGET}), "
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


def topics(folder: Path) -> float | None:
    report = read(folder / "response_selection_report.json")
    if not report:
        return None
    accuracy = report.get("accuracy")
    if accuracy is None:
        accuracy = report["micro avg"]["f1-score"] if "micro avg" in report else 0.0
    print(f"ownership topics: accuracy {accuracy:.3f} (target {TOPIC_TARGET})")
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


def main(folder: str) -> int:
    path = Path(folder)
    if not (path / "intent_report.json").exists():
        print(f"{path}: no intent_report.json (run `rasa test nlu --out {path}` first)")
        return 1
    print(f"== {path}")
    macro = intents(path)
    entities(path)
    accuracy = topics(path)
    confusions(path)
    missed = [name for name, value, target in (("intent macro-F1", macro, INTENT_TARGET),
                                                ("topic accuracy", accuracy, TOPIC_TARGET))
              if value is not None and value < target]
    print("targets: " + (f"missed: {', '.join(missed)}" if missed else "met"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "results/nlu-heldout"))
