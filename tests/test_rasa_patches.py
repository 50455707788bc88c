"""The replacements of `bot.rasa_patches` are written for one Rasa: an upgrade that changes any
piece they replace fails here, loudly, until each is checked against the new code; install
refuses another version; and everything installed can be put back."""

from __future__ import annotations

import pytest
import rasa.core.run
from rasa.core.processor import MessageProcessor
from rasa.engine.runner.dask import DaskGraphRunner

from bot import rasa_patches
from bot.rasa_patches import originals, registry

# sha256 (first 16 hex digits) of the source of each original, in Rasa 3.6.21. When one
# changes: read Rasa's new code, check the replacement against it (its tests compare the two),
# then record the new hash.
RASA_3_6_21 = {
    "DaskGraphRunner.run": "45f0f52f574f3aa9",
    "Domain.is_empty": "884be90ef485f1d2",
    "EndpointConfig.request": "ccdb778aed8208e2",
    "EndpointConfig.session": "e55aa13d9d4fb4bc",
    "Event.resolve_by_type": "b5cf570fa7f286c7",
    "LockStore.lock": "8b9b716c031a3444",
    "MessageProcessor._run_action": "6d383d0179ef1187",
    "MessageProcessor.handle_message": "0c41d4780d2d4676",
    "RemoteAction._validate_action_result": "f8cdb4be68123961",
    "RemoteAction.run": "ccabf6f1160d527a",
    "RulePolicy._get_possible_keys": "2915fd81711e194c",
    "SQLTrackerStore._additional_events": "d22f99eb863acb07",
    "SQLTrackerStore._retrieve": "c8adbf6f4b61ddd1",
    "SQLTrackerStore.save": "57165e46eab3de08",
    "rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT": "983bd614bb5afece",
    "rasa.core.run.configure_app": "72da30416f74c648",
    "rasa.core.run.load_agent_on_start": "b23e12447febeb64",
    "rasa.server.Initialize": "aa5a3384ee4aeec4",
}


@pytest.fixture
def installed():
    rasa_patches.install()
    yield
    registry.restore()


def test_every_original_replaced_is_the_code_the_replacements_were_checked_against(installed):
    assert originals.hashes() == RASA_3_6_21


def test_install_refuses_any_other_rasa():
    rasa_patches.check_version("3.6.21")
    with pytest.raises(rasa_patches.WrongRasa, match="3.6.22"):
        rasa_patches.check_version("3.6.22")


def test_restore_puts_rasas_own_code_back():
    own = (MessageProcessor.handle_message, DaskGraphRunner.run, rasa.core.run.configure_app)
    rasa_patches.install()
    assert MessageProcessor.handle_message is not own[0] and DaskGraphRunner.run is not own[1]
    # the handling of several requests wraps the apology for failed turns, which wraps Rasa's
    assert registry.original(MessageProcessor, "handle_message") is own[0]
    registry.restore()
    assert (MessageProcessor.handle_message, DaskGraphRunner.run,
            rasa.core.run.configure_app) == own
