"""What the two routing policies share: nothing to train, a priority above the rules, and a
prediction made the way the rules mark a form's next step, so it can win over one."""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction, SupportedData
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker


class RoutingPolicy(Policy):
    """A policy that names the next action in a few situations, and abstains otherwise."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": 7}  # above RulePolicy's 6: a tie at confidence 1.0 is ours

    @staticmethod
    def supported_data() -> SupportedData:
        return SupportedData.ML_AND_RULE_DATA

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 execution_context: ExecutionContext, featurizer: Any = None) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)

    def train(self, training_trackers: list[TrackerWithCachedStates], domain: Domain,
              **kwargs: Any) -> Resource:
        return self._resource

    def next_action(self, tracker: DialogueStateTracker) -> str | None:
        """The action to run next, or None to leave it to the other policies."""
        raise NotImplementedError

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: dict[str, Any] | None = None,
                                     **kwargs: Any) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        action = self.next_action(tracker)
        if action is None:
            return self._prediction(probabilities)
        probabilities[domain.index_for_action(action)] = 1.0
        # Marked as the rules mark a form's next step, which otherwise overrules every other
        # prediction: this one is made over the form's, and the priority settles it.
        return self._prediction(probabilities, is_no_user_prediction=True)
