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

# children_of PID: the pids of PID's child processes (read from /proc, so
# that no procps is needed).
children_of() {
  local f stat fields
  for f in /proc/[0-9]*/stat; do
    read -r stat 2>/dev/null <"$f" || continue
    fields=(${stat##*) }) # after "pid (comm) ": state ppid ...
    if [ "${fields[1]:-}" = "$1" ]; then
      echo "${f//[^0-9]/}"
    fi
  done
}

# stop_tree PIDFILE: stop a master process, then any of its children that
# outlived it. Dovecot's master, after a test run, has been seen to exit on
# TERM while its log, anvil, auth and login processes stay behind (reparented
# to init), holding DIR open; they are stopped here by pid, never by name.
stop_tree() {
  local pid kids k i alive
  [ -f "$1" ] || return 0
  pid="$(tr -dc 0-9 <"$1")"
  [ -n "$pid" ] || return 0
  kids="$(children_of "$pid")"
  stop_pid "$1" keep
  [ -n "$kids" ] || return 0
  for k in $kids; do kill -TERM "$k" 2>/dev/null || true; done
  for i in $(seq 1 20); do # up to 2 s
    alive=0
    for k in $kids; do kill -0 "$k" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && return 0
    sleep 0.1
  done
  for k in $kids; do kill -KILL "$k" 2>/dev/null || true; done
}

# Postfix first: its smtpd processes hold connections to Dovecot's auth
# service. TERM to Postfix's master is a graceful stop (like `postfix stop`).
stop_tree "$DIR/postfix/queue/pid/master.pid"
# Dovecot's master writes its own pid file (and removes it on exit).
stop_tree "$DIR/dovecot/run/master.pid"
stop_pid "$DIR/smtp-sink.pid"
rm -f "$DIR/env"
exit 0
