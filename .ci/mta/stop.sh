#!/usr/bin/env bash
# Stops what .ci/mta/start.sh DIR started, by the pids it recorded in DIR.
# Leaves DIR (logs, stored messages) in place for post-mortems.
set -uo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
DIR="$1"
[ -d "$DIR" ] || exit 0

# stop_pid PIDFILE [keep]: TERM, wait up to 5 s, then KILL. Removes
# PIDFILE unless told to keep it (Dovecot removes its own on exit).
stop_pid() {
  local pid i
  [ -f "$1" ] || return 0
  pid="$(tr -dc 0-9 <"$1")" # Postfix pads its pid file with spaces
  [ "${2:-}" = keep ] || rm -f "$1"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

# Postfix first: its smtpd processes hold connections to Dovecot's auth
# service, which would otherwise outlive Dovecot's master. TERM to Postfix's
# master is a graceful stop (like `postfix stop`).
stop_pid "$DIR/postfix/queue/pid/master.pid" keep
# Dovecot's master writes its own pid file; on TERM it stops its children.
stop_pid "$DIR/dovecot/run/master.pid" keep
stop_pid "$DIR/smtp-sink.pid"
rm -f "$DIR/env"
exit 0
