"""The set-up finds a Python 3.10, or says plainly that there is none."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import ROOT

FIND_PYTHON = ROOT / "scripts" / "find-python.sh"


def find_python(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(FIND_PYTHON)], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=60)


def test_a_python_310_is_found(tmp_path):
    result = find_python({"PATH": "/usr/bin:/bin", "PYTHON": sys.executable}, tmp_path)
    assert result.returncode == 0
    assert Path(result.stdout.strip()).exists()


@pytest.mark.skipif(any(Path(p).exists() for p in ("/usr/bin/python3.10",
                                                    "/usr/local/bin/python3.10")),
                    reason="this machine has a system-wide Python 3.10")
def test_without_one_the_setup_says_what_to_do(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYENV_ROOT": str(tmp_path / "none"),
           "PYTHON": "/usr/bin/false"}
    result = find_python(env, tmp_path)
    assert result.returncode == 1
    assert "needs Python 3.10" in result.stderr
    assert "PYTHON=" in result.stderr
