#!/usr/bin/env bash
# Installs the real mail servers the smtpauth integration test talks to.
# Run as root on a fresh Debian 12 machine (CI). Installing does not start
# anything: Debian's policy-rc.d keeps package scripts from starting services,
# and .ci/mta/start.sh runs private instances from its own config files.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: must run as root" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Postfix asks debconf what kind of site it is; answer "No configuration" so
# the install never prompts and never writes a working system main.cf that
# could listen on port 25.
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
echo "postfix postfix/mailname string localhost" | debconf-set-selections

apt-get update
# postfix: smtp-sink (the relay target that stores each message as a file).
# dovecot-core + dovecot-submissiond: the SMTP submission server (STARTTLS,
#   implicit TLS, AUTH PLAIN/LOGIN, and the oauth2 passdb for XOAUTH2/OAUTHBEARER).
# swaks (+ libnet-ssleay-perl, only "Recommended", needed for its TLS): what an
#   operator would otherwise use (manual checks and the benchmark).
# openssl: the throwaway CA. hyperfine: the benchmark's timer (optional: bench.sh
#   falls back to a shell loop).
# systemd: systemd-analyze, which verifies contrib/systemd's example units.
apt-get install -y --no-install-recommends \
  postfix dovecot-core dovecot-submissiond swaks openssl ca-certificates \
  libnet-ssleay-perl netcat-openbsd hyperfine tmux systemd
