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
    # Seconds one call to the action server may take, and the life of a conversation's lock
    # (TICKET_LOCK_LIFETIME, as Rasa names it): renewed before each call, so it must outlast one.
    action_timeout: float = 30.0
    lock_lifetime: float = 60.0
    # Pages on other origins allowed to open the web chat; empty: only this server's own.
    webchat_allowed_origins: tuple[str, ...] = ()
    # Messages of one web chat connection that may wait behind the one being answered.
    webchat_max_backlog: int = 20
    # The staff console's address as staff open it: on-call texts link to tickets there.
    staff_public_url: str = "http://localhost:5006"
    # On-call texts: at most this many a conversation, and to the on-call number, an hour
    # (then one roll-up text); anyone can open a chat, so alerts must not become a flood.
    oncall_alerts_per_conversation: int = 1
    oncall_alerts_per_hour: int = 5
    # Texted codes that prove a number in the web chat, an hour: per client address and in all.
    verify_codes_per_address: int = 10
    verify_codes_per_hour: int = 100
    # Proxies in front of the Rasa server that add X-Forwarded-For: the web chat's client
    # address for the codes' limit is read from it only then (0: the connection's own address).
    webchat_proxies_count: int = 0
    # Seconds after which a text still being answered is taken for lost (its server stopped
    # mid-turn): the owner gets an apology and staff a ticket. Above the longest turn.
    sms_unanswered_after: float = 600.0


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
        action_timeout=float(os.environ.get("ACTION_TIMEOUT") or 30),
        lock_lifetime=float(os.environ.get("TICKET_LOCK_LIFETIME") or 60),
        webchat_allowed_origins=tuple(
            origin.strip().rstrip("/")
            for origin in os.environ.get("WEBCHAT_ALLOWED_ORIGINS", "").split(",")
            if origin.strip()),
        webchat_max_backlog=int(os.environ.get("WEBCHAT_MAX_BACKLOG") or 20),
        staff_public_url=(os.environ.get("STAFF_PUBLIC_URL")
                          or "http://localhost:5006").rstrip("/"),
        oncall_alerts_per_conversation=int(os.environ.get("ONCALL_ALERTS_PER_CONVERSATION") or 1),
        oncall_alerts_per_hour=int(os.environ.get("ONCALL_ALERTS_PER_HOUR") or 5),
        verify_codes_per_address=int(os.environ.get("VERIFY_CODES_PER_ADDRESS") or 10),
        verify_codes_per_hour=int(os.environ.get("VERIFY_CODES_PER_HOUR") or 100),
        webchat_proxies_count=int(os.environ.get("WEBCHAT_PROXIES_COUNT") or 0),
        sms_unanswered_after=float(os.environ.get("SMS_UNANSWERED_AFTER") or 600),
    )
