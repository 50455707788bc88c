#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter (Rasa 3.6 installs on 3.8-3.10 only; the lock is
# resolved for 3.10). Looks at $PYTHON, then PATH, then pyenv's versions, then common prefixes.
set -u
if [ -z "${PYTHON:-}" ] && [ -f .env ]; then PYTHON=$(sed -n 's/^PYTHON=//p' .env | tail -n 1); fi
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
candidates+=(python3.10)
root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
for p in "$root"/versions/3.10*/bin/python3.10; do candidates+=("$p"); done
candidates+=(/usr/local/bin/python3.10 /usr/bin/python3.10 /opt/homebrew/bin/python3.10 python3)
for c in "${candidates[@]}"; do
  if "$c" -c 'import sys, venv; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; then
    "$c" -c 'import sys; print(sys.executable)'
    exit 0
  fi
done
cat >&2 <<MSG
Concierge needs Python 3.10 (Rasa 3.6 does not install on 3.11 or newer), and none was found.
Install one (for example: pyenv install 3.10), or point PYTHON at it: make run PYTHON=/path/to/python3.10
MSG
exit 1
