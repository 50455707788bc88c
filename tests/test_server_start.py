"""Concierge refuses to start, with one plain line, what could only fail later: a database that
cannot be written, a bad DATABASE_URL, a JWT secret on the command line, a lock that would expire
during a call. The health checks say when the database cannot be written."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

import pytest
import requests
from sqlalchemy import text
from sqlalchemy.engine import make_url

from bot.dealership import schema
from bot.dealership.db import get_engine
from bot.settings import ROOT
from tests.e2e.conftest import free_port


def run(args: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env=os.environ | {"PYTHONPATH": str(ROOT)} | env)


def assert_refused_plainly(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode != 0, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr and "Concierge is running" not in result.stdout
    assert lines and all(word in lines[-1] for word in words), result.stderr


@pytest.fixture
def read_only_postgresql(postgresql_url) -> str:
    schema.upgrade(postgresql_url)
    with get_engine(postgresql_url).execution_options(isolation_level="AUTOCOMMIT").connect() \
            as conn:
        conn.execute(text(f'ALTER DATABASE "{make_url(postgresql_url).database}" '
                          "SET default_transaction_read_only = on"))
    return postgresql_url


@pytest.fixture
def unwritable_sqlite(tmp_path) -> str:
    """A SQLite file that cannot be written, in a folder that cannot be written: immutable
    (`chattr +i`), since the tests run as root, whom file permissions do not stop."""
    url = f"sqlite:///{tmp_path / 'data' / 'concierge.db'}"
    schema.upgrade(url)
    get_engine(url).dispose()
    get_engine.cache_clear()
    paths = [*sorted((tmp_path / "data").iterdir()), tmp_path / "data"]
    if subprocess.run(["chattr", "+i", *map(str, paths)], capture_output=True).returncode:
        pytest.skip("chattr +i is not allowed here")
    yield url
    subprocess.run(["chattr", "-i", *map(str, paths)], check=True)


SETUP = [sys.executable, "-m", "bot.dealership", "setup"]


def test_setup_refuses_a_sqlite_file_it_may_not_write(unwritable_sqlite):
    assert_refused_plainly(run(SETUP, {"DATABASE_URL": unwritable_sqlite}),
                           "DATABASE_URL cannot be written")


def test_setup_refuses_a_read_only_postgresql(read_only_postgresql):
    assert_refused_plainly(run(SETUP, {"DATABASE_URL": read_only_postgresql}),
                           "DATABASE_URL cannot be written", "read-only")


@pytest.mark.parametrize("url, words", [
    ("var/concierge.db", ("DATABASE_URL is not a database URL",)),
    ("postgres:/nowhere", ("DATABASE_URL is not a database URL",)),
    ("sqlite:////etc/hostname/var/concierge.db", ("folder", "cannot be created")),
])
def test_setup_says_plainly_what_is_wrong_with_database_url(url, words):
    assert_refused_plainly(run(SETUP, {"DATABASE_URL": url}), *words)


def rasa_server(*extra: str) -> list[str]:
    return [sys.executable, "-m", "bot.server", "run", "--model", "models/concierge.tar.gz",
            "--enable-api", "--port", str(free_port()), *extra]


def test_the_rasa_server_refuses_a_jwt_secret_on_its_command_line(sqlite_url):
    assert_refused_plainly(run(rasa_server("--jwt-secret", "visible-to-all"),
                               {"DATABASE_URL": sqlite_url, "RASA_JWT_SECRET": "s"}),
                           "RASA_JWT_SECRET", "not with --jwt-secret")


def test_the_rasa_server_refuses_to_open_its_api_without_a_secret(sqlite_url):
    assert_refused_plainly(run(rasa_server(), {"DATABASE_URL": sqlite_url,
                                               "RASA_JWT_SECRET": ""}), "set RASA_JWT_SECRET")


def test_the_rasa_server_refuses_a_lock_that_would_expire_during_a_call(sqlite_url):
    assert_refused_plainly(run(rasa_server(), {"DATABASE_URL": sqlite_url,
                                               "RASA_JWT_SECRET": "s",
                                               "ACTION_TIMEOUT": "60"}),
                           "TICKET_LOCK_LIFETIME (60 s) must be longer than ACTION_TIMEOUT")


def test_the_rasa_server_refuses_a_database_it_cannot_write(read_only_postgresql, tmp_path):
    assert_refused_plainly(run(rasa_server(), {
        "DATABASE_URL": read_only_postgresql, "RASA_JWT_SECRET": "s",
        "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}"}),
        "Concierge cannot start: DATABASE_URL cannot be written")


def test_run_sh_says_so_before_starting_anything(read_only_postgresql, tmp_path):
    env = os.environ | {
        "PYTHONPATH": str(ROOT), "DATABASE_URL": read_only_postgresql,
        "LOG_DIR": str(tmp_path / "log"), "RASA_PORT": str(free_port()),
        "ACTION_SERVER_PORT": str(free_port()), "STAFF_PORT": str(free_port()),
        "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}"}
    # A session of its own: whatever it starts is stopped with it, whatever happens.
    stack = subprocess.Popen(["bash", "scripts/run.sh"], cwd=ROOT, env=env, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             start_new_session=True)
    try:
        stdout, stderr = stack.communicate(timeout=60)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(stack.pid, signal.SIGKILL)
    result = subprocess.CompletedProcess(stack.args, stack.returncode, stdout, stderr)
    assert_refused_plainly(result, "DATABASE_URL cannot be written", "read-only")
    assert "Starting" not in result.stdout


def test_the_staff_console_refuses_a_database_it_cannot_write(unwritable_sqlite):
    assert_refused_plainly(run([sys.executable, "-m", "bot.staff"],
                               {"DATABASE_URL": unwritable_sqlite, "STAFF_PORT": "9"}),
                           "The staff console cannot start: DATABASE_URL cannot be written")


def test_the_staff_console_health_says_when_the_database_cannot_be_written(postgresql_url,
                                                                           tmp_path):
    schema.upgrade(postgresql_url)
    port = free_port()
    log = (tmp_path / "staff.log").open("w")
    console = subprocess.Popen([sys.executable, "-m", "bot.staff"], cwd=ROOT, stdout=log,
                               stderr=subprocess.STDOUT, env=os.environ | {
                                   "PYTHONPATH": str(ROOT), "DATABASE_URL": postgresql_url,
                                   "STAFF_PORT": str(port), "ONCALL_CHECK_SECONDS": "3600"})
    url = f"http://127.0.0.1:{port}/health"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = requests.get(url, timeout=5, allow_redirects=False)
                break
            except requests.ConnectionError:
                assert console.poll() is None and time.monotonic() < deadline, \
                    (tmp_path / "staff.log").read_text()
                time.sleep(0.3)
        assert (answer.status_code, answer.json()) == (200, {"status": "ok"})
        with get_engine(postgresql_url).execution_options(isolation_level="AUTOCOMMIT") \
                .connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{make_url(postgresql_url).database}" '
                              "SET default_transaction_read_only = on"))
        time.sleep(2.5)  # the last answer is reused for 2 s
        answer = requests.get(url, timeout=5, allow_redirects=False)
        assert answer.status_code == 503
        assert answer.json()["status"] == "unavailable"
        assert "DATABASE_URL cannot be written" in answer.json()["reason"]
    finally:
        console.terminate()
        console.wait(30)
