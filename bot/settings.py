"""Configuration from the environment; a `.env` file in the project root is read when present."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

from dotenv import load_dotenv

ROOT = Path(__file__).resolve().parent.parent
DEMO_ACCOUNT_SID = "AC00000000000000000000000000000000"
DEMO_AUTH_TOKEN = "demo-auth-token-not-a-secret"
DEMO_NUMBER = "+15125550100"


@dataclass(frozen=True)
class Settings:
    database_url: str
    tracker_store_url: str
    dealership_data: Path
    default_region: str
    # Twilio: the account the SMS channel checks signatures with and sends through.
    twilio_account_sid: str
    twilio_auth_token: str
    twilio_number: str
    # The public URL Twilio calls (a proxy's or tunnel's); signatures are computed over it.
    public_base_url: str | None
    # Seconds the SMS webhook waits for the assistant before answering later by the REST API.
    sms_reply_deadline: float
    # Where the Twilio REST client is pointed instead of api.twilio.com (a stand-in in tests).
    twilio_api_base: str | None


@functools.cache
def _load_env_file() -> None:
    """`.env` into the environment, once a process: it fills in only what is unset, so a second
    read would add nothing, and settings are read on every text."""
    load_dotenv(ROOT / ".env", override=False)


def load_settings() -> Settings:
    """Reads settings now (not at import), so tests and scripts can set the environment first."""
    _load_env_file()
    var = ROOT / "var"
    return Settings(
        database_url=os.environ.get("DATABASE_URL") or f"sqlite:///{var / 'concierge.db'}",
        tracker_store_url=os.environ.get("TRACKER_STORE_URL") or f"sqlite:///{var / 'tracker.db'}",
        dealership_data=Path(
            os.environ.get("DEALERSHIP_DATA") or ROOT / "bot" / "dealership" / "demo_dealership.yml"
        ),
        # Numbers texted without a country code are read as numbers of this region.
        default_region=os.environ.get("DEFAULT_PHONE_REGION", "US"),
        # Demo values: `make run` serves the SMS webhook without a Twilio account; messages
        # signed with the demo token are accepted, and REST sends fail (and are logged).
        twilio_account_sid=os.environ.get("TWILIO_ACCOUNT_SID") or DEMO_ACCOUNT_SID,
        twilio_auth_token=os.environ.get("TWILIO_AUTH_TOKEN") or DEMO_AUTH_TOKEN,
        twilio_number=os.environ.get("TWILIO_NUMBER") or DEMO_NUMBER,
        public_base_url=os.environ.get("PUBLIC_BASE_URL") or None,
        sms_reply_deadline=float(os.environ.get("SMS_REPLY_DEADLINE") or 10),
        twilio_api_base=os.environ.get("TWILIO_API_BASE") or None,
    )
