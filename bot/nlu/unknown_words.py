"""Keyboard mashes are not understood, whatever the intent classifier says.

An intent classifier gives every message one of the intents it knows, often with high
confidence: DIET read "zxqv blorft wibble" as a problem report at 0.98. A message is read as not
understood (`nlu_fallback`) when none of its words was ever seen in training and at least one of
them looks like no word at all: fewer than a third of its letter triples occur in any training
word. Names usually pass ("Zbigniew", "Nguyen"); those that do not are kept by the forms that
ask for them.
"""

from __future__ import annotations

import json
import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

WORD = re.compile(r"[a-z]+")


def triples(word: str) -> list[str]:
    padded = f"<{word}>"
    return [padded[i:i + 3] for i in range(len(padded) - 2)]


class Vocabulary:
    def __init__(self, words: set[str]) -> None:
        self.words = words
        self.triples = {t for w in words for t in triples(w)}

    def looks_like_a_word(self, word: str) -> bool:
        seen = triples(word)
        return len(word) < 3 or sum(t in self.triples for t in seen) * 3 >= len(seen)

    def is_gibberish(self, text: str) -> bool:
        words = WORD.findall(text.lower())
        return bool(words) and not any(w in self.words for w in words) \
            and not all(self.looks_like_a_word(w) for w in words)


def training_words(data: TrainingData) -> set[str]:
    texts = [m.get("text") or "" for m in data.training_examples]
    texts += list(data.entity_synonyms) + list(data.entity_synonyms.values())
    texts += [str(e) for table in data.lookup_tables for e in table.get("elements", [])]
    return {w for text in texts for w in WORD.findall(text.lower())}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class UnknownWordsFallback(GraphComponent):
    """Goes after the FallbackClassifier; sets `nlu_fallback` on gibberish."""

    def __init__(self, model_storage: ModelStorage, resource: Resource,
                 words: set[str] | None = None) -> None:
        self._model_storage = model_storage
        self._resource = resource
        self.vocabulary = Vocabulary(words or set())

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> UnknownWordsFallback:
        return cls(model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        self.vocabulary = Vocabulary(training_words(training_data))
        with self._model_storage.write_to(self._resource) as directory:
            (directory / "words.json").write_text(json.dumps(sorted(self.vocabulary.words)))
        return self._resource

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> UnknownWordsFallback:
        with model_storage.read_from(resource) as directory:
            words = set(json.loads((directory / "words.json").read_text()))
        return cls(model_storage, resource, words)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if self.vocabulary.is_gibberish(message.get("text") or ""):
                ranking = [r for r in message.get("intent_ranking") or []
                           if r.get("name") != "nlu_fallback"]
                fallback = {"name": "nlu_fallback", "confidence": 1.0}
                message.set("intent", fallback, add_to_output=True)
                message.set("intent_ranking", [fallback, *ranking], add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
