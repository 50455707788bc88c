"""`bot.rasa_patches`' replacements behave exactly as the Rasa code they replace."""

from __future__ import annotations

import asyncio
import json
import math
import time
import uuid

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity
from rasa.shared.utils.common import all_subclasses
from rasa.utils.endpoints import EndpointConfig
from sanic import Sanic, response

from bot.rasa_patches import action_calls, server_start
from bot.rasa_patches.action_answers import validate_action_result
from bot.rasa_patches.action_calls import endpoint_session, fast_json
from bot.rasa_patches.event_lookup import resolve_event_type
from tests.sanic_server import ThreadedServer

RASA_SESSION = EndpointConfig.session
RASA_IS_EMPTY = Domain.is_empty


def test_every_event_type_resolves_to_rasas_own_class():
    for kind in all_subclasses(Event):
        assert resolve_event_type(kind.type_name) is Event.resolve_by_type(kind.type_name)


def test_unknown_event_types_behave_as_in_rasa():
    assert resolve_event_type("topic") is None
    assert resolve_event_type("no_such_event", default=Event) is Event
    with pytest.raises(ValueError, match="Unknown event name"):
        resolve_event_type("no_such_event")


def test_action_answers_are_checked_as_strictly():
    good = {"events": [{"event": "slot", "name": "when", "value": "tmrw"}],
            "responses": [{"text": "Done."}]}
    assert validate_action_result(None, good) is True
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        validate_action_result(None, {"events": [{"event": "slot", "name": 5}]})
    with pytest.raises(ValidationError):
        validate_action_result(None, {"events": "not a list"})
    # Rasa's own check agrees on each.
    rasa_action = RemoteAction.__new__(RemoteAction)
    assert RemoteAction._validate_action_result(rasa_action, good) is True
    for bad in ({"events": [{"event": "slot", "name": 5}]}, {"events": "not a list"}):
        with pytest.raises(ValidationError):
            RemoteAction._validate_action_result(rasa_action, bad)


EVENTS = [
    {"event": "slot", "name": "when", "value": {"from": "2026-12-01"}, "timestamp": 1.5},
    {"event": "slot", "name": "when", "value": None, "timestamp": None, "metadata": None},
    {"event": "active_loop", "name": "booking_form"},
    {"event": "active_loop", "name": None},
    {"event": "followup", "name": "action_listen"},
    {"event": "bot", "text": "Hi", "data": {"buttons": [{"title": "Yes", "payload": "/affirm"}]}},
    {"event": "user", "text": "hi", "parse_data": {"intent": {"name": "greet", "confidence": 1},
                                                   "entities": []}},
    {"event": "action", "name": "utter_greet", "policy": "RulePolicy", "confidence": 1.0},
    {"event": "reset_slots"}, {"event": "restart"}, {"event": "pause"}, {"event": "resume"},
    {"event": "session_started"}, {"event": "action_execution_rejected", "name": "x"},
    {"event": "reminder", "intent": "remind", "date_time": "2026-12-01T10:00:00"},
    {"event": "cancel_reminder", "name": "r1"}, {"event": "export"}, {"event": "undo"},
    {"event": "rewind"}, {"event": "loop_interrupted", "is_interrupted": True},
    {"event": "user_featurization", "use_text_for_featurization": False},
    {"event": "entities", "entities": [{"entity": "service", "value": "oil change"}]},
]
# Answers that look wrong; Rasa's schema lets some of them through, and so must this check.
ODD = [
    {"event": "slot", "name": 5},
    {"event": "slot", "name": "when", "timestamp": "yesterday"},
    {"event": "bot", "text": 7},
    {"event": "active_loop", "name": ["a"]},
    {"event": "no_such_event"},
    {"name": "when", "value": 1},
    {"event": 3},
    "slot",
    {"event": "user", "parse_data": {"entities": [{"value": "x"}]}},
    {"event": "loop_interrupted", "is_interrupted": "yes"},
]


