"""Every environment variable Concierge reads is documented in `.env.example` and the README's
configuration table, and nothing documented there goes unread."""

from __future__ import annotations

import ast
import re
import shlex
from pathlib import Path

from bot.settings import SETUP_VARIABLES, environment_variables, load_settings, shell_exports

ROOT = Path(__file__).resolve().parent.parent
READ = set(environment_variables()) | set(SETUP_VARIABLES)


def in_env_example() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"(?m)^([A-Z][A-Z0-9_]*)=", text))


def in_readme() -> set[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    return {name for cell in rows for name in re.findall(r"`([A-Z][A-Z0-9_]*)`", cell)}


def read_outside_settings() -> dict[str, set[str]]:
    """Variables read straight from os.environ / os.getenv in bot/ and scripts/, by file."""
    found: dict[str, set[str]] = {}
    for path in [*(ROOT / "bot").rglob("*.py"), *(ROOT / "scripts").glob("*.py")]:
        if path == ROOT / "bot" / "settings.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            name = _read_variable(node)
            if name:
                found.setdefault(str(path.relative_to(ROOT)), set()).add(name)
    return found


def _read_variable(node: ast.AST) -> str | None:
    """"X" of os.environ.get("X"), os.getenv("X") and os.environ["X"]."""
    if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
        called = ast.unparse(node.func)
        if called in ("os.environ.get", "os.getenv"):
            return str(node.args[0].value)
    if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
        key = node.slice
        if isinstance(key, ast.Constant):
            return str(key.value)
    return None


def test_every_variable_read_is_documented_in_env_example():
    assert READ - in_env_example() == set()


def test_every_variable_read_is_documented_in_the_readme():
    assert READ - in_readme() == set()


def test_nothing_documented_goes_unread():
    assert in_env_example() - READ == set()
    assert in_readme() - READ == set()


def test_settings_are_read_only_through_bot_settings():
    # A script's own switch (the benchmark's database) may be read where it is used.
    allowed = {"scripts/bench.py": {"BENCH_DATABASE_URL"}}
    stray = {path: names - allowed.get(path, set())
             for path, names in read_outside_settings().items()}
    assert {path: names for path, names in stray.items() if names} == {}


def test_the_shell_gets_the_settings_as_every_process_reads_them(monkeypatch):
    """scripts/run.sh evals `python -m bot.settings`: what it exports reads back the same, and in
    a form Rasa's own int() reading of TICKET_LOCK_LIFETIME accepts."""
    monkeypatch.setenv("CONCIERGE_NOW", "2026-11-23T10:00:00-06:00")
    monkeypatch.setenv("WEBCHAT_ALLOWED_ORIGINS", "https://a.example, https://b.example/")
    monkeypatch.setenv("STAFF_SECURE_COOKIES", "yes")
    exported = dict(shlex.split(line.removeprefix("export "))[0].split("=", 1)
                    for line in shell_exports().splitlines())
    assert int(exported["TICKET_LOCK_LIFETIME"]) == 60
    assert exported["STAFF_SECURE_COOKIES"] == "1"
    before = load_settings()
    for variable, value in exported.items():
        monkeypatch.setenv(variable, value)
    assert load_settings() == before


def test_one_setting_reads_as_all_of_them_do(monkeypatch):
    from bot.settings import load_settings, read_setting

    monkeypatch.setenv("CONCIERGE_NOW", "2026-11-23T10:00:00-06:00")
    monkeypatch.setenv("ONCALL_CHECK_SECONDS", "7")
    monkeypatch.delenv("STAFF_PORT", raising=False)
    for name in ("pinned_now", "oncall_check_seconds", "staff_port"):
        assert read_setting(name) == getattr(load_settings(), name)
