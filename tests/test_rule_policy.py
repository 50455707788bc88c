"""`BoundedRulePolicy` finds the same rules as Rasa's `RulePolicy` at every step of the
conversation tests, and of a conversation much longer than any rule."""

from __future__ import annotations

import pytest
from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.generator import TrainingDataGenerator
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.core.training_data.structures import StoryGraph

from bot.rasa_patches.rule_policy import BoundedRulePolicy
from tests.conftest import ROOT

RASA_KEYS = RulePolicy._get_possible_keys


@pytest.fixture(scope="module")
def policy(trained_agent) -> BoundedRulePolicy:
    for node in trained_agent.processor.graph_runner._instantiated_nodes.values():
        if node._component_class is BoundedRulePolicy:
            return node._component
    raise AssertionError("the model has no BoundedRulePolicy")


def story_trackers(domain) -> list[DialogueStateTracker]:
    steps = YAMLStoryReader(domain).read_from_file(ROOT / "tests" / "test_stories.yml")
    generator = TrainingDataGenerator(StoryGraph(steps), domain, augmentation_factor=0,
                                      remove_duplicates=False, unique_last_num_states=None)
    return generator.generate_story_trackers()


def long_conversation(domain) -> DialogueStateTracker:
    events = [ActionExecuted("action_session_start"), ActionExecuted("action_listen")]
    for i in range(200):
        events += [UserUttered("what are your hours", {"name": "ownership", "confidence": 1.0}),
                   ActionExecuted("action_answer_ownership"), BotUttered(f"answer {i}"),
                   ActionExecuted("action_listen")]
    events.append(UserUttered("can i book an oil change",
                              {"name": "book_service", "confidence": 1.0}))
    return DialogueStateTracker.from_events("+15125550142", events, slots=domain.slots)


def each_step(trackers):
    """Every tracker of the conversations as it was before each action (a conversation of
    hundreds of turns only at its end)."""
    for story in trackers[:-1]:
        for tracker, _ in story.generate_all_prior_trackers():
            yield tracker
    yield trackers[-1]


def test_the_same_rules_at_every_step(trained_agent, policy):
    domain = trained_agent.domain
    rule_only_data = policy._get_rule_only_data()
    checked = 0
    for tracker in each_step([*story_trackers(domain), long_conversation(domain)]):
        for use_text in (True, False):
            states = policy._prediction_states(tracker, domain, use_text,
                                               rule_only_data=rule_only_data)
            for kind in (RULES, RULES_FOR_LOOP_UNHAPPY_PATH):
                ours = policy._get_possible_keys(policy.lookup[kind], states)
                assert ours == RASA_KEYS(policy, policy.lookup[kind], states)
                checked += bool(ours)
    assert checked > 100  # rules were found, not only nothing twice
