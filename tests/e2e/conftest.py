"""A real Concierge for end-to-end tests: `scripts/run.sh`, as `make run` starts it, on free
ports, over a fresh database loaded with the demo dealership."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tools.concierge import MODEL, Concierge, free_port
from tools.concierge import MONDAY as NOW  # CONCIERGE_NOW for every server started here
from tools.twilio_standin import TwilioStandIn

__all__ = ["MODEL", "NOW", "Concierge", "free_port"]


@pytest.fixture(scope="session")
def twilio() -> Iterator[TwilioStandIn]:
    with TwilioStandIn() as standin:
        yield standin


@pytest.fixture(scope="session")
def concierge(tmp_path_factory, twilio) -> Iterator[Concierge]:
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: `make test` trains it first (or run `make train`)")
    server = Concierge(tmp_path_factory.mktemp("concierge"), twilio.api_base)
    server.start()
    yield server
    if server.process and server.process.poll() is None:
        server.interrupt()
