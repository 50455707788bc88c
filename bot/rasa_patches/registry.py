"""Where each replacement of a piece of Rasa is recorded: what it replaced, so that it can be
called (a replacement that adds to Rasa's own behaviour), checked for change on an upgrade
(tests hash the source of every original) and put back (`restore`, for tests).
"""

from __future__ import annotations

from typing import Any

# (owner, name) -> (the owner's own attribute as it was, the value read through the owner)
_originals: dict[tuple[Any, str], tuple[Any, Any]] = {}


def replace(owner: Any, name: str, new: Any) -> Any:
    """Sets `owner.name` to `new`; returns what was there (to chain to). The first original is
    kept, however often the attribute is replaced."""
    previous = getattr(owner, name)
    key = (owner, name)
    if key not in _originals:
        raw = owner.__dict__.get(name, previous) if isinstance(owner, type) else previous
        _originals[key] = (raw, previous)
    setattr(owner, name, new)
    return previous


def original(owner: Any, name: str) -> Any:
    """Rasa's own `owner.name`, whether or not it has been replaced."""
    recorded = _originals.get((owner, name))
    return recorded[1] if recorded else getattr(owner, name)


def replaced() -> dict[tuple[Any, str], Any]:
    """Every attribute replaced so far, with Rasa's own value."""
    return {key: value for key, (_, value) in _originals.items()}


def restore() -> None:
    """Puts every original back, as before the first replacement."""
    for (owner, name), (raw, _) in _originals.items():
        setattr(owner, name, raw)
    _originals.clear()
