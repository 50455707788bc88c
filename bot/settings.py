"""Configuration from the environment; a `.env` file in the project root is read when present.

Every setting names its environment variable beside its default (`_env`), so the variables
Concierge reads are the fields of `Settings` and nothing else: `.env.example` and the README
document exactly those (tests/test_settings_documented.py). An empty value means the default.

`python -m bot.settings` prints the settings as shell exports, for scripts/run.sh: the shell
reads `.env` through this module instead of parsing it a second way.
"""

from __future__ import annotations

import functools
import os
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from dotenv import dotenv_values, load_dotenv

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
DEMO_ACCOUNT_SID = "AC00000000000000000000000000000000"
DEMO_AUTH_TOKEN = "demo-auth-token-not-a-secret"
DEMO_NUMBER = "+15125550100"
# Read by scripts/find-python.sh before any virtual environment (and so this module) exists.
SETUP_VARIABLES = ("PYTHON",)


def _env(name: str, default: Any = None, parse: Callable[[str], Any] = str) -> Any:
    """A setting read from the environment variable `name` with `parse`; unset or empty:
    `default`."""
    return field(default=default, metadata={"env": name, "parse": parse})


def _origins(raw: str) -> tuple[str, ...]:
    return tuple(origin.strip().rstrip("/") for origin in raw.split(",") if origin.strip())


def _flag(raw: str) -> bool:
    return raw.lower() in ("1", "true", "yes", "on")


def _url(raw: str) -> str:
    return raw.rstrip("/")


def _moment(raw: str) -> datetime:
    moment = datetime.fromisoformat(raw)
    if moment.tzinfo is None:
        raise ValueError("CONCIERGE_NOW needs an offset, e.g. 2026-11-23T10:00:00-06:00")
    return moment.astimezone(timezone.utc)


@dataclass(frozen=True)
class Settings:
    database_url: str = _env("DATABASE_URL", f"sqlite:///{VAR / 'concierge.db'}")
    tracker_store_url: str = _env("TRACKER_STORE_URL", f"sqlite:///{VAR / 'tracker.db'}")
    dealership_data: Path = _env("DEALERSHIP_DATA",
                                 ROOT / "bot" / "dealership" / "demo_dealership.yml", Path)
    # Numbers texted without a country code are read as numbers of this region.
    default_region: str = _env("DEFAULT_PHONE_REGION", "US")
    # Pins the clock (bot/clock.py), for demos and end-to-end tests; None: the real time.
    pinned_now: datetime | None = _env("CONCIERGE_NOW", None, _moment)
    # Twilio: the account the SMS channel checks signatures with and sends through. Demo values
    # by default: `make run` serves the SMS webhook without a Twilio account; messages signed
    # with the demo token are accepted, and REST sends fail (and are logged).
    twilio_account_sid: str = _env("TWILIO_ACCOUNT_SID", DEMO_ACCOUNT_SID)
    twilio_auth_token: str = _env("TWILIO_AUTH_TOKEN", DEMO_AUTH_TOKEN)
    twilio_number: str = _env("TWILIO_NUMBER", DEMO_NUMBER)
    # The public URL Twilio calls (a proxy's or tunnel's); signatures are computed over it.
    public_base_url: str | None = _env("PUBLIC_BASE_URL")
    # Seconds the SMS webhook waits for the assistant before answering later by the REST API.
    sms_reply_deadline: float = _env("SMS_REPLY_DEADLINE", 10.0, float)
    # Where the Twilio REST client is pointed instead of api.twilio.com (a stand-in in tests).
    twilio_api_base: str | None = _env("TWILIO_API_BASE")
    # Where the Rasa server listens, and the action server's port (always on 127.0.0.1).
    rasa_port: int = _env("RASA_PORT", 5005, int)
    rasa_interface: str = _env("RASA_INTERFACE", "0.0.0.0")
    action_server_port: int = _env("ACTION_SERVER_PORT", 5055, int)
    # Where scripts/run.sh writes the servers' logs.
    log_dir: Path = _env("LOG_DIR", VAR / "log", Path)
    # The secret Rasa's HTTP API checks JWTs with; its clients (the console) sign with it.
    rasa_jwt_secret: str | None = _env("RASA_JWT_SECRET")
    # Rasa's REST channel, which believes any sender: for development and tests only.
    rest_channel: bool = _env("CONCIERGE_REST_CHANNEL", False, _flag)
    # Seconds one call to the action server may take, and the life of a conversation's lock
    # (TICKET_LOCK_LIFETIME, as Rasa names it): renewed before each call, so it must outlast one.
    action_timeout: float = _env("ACTION_TIMEOUT", 30.0, float)
    lock_lifetime: float = _env("TICKET_LOCK_LIFETIME", 60.0, float)
    # Pages on other origins allowed to open the web chat; empty: only this server's own.
    webchat_allowed_origins: tuple[str, ...] = _env("WEBCHAT_ALLOWED_ORIGINS", (), _origins)
    # Messages of one web chat connection that may wait behind the one being answered.
    webchat_max_backlog: int = _env("WEBCHAT_MAX_BACKLOG", 20, int)
    # The staff console: where it listens, where it finds Rasa's HTTP API (None: this host's
    # RASA_PORT), cookies over HTTPS only, and proxies whose X-Forwarded-For it believes.
    staff_interface: str = _env("STAFF_INTERFACE", "127.0.0.1")
    staff_port: int = _env("STAFF_PORT", 5006, int)
    rasa_url: str | None = _env("RASA_URL", None, _url)
    staff_secure_cookies: bool = _env("STAFF_SECURE_COOKIES", False, _flag)
    staff_proxies_count: int = _env("STAFF_PROXIES_COUNT", 0, int)
    # The staff console's address as staff open it: on-call texts link to tickets there.
    staff_public_url: str = _env("STAFF_PUBLIC_URL", "http://localhost:5006", _url)
    # Seconds between the console's checks for tickets to text the on-call advisor about.
    oncall_check_seconds: float = _env("ONCALL_CHECK_SECONDS", 30.0, float)
    # On-call texts: at most this many a conversation, and to the on-call number, an hour
    # (then one roll-up text); anyone can open a chat, so alerts must not become a flood.
    oncall_alerts_per_conversation: int = _env("ONCALL_ALERTS_PER_CONVERSATION", 1, int)
    oncall_alerts_per_hour: int = _env("ONCALL_ALERTS_PER_HOUR", 5, int)
    # Texted codes that prove a number in the web chat, an hour: per client address and in all.
    verify_codes_per_address: int = _env("VERIFY_CODES_PER_ADDRESS", 10, int)
    verify_codes_per_hour: int = _env("VERIFY_CODES_PER_HOUR", 100, int)
    # Proxies in front of the Rasa server that add X-Forwarded-For: the web chat's client
    # address for the codes' limit is read from it only then (0: the connection's own address).
    webchat_proxies_count: int = _env("WEBCHAT_PROXIES_COUNT", 0, int)
    # Seconds after which a text still being answered is taken for lost (its server stopped
    # mid-turn): the owner gets an apology and staff a ticket. Above the longest turn.
    sms_unanswered_after: float = _env("SMS_UNANSWERED_AFTER", 600.0, float)

    @property
    def staff_rasa_url(self) -> str:
        """Where the console finds Rasa's HTTP API."""
        return self.rasa_url or f"http://127.0.0.1:{self.rasa_port}"


