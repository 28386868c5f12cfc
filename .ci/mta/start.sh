#!/usr/bin/env bash
# Starts a throwaway, real mail setup on loopback for the smtpauth integration
# test (smtpauth/mta_*_test.go) and the benchmark (.ci/mta/bench.sh):
#
#   Dovecot submission (a real SMTP submission server, RFC 6409)
#     127.0.0.2:10587  plain connect, STARTTLS, then AUTH PLAIN/LOGIN/XOAUTH2/OAUTHBEARER
#     127.0.0.2:10465  implicit TLS ("SSL"), same mechanisms
#     relays every accepted message (synchronously) to
#   Postfix's smtp-sink on 127.0.0.1:10025, which stores each message as a
#     file in DIR/mail/ (envelope in X-Mail-Args / X-Rcpt-Args lines, then the
#     message as received).
#   Postfix smtpd, a second, independent submission server (the MTA most
#     sites run), SASL through Dovecot's auth service (smtpd_sasl_type = dovecot):
#     127.0.0.2:10588  STARTTLS (smtpd_tls_auth_only), AUTH, queue, relay to the sink
#     127.0.0.2:10466  implicit TLS (smtpd_tls_wrappermode)
#     127.0.0.2:10589  STARTTLS with strict HELO rules, as many corporate
#                      relays have (smtpd_helo_required,
#                      reject_non_fqdn_helo_hostname, reject_invalid_helo_hostname;
#                      Postfix applies them at RCPT TO): EHLO localhost is refused
#     Every Postfix listener refuses one recipient, refused@example.test
#     (550 5.1.1 User unknown), and takes mail only after AUTH.
#     MTA_POSTFIX=0 leaves it out.
#
# PLAIN/LOGIN check a passwd-file user; XOAUTH2/OAUTHBEARER check the bearer
# token with Dovecot's oauth2 passdb, which POSTs it to an RFC 7662
# introspection endpoint on 127.0.0.1:10880 that the Go test serves itself
# (nothing listens there otherwise, so OAuth logins fail outside the test).
#
# Everything lives in DIR: a throwaway CA and server certificate, the config
# files, the queue, the logs and the pids. No system service is started or
# changed, and nothing under /etc is written.
# Writes DIR/env (KEY=value lines) describing all of it.
#
# Usage: start.sh DIR   (as root; run .ci/mta/install.sh first)
# Ports can be moved with MTA_SINK_PORT, MTA_STARTTLS_PORT, MTA_TLS_PORT,
# MTA_POSTFIX_STARTTLS_PORT, MTA_POSTFIX_TLS_PORT, MTA_POSTFIX_STRICT_PORT,
# MTA_INTROSPECT_PORT.
#
# Why 127.0.0.2: Dovecot 2.3 treats a connection whose remote address equals
# its local address (127.0.0.1 -> 127.0.0.1) as secure and then accepts AUTH
# with a cleartext password before STARTTLS, whatever disable_plaintext_auth
# and ssl = required say. Listening on 127.0.0.2 (still loopback: Linux routes
# all of 127.0.0.0/8 to lo, and the client's source address stays 127.0.0.1)
# makes it behave like a real submission server: no AUTH before TLS.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 DIR" >&2
  exit 2
fi
mkdir -p "$1"
DIR="$(cd "$1" && pwd)"
HERE="$(cd "$(dirname "$0")" && pwd)"

SINK_PORT="${MTA_SINK_PORT:-10025}"
STARTTLS_PORT="${MTA_STARTTLS_PORT:-10587}"
TLS_PORT="${MTA_TLS_PORT:-10465}"
INTROSPECT_PORT="${MTA_INTROSPECT_PORT:-10880}"
PF_STARTTLS_PORT="${MTA_POSTFIX_STARTTLS_PORT:-10588}"
PF_TLS_PORT="${MTA_POSTFIX_TLS_PORT:-10466}"
PF_STRICT_PORT="${MTA_POSTFIX_STRICT_PORT:-10589}"
REFUSED_RCPT="refused@example.test"
WITH_POSTFIX="${MTA_POSTFIX:-1}"
HOST="${MTA_HOST:-127.0.0.2}"
USER_NAME="alerts@example.test"

for tool in dovecot smtp-sink openssl; do
  command -v "$tool" >/dev/null || PATH="$PATH:/usr/sbin:/sbin"
  command -v "$tool" >/dev/null || { echo "start.sh: $tool not found: run .ci/mta/install.sh" >&2; exit 1; }
done

# Idempotent-ish: a second start on the same DIR replaces the first.
if [ -f "$DIR/env" ] || [ -f "$DIR/smtp-sink.pid" ]; then
  bash "$HERE/stop.sh" "$DIR" || true
fi

