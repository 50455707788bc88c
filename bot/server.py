"""Rasa's server as `scripts/run.sh` starts it: Rasa's own command line, with the replacements
of `bot.rasa_patches` (faster turns; nothing lost or silent; nothing secret shown) put in first,
after the checks that must hold before any message is taken.

    python -m bot.server run --model models/concierge.tar.gz ...   (the arguments of `rasa`)

Every `rasa` command runs through here in the Makefile (train, test, shell), so that what is
tested is what serves.
"""

from __future__ import annotations

import sys

from bot import rasa_patches
from bot.dealership.db import DatabaseUnavailable, check_writable
from bot.rasa_patches import api_tokens, conversation_lock
from bot.settings import load_settings


def install(jwt_secret: str | None = None) -> None:
    rasa_patches.install(jwt_secret)


def check_start(argv: list[str]) -> str | None:
    """What must hold before the server takes a message; the JWT secret to open the API with.
    Raises with a plain reason otherwise."""
    settings = load_settings()  # first: it reads .env into the environment
    secret = api_tokens.secret_from_environment(argv)
    conversation_lock.check_lifetimes(settings)
    if argv[:1] == ["run"]:
        check_writable(settings.database_url, "DATABASE_URL")
        check_writable(settings.tracker_store_url, "TRACKER_STORE_URL")
    return secret


def main() -> None:
    try:
        secret = check_start(sys.argv[1:])
        install(secret)
    except (api_tokens.SecretError, conversation_lock.LifetimeError, DatabaseUnavailable,
            rasa_patches.WrongRasa) as error:
        sys.exit(f"Concierge cannot start: {error}")
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