@pytest.mark.parametrize("answer", [{"events": [event]} for event in EVENTS + ODD] + [
    {"events": EVENTS, "responses": [{"text": "Done."}]}, {"events": EVENTS + ODD[:1]},
    {"events": []}, {}, {"events": None}, {"events": "not a list"}, [], "events",
    {"events": EVENTS, "responses": "not a list"},
])
def test_each_event_checked_against_its_own_kind_is_decided_as_rasa_decides(answer):
    rasa_action = RemoteAction.__new__(RemoteAction)
    try:
        rasa_verdict = RemoteAction._validate_action_result(rasa_action, answer)
    except ValidationError as error:
        with pytest.raises(ValidationError) as ours:
            validate_action_result(None, answer)
        assert ours.value.message.startswith(error.message.split(".")[0])
    else:
        assert validate_action_result(None, answer) is rasa_verdict is True


def test_action_calls_carry_the_same_json_as_with_the_standard_library():
    tracker = DialogueStateTracker.from_events("+15125550101", [
        UserUttered("oil change tmrw 🙏 w/ loaner", {"name": "book_service", "confidence": 0.9731},
                    entities=[{"entity": "service", "value": "oil change", "start": 0,
                               "end": 10}], timestamp=1764551234.1234567),
        SlotSet("services", ["oil_change"], timestamp=1764551235.5),
        SlotSet("when", {"from": "2026-12-01T09:00:00-06:00", "to": None}),
    ])
    body = {"next_action": "validate_booking_form", "sender_id": tracker.sender_id,
            "tracker": tracker.current_state(EventVerbosity.ALL),
            "domain": Domain.load("domain").as_dict()}
    assert json.loads(fast_json(body)) == json.loads(json.dumps(body))
    odd = {"big": 2**70, "inf": float("inf"), None: 1, 2: "two"}
    assert json.loads(fast_json(odd)) == json.loads(json.dumps(odd))
    assert math.isnan(json.loads(fast_json({"confidence": float("nan")}))["confidence"])


def test_action_calls_are_sent_with_that_json():
    async def open_session():
        async with endpoint_session(EndpointConfig("http://127.0.0.1:9/webhook",
                                                   headers={"X-Test": "1"})) as session:
            return session._json_serialize, session.headers["X-Test"]

    assert asyncio.run(open_session()) == (fast_json, "1")


@pytest.fixture
def action_standin():
    """A server answering as the action server does, recording each call's client port."""
    app = Sanic(f"action_standin_{uuid.uuid4().hex}")
    app.ctx.calls = []

    @app.post("/webhook")
    async def webhook(request):
        app.ctx.calls.append((request.port, request.json["next_action"]))
        return response.json({"events": [], "responses": []})

    server = ThreadedServer(app).start()
    yield server
    server.stop()


def test_action_calls_reuse_one_connection(action_standin):
    endpoint = EndpointConfig(f"{action_standin.url}/webhook")

    async def three_calls():
        for name in ["action_one", "action_two", "action_three"]:
            assert await endpoint.request(json={"next_action": name}, method="post") \
                == {"events": [], "responses": []}
        await action_calls.close_kept_sessions()

    EndpointConfig.session = endpoint_session
    try:
        asyncio.run(three_calls())
    finally:
        EndpointConfig.session = RASA_SESSION
    ports = [port for port, _ in action_standin.app.ctx.calls]
    assert [name for _, name in action_standin.app.ctx.calls] == \
        ["action_one", "action_two", "action_three"]
    assert len(set(ports)) == 1


def test_an_empty_domain_is_told_as_rasa_tells_it():
    for domain in [Domain.empty(), Domain.load("domain"), Domain.from_dict({"intents": []}),
                   Domain.from_dict({"slots": {"x": {"type": "any", "mappings": []}}})]:
        assert server_start.domain_is_empty(domain) == RASA_IS_EMPTY(domain)
    assert server_start.domain_is_empty(Domain.empty())
    assert not server_start.domain_is_empty(Domain.load("domain"))


class LoadedModel:
    """What `load_agent_on_start` returns, recording the texts its model reads."""

    def __init__(self, ready: bool) -> None:
        self.ready, self.read = ready, []
        self.processor = self
        self.tracker_store = self.lock_store = None

    def is_ready(self) -> bool:
        return self.ready

    def _parse_message_with_graph(self, message, tracker):
        self.read.append((message.text, len(tracker.events)))


