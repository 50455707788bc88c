"""A short follow-up to an answer ("ok and saturday?", "and the rest of the car?", "what about
for the rx?") asks the same question of something else: it goes back to the answer's action,
which answers on the topic asked just before. Read on their own, such texts are often not
understood at all."""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.policies.routing import RoutingPolicy

ANSWER = "action_answer_ownership"
# "and saturday?", "ok what about the rx", "how about for my wife's car?": a few words at most.
FOLLOW_UP = re.compile(r"^\s*(?:(?:ok(?:ay)?|so|hmm|oh)[,.!]?\s+)?(?:and|what about|how about|"
                       r"what abt|and what about)\b[^.!]{0,40}\??\s*$", re.IGNORECASE)
# What a follow-up may be read as: nothing of its own.
UNREAD = {"nlu_fallback", "out_of_scope", "inform", "ownership"}


def follows_up(tracker: DialogueStateTracker) -> bool:
    """Whether the latest text is a short follow-up to an ownership answer just given."""
    message = tracker.latest_message
    if message is None or tracker.active_loop_name or \
            (message.intent or {}).get("name") not in UNREAD or \
            not FOLLOW_UP.match(message.text or ""):
        return False
    seen_text = False
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            if seen_text:
                return False
            seen_text = True
        elif isinstance(event, ActionExecuted) and seen_text and \
                event.action_name != ACTION_LISTEN_NAME:
            return event.action_name == ANSWER
    return False


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=False)
class FollowUpPolicy(RoutingPolicy):
    """Sends a short follow-up back to the answer it follows; named in config.yml."""

    def next_action(self, tracker: DialogueStateTracker) -> str | None:
        latest = tracker.latest_action_name
        if latest == ACTION_LISTEN_NAME and follows_up(tracker):
            return ANSWER
        return ACTION_LISTEN_NAME if latest == ANSWER and follows_up(tracker) else None
