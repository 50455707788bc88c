"""The JWTs of Rasa's HTTP API, checked strictly.

- The secret comes from RASA_JWT_SECRET in the environment, never the command line, which every
  user of the host can read (`ps`, /proc/PID/cmdline); with it anyone could read every
  conversation.
- A token must carry `exp`: one without it would be good forever.
- A token of another algorithm (`none`, RS256, ...) is refused with 401; sanic-jwt lets
  PyJWT's InvalidAlgorithmError through, and Rasa answered 500.
- An expired token is refused after 10 s, not sanic-jwt's 3 minutes: the signer (the console,
  bench) is on the same host, so clocks do not drift apart.
"""

from __future__ import annotations

import functools
from typing import Any

import jwt
import rasa.server
from sanic_jwt import Authentication, Initialize

from bot.rasa_patches.registry import replace
from bot.settings import load_settings

SECRET_VARIABLE = "RASA_JWT_SECRET"
ALGORITHM = "HS256"
LEEWAY_SECONDS = 10


class SecretError(ValueError):
    pass


class StrictAuthentication(Authentication):
    async def _decode(self, token: str, verify: bool = True, inline_claims: Any = None) -> Any:
        try:
            payload = await super()._decode(token, verify=verify, inline_claims=inline_claims)
        except (jwt.ExpiredSignatureError, jwt.DecodeError):
            raise  # already answered with 401
        except jwt.InvalidTokenError as error:
            raise jwt.DecodeError(str(error)) from error
        if verify and "exp" not in payload:
            raise jwt.DecodeError("The token has no expiry (exp).")
        return payload


def secret_from_environment(argv: list[str]) -> str | None:
    """The secret the API is opened with; None without `--enable-api`."""
    if any(arg == "--jwt-secret" or arg.startswith("--jwt-secret=") for arg in argv):
        raise SecretError(f"Pass the JWT secret in {SECRET_VARIABLE}, not with --jwt-secret: "
                          "every user of this host can read a command line.")
    if "--enable-api" not in argv:
        return None
    secret = load_settings().rasa_jwt_secret
    if not secret:
        raise SecretError(f"Rasa's HTTP API is never open without a JWT: set {SECRET_VARIABLE}.")
    return secret


def install(secret: str | None = None) -> None:
    """Strict checks of every token; with `secret`, the API is opened with it (HS256)."""
    replace(rasa.server, "Initialize", functools.partial(
        Initialize, authentication_class=StrictAuthentication, leeway=LEEWAY_SECONDS))
    if secret is None:
        return
    create_app = rasa.server.create_app

    @functools.wraps(create_app)
    def create_app_with_secret(*args: Any, **kwargs: Any) -> Any:
        kwargs.update(jwt_secret=secret, jwt_method=ALGORITHM)
        return create_app(*args, **kwargs)

    replace(rasa.server, "create_app", create_app_with_secret)
