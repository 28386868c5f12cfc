#!/usr/bin/env bash
# Runs contrib/ansible/example.yml with a real Ansible against this machine
# (-c local), as an operator would against a fleet, and checks what an
# operator relies on:
#   1. check mode (--check --diff) reports a change, shows sitecfg's change
#      list as the diff, and writes nothing;
#   2. the first run changes (the config and the recovery codes written);
#   3. the second run reports changed=0 and writes nothing;
#   4. a refused answers file fails the play with sitecfg's diagnosis;
#   and no secret appears in any output.
#
# Usage: SITECFG_BIN=/path/to/sitecfg bash contrib/ansible/test.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${SITECFG_BIN:?set SITECFG_BIN to the sitecfg program to test}"
command -v ansible-playbook >/dev/null || { echo "test.sh: ansible-playbook not found (apt-get install ansible-core)" >&2; exit 1; }

work="$(mktemp -d /tmp/sitecfg-ansible.XXXXXX)"
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
cfg="$work/etc/sitecfg/site-config.yaml"
echo "localhost ansible_connection=local ansible_python_interpreter=$(command -v python3)" >"$work/inventory"
export SITECFG_ADMIN_PASSWORD='Adm1n!Ansible-Canary-71' SITECFG_SUPPORT_PASSWORD='Supp0rt!Ansible-Canary-72'
# Ansible refuses to start under a locale that is not UTF-8 (LC_ALL=C).
export LC_ALL=C.UTF-8 LANG=C.UTF-8
export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 ANSIBLE_RETRY_FILES_ENABLED=0 \
  ANSIBLE_LOCALHOST_WARNING=0 ANSIBLE_INVENTORY_UNPARSED_WARNING=0 ANSIBLE_HOME="$work/ansible-home"

play() { # NAME [ansible-playbook args]: the output in $work/NAME.out
  local name="$1"
  shift
  set +e
  ansible-playbook -i "$work/inventory" "$here/example.yml" \
    -e "sitecfg_binary=$bin" -e "sitecfg_config=$cfg" "$@" >"$work/$name.out" 2>&1
  local rc=$?
  set -e
  if grep -qF -e "$SITECFG_ADMIN_PASSWORD" -e "$SITECFG_SUPPORT_PASSWORD" "$work/$name.out"; then
    echo "test.sh: $name: a secret was printed" >&2
    exit 1
  fi
  return $rc
}

# expect NAME CHANGED FAILED STATUS [TEXT...]: the play's recap says
# changed=CHANGED ("1": one or more) and failed=FAILED, the sitecfg task's
# status is STATUS (changed, ok or fatal) and its output holds each TEXT.
expect() {
  python3 - "$work/$1.out" "$@" <<'PY'
import re, sys
path, name, changed, failed, status, texts = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6:]
out = open(path).read()
recap = re.search(r"^localhost\s+: ok=\d+\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)", out, re.M)
task = re.search(r"^TASK \[sitecfg : sitecfg apply\].*?(?=^TASK \[|^PLAY RECAP)", out, re.M | re.S)
problems = []
if not recap:
    problems.append("no PLAY RECAP")
else:
    got_changed, got_failed = int(recap.group(1)), int(recap.group(2))
    if changed != "any" and (got_changed > 0) != (int(changed) > 0):
        problems.append("changed=%d, want %s" % (got_changed, changed))
    if got_failed != int(failed):
        problems.append("failed=%d, want %s" % (got_failed, failed))
if not task:
    problems.append("the sitecfg task did not run")
else:
    block = task.group(0)
    if not re.search(r"^%s: \[localhost\]" % status, block, re.M):
        problems.append("the sitecfg task is not %s" % status)
    problems += ["the sitecfg task's output lacks %r" % t for t in texts if t not in block]
print("%s: %s" % (name, recap.group(0).split(":", 1)[1].strip() if recap else "?"))
if problems:
    print("\n".join(problems) + "\n----\n" + out[-6000:])
    sys.exit(1)
PY
}

echo "== check mode: a change, the diff, nothing written"
play check --check --diff
expect check 1 0 changed "+users.admin.password_hash: •••• (new)" "+users.admin.username: siteadmin"
[ ! -e "$cfg" ] || { echo "test.sh: check mode wrote $cfg" >&2; exit 1; }
ls -A "$work/etc/sitecfg" 2>/dev/null | grep -q . && { echo "test.sh: check mode left files: $(ls -A "$work/etc/sitecfg")" >&2; exit 1; }

echo "== first run: changed"
play first
expect first 1 0 changed
[ -s "$cfg" ] || { echo "test.sh: the first run wrote no config" >&2; exit 1; }
[ -s "$work/etc/sitecfg/siteadmin-recovery-codes.txt" ] || { echo "test.sh: no recovery codes beside the config" >&2; exit 1; }
sum="$(sha256sum "$cfg" "$work/etc/sitecfg/siteadmin-recovery-codes.txt")"

echo "== second run: changed=0, nothing written"
play second
expect second 0 0 ok
[ "$sum" = "$(sha256sum "$cfg" "$work/etc/sitecfg/siteadmin-recovery-codes.txt")" ] || { echo "test.sh: the second run changed files" >&2; exit 1; }
[ ! -e "$cfg.bak" ] || { echo "test.sh: the second run made a .bak" >&2; exit 1; }
if ls -A "$work/etc/sitecfg" | grep -q '^\.sitecfg-answers'; then echo "test.sh: the staged answers were left behind" >&2; exit 1; fi

echo "== a refused answers file fails with sitecfg's diagnosis"
SITECFG_SUPPORT_PASSWORD=short play refused && { echo "test.sh: a refused answers file did not fail the play" >&2; exit 1; }
expect refused any 1 fatal "exit 3, invalid answers" "users.support.password"

echo "ansible: check mode, first run, second run and a refusal as expected"