# The ports are fixed, so a second setup (another DIR) cannot run beside
# this one: say so plainly instead of failing later with "bind: in use".
port_busy() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
for hp in "127.0.0.1:$SINK_PORT" "$HOST:$STARTTLS_PORT" "$HOST:$TLS_PORT" \
  "$HOST:$PF_STARTTLS_PORT" "$HOST:$PF_TLS_PORT" "$HOST:$PF_STRICT_PORT"; do
  if port_busy "${hp%:*}" "${hp##*:}"; then
    echo "start.sh: $hp is already in use (a setup started from another folder?" >&2
    echo "  stop it with: bash .ci/mta/stop.sh THAT_DIR; running: $(ls /tmp/sitecfg-mta.*/env 2>/dev/null | tr '\n' ' '))" >&2
    exit 1
  fi
done

# Dovecot's unprivileged processes (auth runs as "dovecot", login as
# "dovenull") must reach the files here, and mktemp -d makes 0700 folders.
# Nothing in DIR is a real secret.
chmod 0755 "$DIR"
mkdir -p "$DIR/mail" "$DIR/dovecot/run" "$DIR/dovecot/state" "$DIR/home"
# smtp-sink drops root privileges to "postfix" before it writes messages.
chown postfix:postfix "$DIR/mail"
# The submission process runs as the (virtual) mail user, here "nobody".
chown nobody:nogroup "$DIR/home"

# --- throwaway CA and server certificate for $HOST / localhost --------------
# Fresh per start, so no test ever trusts a key that outlived its run.
{
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 \
    -keyout "$DIR/ca.key" -out "$DIR/ca.crt" \
    -subj "/CN=sitecfg throwaway test CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes \
    -keyout "$DIR/server.key" -out "$DIR/server.csr" \
    -subj "/CN=localhost" 2>/dev/null
  cat >"$DIR/server.ext" <<EOF
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = IP:$HOST, IP:127.0.0.1, DNS:localhost
EOF
  openssl x509 -req -in "$DIR/server.csr" -days 2 \
    -CA "$DIR/ca.crt" -CAkey "$DIR/ca.key" -CAcreateserial \
    -extfile "$DIR/server.ext" -out "$DIR/server.crt" 2>/dev/null
  chmod 0644 "$DIR/server.key" # read by Dovecot's config process; throwaway
}

# --- the test user ----------------------------------------------------------
# A fresh random password per start; the test reads it from DIR/env.
PASSWORD="$(openssl rand -hex 12)"
# passwd-file: user:{scheme}password:uid:gid:gecos:home:shell:extra
printf '%s:{PLAIN}%s::::::\n' "$USER_NAME" "$PASSWORD" >"$DIR/users"
chmod 0644 "$DIR/users"

# --- the sink ---------------------------------------------------------------
# smtp-sink -d TEMPLATE writes each mail transaction to its own file, named by
# strftime(TEMPLATE) plus a random hex suffix. -u postfix: it refuses to run
# as root. -a: it need not offer AUTH (Dovecot relays without it).
# The final argument is the listen backlog.
nohup smtp-sink -u postfix -a -d "$DIR/mail/%Y%m%d%H%M%S." \
  "127.0.0.1:$SINK_PORT" 64 \
  </dev/null >"$DIR/smtp-sink.log" 2>&1 &
echo $! >"$DIR/smtp-sink.pid"

# --- Dovecot submission -------------------------------------------------------
cat >"$DIR/dovecot-oauth2.conf.ext" <<EOF
# RFC 7662 token introspection, served by the Go test on loopback.
# force_introspection: always ask the endpoint (no local JWT shortcuts).
introspection_mode = post
introspection_url = http://127.0.0.1:$INTROSPECT_PORT/introspect
force_introspection = yes
# The endpoint's "username" must equal the user named in XOAUTH2/OAUTHBEARER.
username_attribute = username
active_attribute = active
active_value = true
timeout_msecs = 5000
EOF

cat >"$DIR/dovecot.conf" <<EOF
# Private Dovecot instance for sitecfg's tests: dovecot -c $DIR/dovecot.conf
base_dir = $DIR/dovecot/run
state_dir = $DIR/dovecot/state
instance_name = sitecfg-mta-test
# No syslog on these machines: log to files.
log_path = $DIR/dovecot.log
info_log_path = $DIR/dovecot.log
auth_verbose = yes
auth_debug = no

protocols = submission
listen = $HOST
hostname = localhost
# Do not wait for (or need) DNS.
submission_host = localhost

# TLS. ssl = required + disable_plaintext_auth: no AUTH before STARTTLS
# (given that the client's address differs from $HOST, see start.sh).
ssl = required
ssl_cert = <$DIR/server.crt
ssl_key = <$DIR/server.key
ssl_dh = </usr/share/dovecot/dh.pem
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes

auth_mechanisms = plain login xoauth2 oauthbearer

