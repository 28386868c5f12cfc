#!/usr/bin/env bash
# Benchmark (issue requirement): how long does a full live check take against
# a real local mail server, compared with the floor (the smallest Go client
# doing the same steps) and with what an operator would otherwise run, swaks?
#
# Against each local submission server started by .ci/mta/start.sh (Dovecot,
# and Postfix when started): connect, banner, EHLO, STARTTLS, certificate
# verification against the throwaway CA (the ca_file), EHLO, AUTH PLAIN, and
# — for sitecfg, minclient and swaks-rcpt — the envelope: MAIL FROM, RCPT TO
# for the four addresses of testdata/mta/answers-basic.yaml, RSET (swaks:
# QUIT after the last RCPT). No message is sent.
#
# Whole-process timings (what an operator waits for), N runs each after 2
# warm-up runs, interleaved (round-robin, so the shared machine's load
# swings hit every contender alike), median reported:
#   swaks            swaks --quit-after AUTH --tls-verify (Perl; Debian package
#                    swaks): the comparison the issue names
#   swaks-rcpt       swaks --quit-after RCPT with the same four recipients
#   minclient        internal/minclient: net/smtp doing exactly sitecfg
#                    check's steps, TCP_QUICKACK set (the stall removed),
#                    nothing else — the floor (minclient-nocgo: built
#                    static, the floor of the static sitecfg-nocgo)
#   smtpauth.test    the test binary running BenchmarkCheckRealMTA/SERVER once
#                    (-test.benchtime=1x): smtpauth.Check plus the Go runtime
#                    and the testing package's start-up
#   sitecfg check    the real CLI: load the config written by
#                    `sitecfg apply` (testdata/mta/answers-basic.yaml),
#                    validate, check (only if it builds and the apply succeeds)
#   sitecfg-nocgo    the same CLI built with CGO_ENABLED=0
# In-process (no process start at all):
#   go test -bench 'BenchmarkCheckRealMTA|BenchmarkQuickAck' (ns/op averaged by
#   the testing package; stalls/op: checks whose TLS step took >= 35 ms, with
#   TCP_QUICKACK on and off)
#
# Usage: bench.sh ENV_FILE [N]     (ENV_FILE = DIR/env written by start.sh)
# Needs go, swaks, bash >= 5 (for $EPOCHREALTIME).
set -euo pipefail

