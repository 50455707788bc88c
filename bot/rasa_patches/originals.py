"""The source of each piece of Rasa that `bot.rasa_patches` replaces or overrides, hashed: what
tests/test_rasa_patches.py compares with the Rasa installed."""

from __future__ import annotations

import hashlib
import inspect
from typing import Any

from rasa.core.policies.rule_policy import RulePolicy
from rasa.core.tracker_store import SQLTrackerStore

from bot.rasa_patches import registry
from bot.rasa_patches.rule_policy import BoundedRulePolicy
from bot.rasa_patches.tracker_store import ConciergeTrackerStore

# Subclasses named in config.yml and endpoints.yml, and the Rasa class each overrides.
SUBCLASSES = ((BoundedRulePolicy, RulePolicy), (ConciergeTrackerStore, SQLTrackerStore))


def name_of(owner: Any, name: str) -> str:
    return f"{getattr(owner, '__qualname__', None) or owner.__name__}.{name}"


def overridden() -> dict[str, Any]:
    """Rasa's own methods that the subclasses override, by name."""
    found = {}
    for ours, theirs in SUBCLASSES:
        for name in vars(ours):
            original = getattr(theirs, name, None)
            if callable(original) and not name.startswith("__"):
                found[name_of(theirs, name)] = original
    return found


def hashes() -> dict[str, str]:
    """sha256 of the source of every original replaced so far (install first) or overridden;
    a value with no source of its own (a number, a class) by its repr."""
    originals = {name_of(owner, name): value for (owner, name), value in
                 registry.replaced().items()} | overridden()
    found = {}
    for name, value in sorted(originals.items()):
        try:
            text = inspect.getsource(value)
        except TypeError:
            text = repr(value)
        found[name] = hashlib.sha256(text.encode()).hexdigest()[:16]
    return found
