#!/usr/bin/env bash
# Starts the action server and the Rasa server (or a terminal chat: `run.sh shell`), prints
# where to talk to Concierge, and stops everything it started on Ctrl-C or when one of them dies.
set -u
cd "$(dirname "$0")/.."
# Settings as every Concierge process reads them (the environment, then .env, then the defaults;
# bot/settings.py), exported for the servers and used below.
settings=$(.venv/bin/python -m bot.settings) || exit 1
eval "$settings"
export PYTHONPATH="$PWD" RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2

RASA=.venv/bin/rasa
MODEL=models/concierge.tar.gz
mkdir -p "$LOG_DIR"

# A database that cannot be written would fail every text (and every STOP): say so now, plainly.
.venv/bin/python -m bot.dealership check || exit 1

pids=()
stop() {
  trap - INT TERM EXIT
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
  wait 2>/dev/null
}
trap 'echo; echo "Stopping Concierge..."; stop; exit 0' INT TERM
trap stop EXIT

wait_for() {  # url, name, pid: waits until the url answers, or fails when the process died
  local tries=0
  until .venv/bin/python -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" "$1" 2>/dev/null; do
    if ! kill -0 "$3" 2>/dev/null; then
      echo "The $2 did not start; its log: $LOG_DIR/$2.log" >&2; tail -n 20 "$LOG_DIR/$2.log" >&2; exit 1
    fi
    tries=$((tries + 1)); [ $tries -gt 240 ] && { echo "The $2 did not answer in 2 minutes" >&2; exit 1; }
    sleep 0.5
  done
}

# The action server has no authentication of its own: it listens on loopback only.
SANIC_HOST=127.0.0.1 "$RASA" run actions --actions actions --port "$ACTION_SERVER_PORT" \
  > "$LOG_DIR/action-server.log" 2>&1 &
pids+=($!)
echo "Starting the action server (log: $LOG_DIR/action-server.log)..."

if [ "${1:-}" = shell ]; then
  wait_for "http://127.0.0.1:$ACTION_SERVER_PORT/health" action-server "${pids[0]}"
  args=(--model "$MODEL" --endpoints endpoints.yml --port "$RASA_PORT")
  [ -n "${PHONE:-}" ] && args+=(--conversation-id "$PHONE")
  # Through bot.server: the terminal chat runs with the same replacements as the server.
  .venv/bin/python -m bot.server shell "${args[@]}"
  exit $?
fi

# Rasa's HTTP API (trackers, events, /model/parse) is never open without a JWT: the staff
# console signs its calls with RASA_JWT_SECRET, a random one for this run unless it is set.
if [ -z "${RASA_JWT_SECRET:-}" ]; then
  RASA_JWT_SECRET=$(.venv/bin/python -c "import secrets; print(secrets.token_urlsafe(32))")
fi
export RASA_JWT_SECRET
# The REST channel believes any sender it is given: only for development (CONCIERGE_REST_CHANNEL=1).
credentials=credentials.yml
if [ "${CONCIERGE_REST_CHANNEL:-}" = 1 ]; then
  credentials="$LOG_DIR/credentials-with-rest.yml"
  { cat credentials.yml; printf '\nrest:\n'; } > "$credentials"
fi
# bot.server is Rasa's own command line with a faster check of the action server's answers.
# It reads the texts itself: the model reads one in a few milliseconds, less than a call to a
# second server for it costs (docs/benchmarks.md, eighth record). The API's JWT secret is read
# from RASA_JWT_SECRET (exported above), never given on the command line: `ps` shows that to all.
.venv/bin/python -m bot.server run --model "$MODEL" --endpoints endpoints.yml \
  --credentials "$credentials" --interface "$RASA_INTERFACE" --port "$RASA_PORT" \
  --enable-api > "$LOG_DIR/rasa-server.log" 2>&1 &
pids+=($!)
echo "Starting the Rasa server (log: $LOG_DIR/rasa-server.log)..."
wait_for "http://127.0.0.1:$ACTION_SERVER_PORT/health" action-server "${pids[0]}"
wait_for "http://127.0.0.1:$RASA_PORT/" rasa-server "${pids[1]}"

export RASA_URL="http://127.0.0.1:$RASA_PORT"
.venv/bin/python -m bot.staff > "$LOG_DIR/staff-console.log" 2>&1 &
pids+=($!)
echo "Starting the staff console (log: $LOG_DIR/staff-console.log)..."
wait_for "http://127.0.0.1:$STAFF_PORT/login" staff-console "${pids[2]}"

cat <<MSG

Concierge is running. Talk to it:
  Web:   open http://localhost:$RASA_PORT/webhooks/webchat/   (the demo dealership page and its chat)
  Staff: open http://localhost:$STAFF_PORT/   (the handoff console; demo logins in the README)
  SMS:   Twilio's webhook is http://<this host>:$RASA_PORT/webhooks/sms/webhook
         (README: "Connecting a real Twilio number")
  Terminal chat: make shell   (as an owner: make shell PHONE=+15125550142)
MSG
if [ "$credentials" != credentials.yml ]; then cat <<MSG
  REST (development only): curl -s localhost:$RASA_PORT/webhooks/rest/webhook -d '{"sender": "+15125550142", "message": "hi"}'
MSG
fi
cat <<MSG
Press Ctrl-C to stop.
MSG

wait -n "${pids[@]}"
status=$?
# Ctrl-C reaches the servers as well as this script, and a server may be gone before the trap
# above has run: one that stopped cleanly or on SIGINT (130) means Concierge is being stopped.
if [ "$status" -eq 0 ] || [ "$status" -eq 130 ]; then
  echo; echo "Stopping Concierge..."; stop; exit 0
fi
echo "A Concierge process exited ($status); stopping the others (logs in $LOG_DIR)." >&2
exit 1
