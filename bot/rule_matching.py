"""Rasa's rule matching, stopped where the longest rule still in play ends.

`RulePolicy._get_possible_keys` walks every state of the conversation back to its start, testing
each rule still in play against each state, two or three times a turn. A rule is in play only as
far back as it is long (past that, `_is_rule_applicable` says yes without looking), so once the
walk is further back than the longest rule left, nothing more can drop out: the same rules are
found without walking the rest of a long conversation.
"""

from __future__ import annotations

from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.generator import State

rasa_get_possible_keys = RulePolicy._get_possible_keys  # Rasa's own, kept for comparison


def get_possible_keys(self: RulePolicy, lookup: dict[str, str],
                      states: list[State]) -> set[str]:
    """`RulePolicy._get_possible_keys`, the same rules found."""
    possible_keys = set(lookup.keys())
    for i, state in enumerate(reversed(states)):
        if i >= max((len(self._rule_key_to_state(key)) for key in possible_keys), default=0):
            break
        possible_keys = {key for key in possible_keys
                         if self._is_rule_applicable(key, i, state)}
    return possible_keys


def install() -> None:
    RulePolicy._get_possible_keys = get_possible_keys  # type: ignore[method-assign]
