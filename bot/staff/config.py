"""The console's settings, read from the environment (and `.env`) when the app is created."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta

from bot.settings import load_settings


def _flag(name: str) -> bool:
    return (os.environ.get(name) or "").strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class StaffSettings:
    database_url: str
    # Rasa's HTTP API: where it is, and the secret its JWTs are signed with (None: not enabled).
    rasa_url: str
    rasa_jwt_secret: str | None
    interface: str = "127.0.0.1"
    port: int = 5006
    # STAFF_SECURE_COOKIES: cookies only over HTTPS. Turn it on whenever the console's public
    # address is https:// (off by default, for http://localhost).
    secure_cookies: bool = False
    # Proxies in front of the console that add X-Forwarded-For: the client address that login
    # limits count comes from the header only when this is set.
    proxies_count: int = 0
    session_idle: timedelta = timedelta(hours=8)
    session_lifetime: timedelta = timedelta(hours=24)
    queue_refresh_seconds: int = 15
    rasa_timeout: float = 10.0


def load_staff_settings() -> StaffSettings:
    base = load_settings()  # reads .env first
    rasa_port = os.environ.get("RASA_PORT") or "5005"
    return StaffSettings(
        database_url=base.database_url,
        rasa_url=(os.environ.get("RASA_URL") or f"http://127.0.0.1:{rasa_port}").rstrip("/"),
        rasa_jwt_secret=os.environ.get("RASA_JWT_SECRET") or None,
        interface=os.environ.get("STAFF_INTERFACE") or "127.0.0.1",
        port=int(os.environ.get("STAFF_PORT") or 5006),
        secure_cookies=_flag("STAFF_SECURE_COOKIES"),
        proxies_count=int(os.environ.get("STAFF_PROXIES_COUNT") or 0),
    )
