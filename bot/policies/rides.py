"""A change of ride on a visit already booked ("can I swap the shuttle for a loaner?", "nvm on
the loaner") goes to `action_change_ride`, however the text was read: the intent classifier
reads it as a new loaner request, which would start a second booking."""

from __future__ import annotations

from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction, SupportedData
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.dealership.rides import wanted_ride

CHANGE = "action_change_ride"
# Intents that ask for something else first.
ELSEWHERE = {"request_human", "complain", "opt_out", "cancel_appointment",
             "reschedule_appointment", "report_issue"}


def changes_ride(tracker: DialogueStateTracker) -> bool:
    message = tracker.latest_message
    if message is None or tracker.active_loop_name or tracker.get_slot("owner_id") is None:
        return False
    text = str((message.metadata or {}).get("whole_text") or message.text or "")
    return (message.intent or {}).get("name") not in ELSEWHERE and not text.startswith("/") \
        and wanted_ride(text) is not None


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False)
class RidePolicy(Policy):
    """Sends a change of ride on a booked visit to its action; named in config.yml."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"priority": 7}

    @staticmethod
    def supported_data() -> SupportedData:
        return SupportedData.ML_AND_RULE_DATA

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 execution_context: ExecutionContext, featurizer: Any = None) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)

    def train(self, training_trackers: list[TrackerWithCachedStates], domain: Domain,
              **kwargs: Any) -> Resource:
        return self._resource

    def predict_action_probabilities(self, tracker: DialogueStateTracker, domain: Domain,
                                     rule_only_data: dict[str, Any] | None = None,
                                     **kwargs: Any) -> PolicyPrediction:
        probabilities = self._default_predictions(domain)
        latest = tracker.latest_action_name
        if latest == ACTION_LISTEN_NAME and changes_ride(tracker):
            action = CHANGE
        elif latest == CHANGE:
            action = ACTION_LISTEN_NAME
        else:
            return self._prediction(probabilities)
        probabilities[domain.index_for_action(action)] = 1.0
        return self._prediction(probabilities, is_no_user_prediction=True)
