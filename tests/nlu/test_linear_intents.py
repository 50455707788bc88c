"""The linear intent classifier: trained, stored in a model archive's storage and read back."""

from __future__ import annotations

import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.special import softmax

from bot.nlu.linear_intents import LinearIntentClassifier, Reader, fit_temperature

VIN = {"name": "vin", "pattern": r"\b[A-HJ-NPR-Z0-9]{17}\b"}
SMALL = TrainingData(training_examples=[
    Message(data={"text": text, "intent": intent}) for intent, texts in {
        "book_service": ["book an oil change", "can i come in tmrw for service",
                         "need my brakes looked at friday", "schedule maintenance pls",
                         "i want to bring my car in", "set up a tire rotation"],
        "check_recall": ["any recalls on my car", "is there a recall for JTJBM7FX5K5000199",
                         "recall check please", "does my rx have open recalls",
                         "recalls for vin JTHBZ1D2XH5000181", "safety recall?"],
        "thank": ["thanks", "thank you so much", "thx", "appreciate it", "ty!", "thanks a lot"],
    }.items() for text in texts], regex_features=[VIN])


def classifier(tmp_path, data: TrainingData = SMALL) -> LinearIntentClassifier:
    """Trained into a real model storage, then loaded from it as a model archive is."""
    storage, resource = LocalModelStorage(tmp_path), Resource("linear_intents")
    context = ExecutionContext(GraphSchema({}), "test")
    LinearIntentClassifier.create({}, storage, resource, context).train(data)
    return LinearIntentClassifier.load({}, storage, resource, context)


def read(component: LinearIntentClassifier, text: str) -> Message:
    (message,) = component.process([Message(data={"text": text})])
    return message


def test_a_stored_model_reads_back_and_ranks_every_intent(tmp_path):
    message = read(classifier(tmp_path), "can i book service for tomorrow")
    ranking = message.get("intent_ranking")
    assert message.get("intent") == ranking[0] and ranking[0]["name"] == "book_service"
    assert {r["name"] for r in ranking} == {"book_service", "check_recall", "thank"}
    confidences = [r["confidence"] for r in ranking]
    assert confidences == sorted(confidences, reverse=True)
    assert sum(confidences) == pytest.approx(1.0)


def test_any_vin_reads_as_the_same_marker(tmp_path):
    assert Reader([VIN])("Recall on 2T2HZMDA5NC000123?") == "recall on  vinregex ?"
    message = read(classifier(tmp_path), "2T2HZMDA5NC000123")  # a VIN never seen in training
    assert message.get("intent")["name"] == "check_recall"


def test_messages_without_text_are_left_alone(tmp_path):
    (message,) = classifier(tmp_path).process([Message(data={"text": ""})])
    assert message.get("intent") is None


def test_the_ranking_is_cut_at_its_length(tmp_path):
    component = classifier(tmp_path)
    component.config["ranking_length"] = 2
    assert len(read(component, "thanks!").get("intent_ranking")) == 2


def test_the_temperature_is_the_one_the_labels_were_drawn_with():
    rng = np.random.default_rng(0)
    scores = rng.normal(size=(20000, 4))
    truth = np.array([rng.choice(4, p=p) for p in softmax(scores * 2.5, axis=1)])
    assert fit_temperature(scores, truth) == pytest.approx(2.5, rel=0.1)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> LinearIntentClassifier:
    """Trained on the project's own training messages."""
    return classifier(tmp_path_factory.mktemp("project"), load_data("data/nlu"))


@pytest.mark.parametrize(("text", "intent"), [
    ("never mind", "deny"),
    ("forget it", "deny"),
    ("can u fit me in for an oil change thurs morning", "book_service"),
    ("JTJBM7FX5K5000199", "inform"),
    ("my brakes r squeaking really bad", "report_issue"),
])
def test_everyday_texts_read_as_their_intents(project, text, intent):
    assert read(project, text).get("intent")["name"] == intent


def test_a_text_with_nothing_the_model_knows_is_not_understood(project):
    """No n-gram known: the intercepts alone would name the commonest intent with confidence."""
    for text in ("\u05e9\u05dc\u05d5\u05dd", "\u0ead\u0eb0"):  # Hebrew, Lao
        confidences = project.model.confidences([text])[0]
        assert np.allclose(confidences, 1 / len(confidences))
        assert read(project, text).get("intent")["confidence"] < 0.1


ODD_TEXTS = ["", "🚗🔧??", "zzzz qqqq", "OIL CHANGE!!! tmrw 9am", "x" * 2000,
             "can i get my rx 350 in on 12/9 at 9am, i'll need a loaner",
             "is there a recall for JTJBM7FX5K5000199", "what time do you open on saturday"]


def test_scores_are_the_pipelines_decision_function(project):
    model = project.model
    texts = ODD_TEXTS + [m.get("text") for m in load_data("data/nlu").intent_examples[::37]]
    known = [t for t in texts if t]  # "" has no n-gram: no score, see above
    expected = model.pipeline.decision_function([model.read(t) for t in known])
    assert np.allclose(model.scores(known), expected)
    assert np.isnan(model.scores([""])).all()


def test_two_labels_score_as_scikit_learn_does(tmp_path):
    two = TrainingData(training_examples=[m for m in SMALL.training_examples
                                          if m.get("intent") != "thank"], regex_features=[VIN])
    model = classifier(tmp_path, two).model
    known = [t for t in ODD_TEXTS if t and t != "zzzz qqqq"]  # no n-gram these six texts had
    expected = model.pipeline.decision_function([model.read(t) for t in known])
    assert np.allclose(model.scores(known), np.stack([-expected, expected], axis=1))
    assert np.isnan(model.scores(["zzzz qqqq"])).all()
    assert read(classifier(tmp_path, two), "book me in tmrw").get("intent")["name"] == \
        "book_service"


@pytest.mark.parametrize("text, read_as", [
    ("r u open sat?", "are you open sat?"),
    ("can u move my appt, thx", "can you move my appointment, thanks"),
    ("idk, w/ a loaner", "i don't know, with a loaner"),
    # Not shorthand: inside a word, in a part name, or a number that may be a time or a date.
    ("menu", "menu"), ("u-joint", "u-joint"), ("4 tires at 2", "4 tires at 2"),
    ("JTJBM7FX5K5000199", " vinregex "),
])
def test_texting_shorthand_reads_as_the_words_it_stands_for(text, read_as):
    assert Reader([VIN])(text) == read_as


def test_a_change_in_how_texts_are_read_trains_anew(monkeypatch):
    # Rasa reuses a cached component unless its fingerprint changes; the class's own source is
    # all it looks at, so the reading around it has to be part of the fingerprint.
    from bot.nlu import linear_intents, shorthand
    from bot.nlu.linear_topics import LinearTopicSelector

    before = LinearIntentClassifier.fingerprint_addon({})
    assert LinearTopicSelector.fingerprint_addon({}) == before
    real = linear_intents.inspect.getsource
    monkeypatch.setattr(linear_intents.inspect, "getsource", lambda obj: real(obj) + (
        "# one more shorthand" if obj is shorthand else ""))
    assert LinearIntentClassifier.fingerprint_addon({}) != before