if [ $# -lt 1 ]; then
  echo "usage: $0 ENV_FILE [N]" >&2
  exit 2
fi
ENV_FILE="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
N="${2:-20}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
export PATH="$PATH:/usr/local/go/bin:/usr/sbin"

set -a
# shellcheck disable=SC1090
. "$ENV_FILE"
set +a
export SITECFG_MTA_ENV="$ENV_FILE"

WORK="$(mktemp -d /tmp/sitecfg-bench.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

# contender NAME CMD...: adds a contender to the next time_all, after 2
# warm-up runs that must succeed.
declare -A MEDIAN_US
declare -A CMDLINE
NAMES=()
contender() {
  local name="$1" i
  shift
  for i in 1 2; do
    if ! "$@" >"$WORK/out" 2>&1; then
      echo "bench.sh: $name failed:" >&2
      cat "$WORK/out" >&2
      return 1
    fi
  done
  NAMES+=("$name")
  CMDLINE[$name]="$(printf '%q ' "$@")"
}

# time_all: N rounds, each running every contender once, in a shuffled
# order, so that a change in the (shared) machine's load falls on all of
# them alike. Prints
# each one's median, min and max, keeps the median in MEDIAN_US[NAME], and
# empties the list of contenders.
time_all() {
  local i k t0 t1 name med
  for k in "${!NAMES[@]}"; do : >"$WORK/samples.$k"; done
  local order j tmp
  for i in $(seq 1 "$N"); do
    # A new order each round (Fisher-Yates): whoever runs right after
    # another contender may find the server still busy with that session
    # (Postfix then starts a new smtpd), and that must not always be the same one.
    order=("${!NAMES[@]}")
    for ((j = ${#order[@]} - 1; j > 0; j--)); do
      k=$((RANDOM % (j + 1)))
      tmp="${order[$j]}" order[$j]="${order[$k]}" order[$k]="$tmp"
    done
    for k in "${order[@]}"; do
      name="${NAMES[$k]}"
      t0="${EPOCHREALTIME/./}" # microseconds; no fork, unlike $(date +%s%N)
      eval "${CMDLINE[$name]}" >/dev/null 2>&1 || { echo "bench.sh: $name failed on run $i" >&2; return 1; }
      t1="${EPOCHREALTIME/./}"
      echo $((t1 - t0)) >>"$WORK/samples.$k"
    done
  done
  for k in "${!NAMES[@]}"; do
    name="${NAMES[$k]}"
    med="$(sort -n "$WORK/samples.$k" | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}')"
    MEDIAN_US[$name]="$med"
    sort -n "$WORK/samples.$k" | awk -v name="$name" -v med="$med" '
      NR==1 {min=$1} {max=$1}
      END {printf "  %-24s median %7.1f ms   min %7.1f ms   max %7.1f ms\n", name, med/1000, min/1000, max/1000}'
  done
  NAMES=()
}

# Servers: NAME=ADDR (STARTTLS).
SERVERS=("dovecot=$SITECFG_MTA_STARTTLS_ADDR")
if [ -n "${SITECFG_MTA_POSTFIX_STARTTLS_ADDR:-}" ]; then
  SERVERS+=("postfix=$SITECFG_MTA_POSTFIX_STARTTLS_ADDR")
fi

echo "== benchmark: full check (STARTTLS + AUTH PLAIN, no message), N=$N whole-process runs each"
echo "   machine: $(nproc) cores, $(uname -r); $(dovecot --version 2>/dev/null | sed 's/^/Dovecot /' || true); swaks $(swaks --version 2>/dev/null | head -1 | awk '{print $NF}')"

echo "-- building"
# Each contender is optional, so that a half-edited tree still measures
# what builds.
HAVE_TEST=0
if go test -c -o "$WORK/smtpauth.test" ./smtpauth 2>"$WORK/testbuild.log"; then
  HAVE_TEST=1
else
  echo "   (smtpauth tests do not build, skipping smtpauth.test: $(head -3 "$WORK/testbuild.log" | tr '\n' ' '))"
fi
HAVE_CLI=0
if go build -o "$WORK/sitecfg" . 2>"$WORK/build.log" &&
  CGO_ENABLED=0 go build -o "$WORK/sitecfg-nocgo" . 2>>"$WORK/build.log"; then
  HAVE_CLI=1
else
  echo "   (sitecfg does not build, skipping the CLI: $(head -3 "$WORK/build.log" | tr '\n' ' '))"
fi
HAVE_MIN=0
if go build -o "$WORK/minclient" ./internal/minclient 2>"$WORK/minbuild.log" &&
  CGO_ENABLED=0 go build -o "$WORK/minclient-nocgo" ./internal/minclient 2>>"$WORK/minbuild.log"; then
  HAVE_MIN=1
else
  echo "   (minclient does not build: $(head -3 "$WORK/minbuild.log" | tr '\n' ' '))"
fi
# Every binary is timed as an installed program is after a reboot: copied
# (written with write(2), as install, cp and dpkg do), then dropped from
# the page cache and read back once, sequentially. How the page cache
# holds a program changes how fast it starts — on this machine the same
# sitecfg bytes start up to 0.9 ms apart (the Go linker's output, written
# through a memory mapping, is the slowest; a copy depends on how it was
# copied); read back after a drop, every contender is in the same state,
# run after run. Every contender alike.
for f in smtpauth.test sitecfg sitecfg-nocgo minclient minclient-nocgo; do
  if [ -f "$WORK/$f" ]; then
    install -m 0755 "$WORK/$f" "$WORK/$f.installed" && mv -f "$WORK/$f.installed" "$WORK/$f"
    sync "$WORK/$f"
    dd if="$WORK/$f" iflag=nocache count=0 status=none # drop it from the page cache
    cat "$WORK/$f" >/dev/null                           # and read it back
  fi
done
# The four addresses of testdata/mta/answers-basic.yaml, in its order.
RCPTS="noc@example.test,admin@example.test,support@example.test,cluster-health@example.test"
export MINCLIENT_PASSWORD="$SITECFG_MTA_PASSWORD"

for entry in "${SERVERS[@]}"; do
  srv="${entry%%=*}"
  addr="${entry#*=}"
  echo "-- $srv ($addr): whole-process runs, interleaved"
  contender "swaks/$srv" swaks --server "$addr" --tls --tls-verify \
    --tls-ca-path "$SITECFG_MTA_CA_FILE" --auth PLAIN \
    --auth-user "$SITECFG_MTA_USER" --auth-password "$SITECFG_MTA_PASSWORD" \
    --quit-after AUTH
  contender "swaks-rcpt/$srv" swaks --server "$addr" --tls --tls-verify \
    --tls-ca-path "$SITECFG_MTA_CA_FILE" --auth PLAIN \
    --auth-user "$SITECFG_MTA_USER" --auth-password "$SITECFG_MTA_PASSWORD" \
    --from "$SITECFG_MTA_USER" --to "$RCPTS" --quit-after RCPT
  if [ "$HAVE_MIN" = 1 ]; then
    contender "minclient/$srv" "$WORK/minclient" -addr "$addr" -ca "$SITECFG_MTA_CA_FILE" \
      -user "$SITECFG_MTA_USER" -from "$SITECFG_MTA_USER" -to "$RCPTS"
    contender "minclient-nocgo/$srv" "$WORK/minclient-nocgo" -addr "$addr" -ca "$SITECFG_MTA_CA_FILE" \
      -user "$SITECFG_MTA_USER" -from "$SITECFG_MTA_USER" -to "$RCPTS"
  fi
  if [ "$HAVE_TEST" = 1 ]; then
    contender "smtpauth.test/$srv" "$WORK/smtpauth.test" -test.run '^$' \
      -test.bench "^BenchmarkCheckRealMTA\$/^$srv\$" -test.benchtime 1x
  fi
  # sitecfg: write this server's config once with `sitecfg apply` (which
  # live-checks it too), then time `sitecfg check` on it.
  if [ "$HAVE_CLI" = 1 ]; then
    if SITECFG_MTA_STARTTLS_PORT="${addr##*:}" "$WORK/sitecfg" apply \
      --answers testdata/mta/answers-basic.yaml --config "$WORK/site-$srv.yaml" >"$WORK/apply.log" 2>&1; then
      contender "sitecfg check/$srv" "$WORK/sitecfg" check --config "$WORK/site-$srv.yaml"
      contender "sitecfg-nocgo/$srv" "$WORK/sitecfg-nocgo" check --config "$WORK/site-$srv.yaml"
    else
      echo "   (sitecfg apply failed, skipping the CLI: $(tail -3 "$WORK/apply.log" | tr '\n' ' '))"
    fi
  fi
  time_all
  # Each build against the floor built the same way (cgo / static).
  for k in "smtpauth.test/$srv" "sitecfg check/$srv" "sitecfg-nocgo/$srv"; do
    [ -n "${MEDIAN_US[$k]:-}" ] || continue
    floor="minclient/$srv"
    [ "$k" = "sitecfg-nocgo/$srv" ] && floor="minclient-nocgo/$srv"
    for base in "swaks/$srv" "swaks-rcpt/$srv" "$floor"; do
      [ -n "${MEDIAN_US[$base]:-}" ] || continue
      awk -v a="${MEDIAN_US[$k]}" -v b="${MEDIAN_US[$base]}" -v k="$k" -v base="$base" \
        'BEGIN {printf "  ratio: %-20s / %-18s = %.2f\n", k, base, a/b}'
    done
  done
done

if [ "$HAVE_TEST" = 1 ]; then
  echo "-- in-process (go test -bench; ns/op is the mean per check)"
  "$WORK/smtpauth.test" -test.run '^$' -test.bench 'BenchmarkCheckRealMTA|BenchmarkQuickAck' \
    -test.benchtime "${N}x" -test.benchmem | grep -E '^(Benchmark|PASS|FAIL)'
fi