def environment_variables() -> tuple[str, ...]:
    """Every environment variable a setting is read from."""
    return tuple(f.metadata["env"] for f in fields(Settings))


@functools.cache
def _load_env_file() -> None:
    """`.env` into the environment, once a process: it fills in only what is unset, so a second
    read would add nothing, and settings are read on every text."""
    load_dotenv(ROOT / ".env", override=False)


# Read once: the fields and how each is parsed do not change while a process runs.
_FIELDS = tuple((f.name, f.metadata["env"], f.metadata["parse"]) for f in fields(Settings))


def load_settings() -> Settings:
    """Reads settings now (not at import), so tests and scripts can set the environment first."""
    _load_env_file()
    values = {}
    for name, variable, parse in _FIELDS:
        raw = (os.environ.get(variable) or "").strip()
        if raw:
            values[name] = parse(raw)
    return Settings(**values)


_DEFAULTS = {f.name: f.default for f in fields(Settings)}


def read_setting(name: str) -> Any:
    """One setting, read now, as `load_settings()` would: for what is read many times a turn
    (the clock's pin), without building them all (3 µs against 45)."""
    _load_env_file()
    for field_name, variable, parse in _FIELDS:
        if field_name == name:
            raw = (os.environ.get(variable) or "").strip()
            return parse(raw) if raw else _DEFAULTS[name]
    raise KeyError(name)


def _shell_value(value: Any) -> str | None:
    if value is None or value is False or value == ():
        return None
    if value is True:
        return "1"
    if isinstance(value, tuple):
        return ",".join(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # "60", not "60.0": Rasa reads TICKET_LOCK_LIFETIME with int()
    return str(value)


def shell_exports() -> str:
    """Every setting as it is read (environment, then `.env`, then the default), and any other
    variable `.env` sets, as `export NAME=value` lines for a shell to eval."""
    settings = load_settings()  # reads .env, and refuses a value that does not parse
    exports = {}
    for f in fields(Settings):
        value = getattr(settings, f.name)
        # A switch as the shell tests it (1 or unset); anything else as it was written.
        exports[f.metadata["env"]] = _shell_value(value) if isinstance(value, bool) else (
            (os.environ.get(f.metadata["env"]) or "").strip() or _shell_value(f.default))
    for variable in dotenv_values(ROOT / ".env"):
        exports.setdefault(variable, os.environ.get(variable) or None)
    return "".join(f"export {variable}={shlex.quote(value)}\n"
                   for variable, value in exports.items() if value)


if __name__ == "__main__":
    print(shell_exports(), end="")