# Passwords: PLAIN/LOGIN only, so a wrong password never reaches the OAuth
# endpoint (which would turn a clean 535 into a temporary failure).
passdb {
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u $DIR/users
}
# Bearer tokens: XOAUTH2/OAUTHBEARER only.
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $DIR/dovecot-oauth2.conf.ext
}
# Every authenticated login is the same unprivileged virtual user.
userdb {
  driver = static
  args = uid=nobody gid=nogroup home=$DIR/home/%u
}
mail_location = maildir:~/Maildir

# Relay everything accepted to the sink.
submission_relay_host = 127.0.0.1
submission_relay_port = $SINK_PORT
submission_relay_trusted = no
submission_relay_ssl = no

service submission-login {
  inet_listener submission {
    address = $HOST
    port = $STARTTLS_PORT
  }
  inet_listener submissions {
    address = $HOST
    port = $TLS_PORT
    ssl = yes
  }
}
# No auth penalty: Dovecot's anvil otherwise delays every login from an IP
# (up to 15 s) after failed ones, and the failure tests all come from
# 127.0.0.1, so they would slow down (and time out) the tests that should
# pass. Mode 0 is Dovecot's documented way to switch it off (auth then logs
# one harmless "net_connect_unix(anvil-auth-penalty) failed"). The fixed
# auth_failure_delay (2 s before each failure reply) stays, as on real servers.
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
# Postfix's smtpd asks Dovecot's auth service over this socket.
service auth {
  unix_listener $DIR/postfix-auth {
    mode = 0660
    user = postfix
    group = postfix
  }
}
# Nothing else: no IMAP/POP3/LMTP listeners.
service imap-login {
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    port = 0
  }
}
EOF

dovecot -c "$DIR/dovecot.conf" </dev/null >"$DIR/dovecot.start.log" 2>&1 || {
  echo "start.sh: dovecot failed to start" >&2
  cat "$DIR/dovecot.start.log" "$DIR/dovecot.log" >&2 2>/dev/null || true
  bash "$HERE/stop.sh" "$DIR" >&2 || true
  exit 1
}

# --- Postfix submission -------------------------------------------------------
# Run as root from our own config folder: `postfix -c DIR start` then needs no
# change to /etc/postfix (alternate_config_directories is only checked for
# non-root callers). Every service runs unchrooted (chroot "n"), so nothing
# has to be copied into the queue folder. There is no /dev/log: logging goes
# to maillog_file through postlogd (a path outside /var must be in
# maillog_file_prefixes, or postfix start exits 1 without a word).
if [ "$WITH_POSTFIX" = 1 ]; then
  mkdir -p "$DIR/postfix/conf" "$DIR/postfix/queue" "$DIR/postfix/data"
  chown postfix "$DIR/postfix/data" # master.lock and the TLS caches live here
  cat >"$DIR/postfix/conf/main.cf" <<EOF
# Private Postfix instance for sitecfg's tests: postfix -c $DIR/postfix/conf
compatibility_level = 3.6
queue_directory = $DIR/postfix/queue
data_directory = $DIR/postfix/data
mail_owner = postfix
setgid_group = postdrop
maillog_file = $DIR/postfix.log
maillog_file_prefixes = /var, /dev/stdout, $DIR
myhostname = localhost
mydomain = localdomain
myorigin = localhost
mydestination =
# The listeners are in master.cf (on $HOST); inet_interfaces only has to be
# an address of a real interface, which 127.0.0.2 is not.
inet_interfaces = loopback-only
inet_protocols = ipv4
biff = no
# Accepted mail goes straight to the sink.
relayhost = [127.0.0.1]:$SINK_PORT
smtp_tls_security_level = none
# Submission: TLS, then AUTH (through Dovecot), then relay for authenticated
# clients only. No AUTH before TLS (smtpd_tls_auth_only).
smtpd_tls_cert_file = $DIR/server.crt
smtpd_tls_key_file = $DIR/server.key
smtpd_tls_security_level = may
smtpd_tls_auth_only = yes
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = $DIR/postfix-auth
smtpd_relay_restrictions = permit_sasl_authenticated, reject
# One recipient that does not exist, refused whoever asks (the live check's
# envelope step must fail on it without sending anything).
smtpd_recipient_restrictions =
  check_recipient_access inline:{ {$REFUSED_RCPT = 550 5.1.1 User unknown} },
  permit_sasl_authenticated, reject
# No flow control: every live check opens a mail transaction and ends it
# with RSET, so no message ever reaches the queue manager to give back the
# "token" smtpd took; after a few hundred checks (the benchmark) each new
# MAIL FROM would wait in_flow_delay (1 s). A real server's queue moves.
in_flow_delay = 0
# The strict listener's HELO rules (master.cf -o refers to this).
strict_helo_restrictions = reject_invalid_helo_hostname, reject_non_fqdn_helo_hostname
mynetworks = 127.0.0.1/32
EOF
  cat >"$DIR/postfix/conf/master.cf" <<EOF
