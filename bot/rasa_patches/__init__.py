"""Every piece of Rasa that Concierge replaces or extends, in one place.

Each was found by profiling `make bench` or by a fault seen from outside (docs/benchmarks.md has
the measurements); each is tested against Rasa's own behaviour. `install()` puts them in,
refuses any Rasa but the pinned one, and `registry.restore()` takes them out again. The source
of every original replaced is hashed in tests/test_rasa_patches.py, so an upgrade of Rasa fails
loudly until each is checked again.

Module: what it replaces / why (measured) / delete it when.

- action_answers: `RemoteAction._validate_action_result` / jsonschema re-checked its
  meta-schema on every action answer, a third of the server's time / Rasa builds its validator
  once.
- event_lookup: `Event.resolve_by_type` / it walked every Event subclass for each stored event,
  half the time of reading a conversation / Rasa looks event classes up in a table.
- action_calls: `EndpointConfig.session`, `.request`, `DEFAULT_REQUEST_TIMEOUT` / a connection
  per action call, JSON written 4x slower than ujson, a 5-minute wait, and a turn failed by a
  connection the action server had closed / Rasa keeps sessions, cuts calls sooner and retries
  unanswered calls.
- graph_runner: `DaskGraphRunner.run` / dask's scheduler was 6% of both servers' time for
  graphs of a dozen nodes / Rasa runs small graphs without dask.
- rule_policy: `RulePolicy._get_possible_keys`, as a subclass named in config.yml / every state
  back to the conversation's start was tested, two or three times a turn / Rasa stops at the
  longest rule.
- tracker_store: `SQLTrackerStore`'s reads, as a subclass named in endpoints.yml / each turn
  decoded the whole conversation again, a tenth of the main thread / Rasa keeps conversations
  of a single server in memory.
- server_start: `Domain.is_empty`, `load_agent_on_start`, `configure_app` / an empty domain
  built for every text (1%), the first owner after a start waited for the model's first read,
  no health check / Rasa warms its model up and has a health route.
- conversation_lock: `LockStore.lock`, `RemoteAction.run` / a ticket of fixed life: a message
  queued behind slow turns was never answered / Rasa renews tickets while a turn progresses.
- failed_turns: `MessageProcessor._run_action`, `.handle_message` / an action that failed left
  the owner without a reply / Rasa answers failed actions.
- several_requests: `MessageProcessor.handle_message` / a text asking several things was read
  as one / Rasa reads several intents without a label for each pair.
- api_tokens: `rasa.server.Initialize`, `create_app` / the JWT secret on the command line,
  tokens without expiry accepted / Rasa takes the secret from the environment, requires `exp`.
- body_limits: `configure_app` (wrapped) / request bodies of any size were read whole / Rasa
  limits bodies per route.
"""

from __future__ import annotations

import rasa

from bot.rasa_patches import (
    action_answers,
    action_calls,
    api_tokens,
    body_limits,
    conversation_lock,
    event_lookup,
    failed_turns,
    graph_runner,
    server_start,
    several_requests,
)

# The only Rasa these replacements were written and tested against (requirements.lock).
RASA_VERSION = "3.6.21"


class WrongRasa(RuntimeError):
    pass


def check_version(version: str = rasa.__version__) -> None:
    if version != RASA_VERSION:
        raise WrongRasa(
            f"bot.rasa_patches replaces parts of Rasa {RASA_VERSION}, and this is Rasa {version}:"
            " check each replacement against the new version (tests/test_rasa_patches.py) "
            "before changing RASA_VERSION")


def install(jwt_secret: str | None = None) -> None:
    """Puts every replacement in; the HTTP API opens with `jwt_secret` when given."""
    check_version()
    graph_runner.install()
    conversation_lock.install()
    failed_turns.install()
    several_requests.install()  # after failed_turns: each request is a turn of its own
    api_tokens.install(jwt_secret)
    action_calls.install()
    action_answers.install()
    event_lookup.install()
    server_start.install()
    body_limits.install()  # last: it wraps configure_app as set above
