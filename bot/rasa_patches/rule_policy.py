"""Rasa's rule policy, matching rules only as far back as the longest rule still in play.

`RulePolicy._get_possible_keys` walks every state of the conversation back to its start, testing
each rule still in play against each state, two or three times a turn. A rule is in play only as
far back as it is long (past that, `_is_rule_applicable` says yes without looking), so once the
walk is further back than the longest rule left, nothing more can drop out: the same rules are
found without walking the rest of a long conversation. Named in config.yml like any policy.
"""

from __future__ import annotations

from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.generator import State


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True)
class BoundedRulePolicy(RulePolicy):
    """`RulePolicy`, the same rules found at every step."""

    def _get_possible_keys(self, lookup: dict[str, str], states: list[State]) -> set[str]:
        possible_keys = set(lookup.keys())
        for i, state in enumerate(reversed(states)):
            if i >= max((len(self._rule_key_to_state(key)) for key in possible_keys),
                        default=0):
                break
            possible_keys = {key for key in possible_keys
                             if self._is_rule_applicable(key, i, state)}
        return possible_keys