# service  type  private unpriv chroot wakeup maxproc command
$HOST:$PF_STARTTLS_PORT inet n - n - - smtpd
  -o smtpd_tls_security_level=encrypt
$HOST:$PF_TLS_PORT inet n - n - - smtpd
  -o smtpd_tls_wrappermode=yes
$HOST:$PF_STRICT_PORT inet n - n - - smtpd
  -o smtpd_tls_security_level=encrypt
  -o smtpd_helo_required=yes
  -o smtpd_helo_restrictions=\$strict_helo_restrictions
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
  postfix -c "$DIR/postfix/conf" start </dev/null >"$DIR/postfix.start.log" 2>&1 || {
    echo "start.sh: postfix failed to start" >&2
    cat "$DIR/postfix.start.log" "$DIR/postfix.log" >&2 2>/dev/null || true
    bash "$HERE/stop.sh" "$DIR" >&2 || true
    exit 1
  }
fi

# --- wait until every port accepts connections (bounded) --------------------
wait_port() { # HOST PORT NAME LOG
  local i
  for i in $(seq 1 100); do # 100 x 0.1 s = 10 s
    if (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "start.sh: $3 is not listening on $1:$2 after 10 s; its log:" >&2
  cat "$4" >&2 2>/dev/null || true
  bash "$HERE/stop.sh" "$DIR" >&2 || true
  exit 1
}
wait_port 127.0.0.1 "$SINK_PORT" smtp-sink "$DIR/smtp-sink.log"
wait_port "$HOST" "$STARTTLS_PORT" "dovecot submission (STARTTLS)" "$DIR/dovecot.log"
wait_port "$HOST" "$TLS_PORT" "dovecot submission (implicit TLS)" "$DIR/dovecot.log"
if [ "$WITH_POSTFIX" = 1 ]; then
  wait_port "$HOST" "$PF_STARTTLS_PORT" "postfix submission (STARTTLS)" "$DIR/postfix.log"
  wait_port "$HOST" "$PF_TLS_PORT" "postfix submission (implicit TLS)" "$DIR/postfix.log"
  wait_port "$HOST" "$PF_STRICT_PORT" "postfix submission (strict HELO)" "$DIR/postfix.log"
fi

cat >"$DIR/env" <<EOF
SITECFG_MTA_DIR=$DIR
SITECFG_MTA_HOST=$HOST
SITECFG_MTA_STARTTLS_PORT=$STARTTLS_PORT
SITECFG_MTA_TLS_PORT=$TLS_PORT
SITECFG_MTA_STARTTLS_ADDR=$HOST:$STARTTLS_PORT
SITECFG_MTA_TLS_ADDR=$HOST:$TLS_PORT
SITECFG_MTA_CA_FILE=$DIR/ca.crt
SITECFG_MTA_USER=$USER_NAME
SITECFG_MTA_PASSWORD=$PASSWORD
SITECFG_MTA_MAILDIR=$DIR/mail
SITECFG_MTA_OAUTH_ADDR=$HOST:$STARTTLS_PORT
SITECFG_MTA_OAUTH_TLS_ADDR=$HOST:$TLS_PORT
SITECFG_MTA_INTROSPECT_LISTEN=127.0.0.1:$INTROSPECT_PORT
SITECFG_MTA_LOG=$DIR/dovecot.log
SITECFG_MTA_KIND=dovecot-submission
EOF
if [ "$WITH_POSTFIX" = 1 ]; then
  cat >>"$DIR/env" <<EOF
SITECFG_MTA_POSTFIX_STARTTLS_ADDR=$HOST:$PF_STARTTLS_PORT
SITECFG_MTA_POSTFIX_TLS_ADDR=$HOST:$PF_TLS_PORT
SITECFG_MTA_POSTFIX_STRICT_ADDR=$HOST:$PF_STRICT_PORT
SITECFG_MTA_REFUSED_RCPT=$REFUSED_RCPT
SITECFG_MTA_POSTFIX_LOG=$DIR/postfix.log
EOF
fi
echo "start.sh: Dovecot submission on $HOST:$STARTTLS_PORT (STARTTLS) and $HOST:$TLS_PORT (TLS)"
if [ "$WITH_POSTFIX" = 1 ]; then
  echo "start.sh: Postfix submission on $HOST:$PF_STARTTLS_PORT (STARTTLS), $HOST:$PF_TLS_PORT (TLS) and $HOST:$PF_STRICT_PORT (STARTTLS, strict HELO)"
fi
echo "start.sh: sink on 127.0.0.1:$SINK_PORT -> $DIR/mail; settings in $DIR/env"