@pytest.mark.parametrize("ready", [True, False])
def test_the_model_reads_a_text_before_the_server_takes_any(monkeypatch, ready):
    loaded = LoadedModel(ready)

    async def load_agent_on_start(*args, **kwargs):
        return loaded

    monkeypatch.setattr(server_start, "_load_agent_on_start", load_agent_on_start)
    assert asyncio.run(server_start.load_agent_and_warm_up("model", None, None)) is loaded
    # A model that failed to load is left as Rasa leaves it.
    assert loaded.read == ([("hello, can i book an oil change", 0)] if ready else [])


@pytest.mark.parametrize("shared_locks", [False, True])
def test_conversations_are_kept_in_memory_only_with_a_lock_store_in_memory(
        empty_db, monkeypatch, shared_locks):
    from rasa.core.agent import Agent
    from rasa.core.lock_store import InMemoryLockStore, LockStore
    from rasa.core.tracker_store import AwaitableTrackerStore

    from bot.rasa_patches.tracker_store import ConciergeTrackerStore

    class SharedLockStore(LockStore):  # the locks of several servers (Redis, say)
        pass

    store = ConciergeTrackerStore(domain=Domain.load("domain"), host=empty_db)
    kept = []
    monkeypatch.setattr(store, "keep_in_memory", lambda: kept.append(True))
    agent = Agent(tracker_store=AwaitableTrackerStore(store),
                  lock_store=SharedLockStore() if shared_locks else InMemoryLockStore())
    try:
        assert server_start.keep_conversations_in_memory(agent) is not shared_locks
        assert kept == ([] if shared_locks else [True])
    finally:
        store.engine.dispose()


# Calls to the action server: made once more only when a kept connection failed unanswered.

@pytest.fixture
def kept_calls(monkeypatch):
    """EndpointConfig as bot.rasa_patches installs it: kept sessions, one retry."""
    monkeypatch.setattr(EndpointConfig, "session", endpoint_session)
    monkeypatch.setattr(EndpointConfig, "request", action_calls.request_retrying_once)


def make_calls(endpoint: EndpointConfig, count: int, pause: float = 0.0) -> list:
    async def calls():
        results = []
        try:
            for n in range(count):
                try:
                    results.append(await endpoint.request(json={
                        "next_action": "action_greet", "tracker": {
                            "latest_message": {"text": f"call {n}"}}}, method="post"))
                except Exception as error:  # noqa: BLE001 (what the caller would see)
                    results.append(error)
                await asyncio.sleep(pause)
        finally:
            await action_calls.close_kept_sessions()
        return results

    return asyncio.run(calls())


@pytest.fixture
def standin():
    from tests.action_standin import ActionStandIn

    server = ActionStandIn().start()
    yield server
    server.stop()


def test_a_kept_connection_the_action_server_closed_is_replaced_once(kept_calls, standin):
    standin.drop_kept_connections = True
    results = make_calls(EndpointConfig(standin.url), 3)
    assert [r["responses"][0]["text"] for r in results] == \
        [f"action_greet answers: call {n}" for n in range(3)]
    assert standin.dropped == 1  # the second call; the third went on a new kept connection
    assert [e.text for e in standin.executed] == ["call 0", "call 1", "call 2"]


@pytest.mark.parametrize("fault", ["timeout", "500", "hang up", "down"])
def test_a_call_the_action_server_may_have_run_is_never_made_again(kept_calls, standin,
                                                                    monkeypatch, fault):
    from rasa.core.actions import action

    monkeypatch.setattr(action, "DEFAULT_REQUEST_TIMEOUT", 1)
    url = standin.url
    if fault == "timeout":
        standin.delay = 1.5
    elif fault == "500":
        standin.status = 500
    elif fault == "hang up":
        standin.hang_up = True
    else:
        from tests.e2e.conftest import free_port
        url = f"http://127.0.0.1:{free_port()}/webhook"
    async def one_call():
        try:
            return await EndpointConfig(url).request(
                json={"next_action": "action_greet"}, method="post",
                timeout=action.DEFAULT_REQUEST_TIMEOUT)
        except Exception as error:  # noqa: BLE001
            return error
        finally:
            await action_calls.close_kept_sessions()

    assert isinstance(asyncio.run(one_call()), Exception)
    time.sleep(0.6)
    assert standin.received == (0 if fault == "down" else 1)
