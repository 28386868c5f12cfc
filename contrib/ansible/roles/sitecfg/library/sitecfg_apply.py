#!/usr/bin/python3
# Copyright (c) 2026 The sitecfg authors. MIT License (see LICENSE).
"""Ansible module: run `sitecfg apply --json` and report what sitecfg says."""

import json
import os

from ansible.module_utils.basic import AnsibleModule

DOCUMENTATION = r"""
module: sitecfg_apply
short_description: Apply a sitecfg answers file (idempotent)
description:
  - Runs C(sitecfg apply --answers ANSWERS --config CONFIG --json) on the
    target. C(changed) is sitecfg's own C("changed"); check mode runs
    C(--dry-run); diff mode shows sitecfg's list of changes (field path,
    old and new value; secrets masked by sitecfg).
  - Fails with sitecfg's diagnosis when sitecfg refuses (exit 3 invalid
    answers, 4 live check failed, 5 the config cannot be read or written).
options:
  binary: {description: Path of sitecfg on the target., type: path, default: /usr/bin/sitecfg}
  answers: {description: Answers file on the target., type: path, required: true}
  config: {description: Site-config file on the target., type: path, required: true}
  skip_check: {description: Write without the live check., type: bool, default: false}
  send_test: {description: Also send a test message., type: bool, default: false}
  timeout: {description: Deadline of the live check (Go duration)., type: str, default: 30s}
  env: {description: "Environment for sitecfg: the answers' ${ENV_VAR} values. Never logged.", type: dict, default: {}}
"""

EXIT_MEANING = {
    2: "usage error",
    3: "invalid answers (nothing written)",
    4: "live check failed (nothing written)",
    5: "could not read or write the configuration (the previous file is intact)",
    130: "cancelled",
}


def diagnosis(res, rc):
    """sitecfg's own account of a refusal, as lines."""
    lines = ["sitecfg apply: exit %d, %s" % (rc, EXIT_MEANING.get(rc, "unexpected error"))]
    if res.get("error"):
        lines.append(res["error"])
    for p in res.get("problems") or []:
        if p.get("severity") != "error":
            continue
        where = "line %s:%s: " % (p["line"], p["column"]) if p.get("line") else ""
        field = p["field"] + ": " if p.get("field") else ""
        lines.append("  %s%s%s" % (where, field, p.get("message", "")))
    d = (res.get("check") or {}).get("diagnosis")
    if d:
        lines.append("  live check failed at %s: %s" % (d.get("step", "?"), d.get("summary", "")))
        for key in ("field", "remedy", "server_said", "command", "guide"):
            if d.get(key):
                lines.append("    %s: %s" % (key.replace("_", " "), d[key]))
    return lines


def main():
    module = AnsibleModule(
        argument_spec=dict(
            binary=dict(type="path", default="/usr/bin/sitecfg"),
            answers=dict(type="path", required=True),
            config=dict(type="path", required=True),
            skip_check=dict(type="bool", default=False),
            send_test=dict(type="bool", default=False),
            timeout=dict(type="str", default="30s"),
            env=dict(type="dict", default={}, no_log=True),
        ),
        supports_check_mode=True,
    )
    p = module.params
    if not os.access(p["binary"], os.X_OK):
        module.fail_json(msg="sitecfg is not at %s (set sitecfg_binary)" % p["binary"])
    cmd = [p["binary"], "apply", "--answers", p["answers"], "--config", p["config"],
           "--json", "--timeout", p["timeout"]]
    if p["skip_check"]:
        cmd.append("--skip-check")
    if p["send_test"]:
        cmd.append("--send-test")
    if module.check_mode:
        cmd.append("--dry-run")
    env = {k: str(v) for k, v in (p["env"] or {}).items()}
    rc, out, err = module.run_command(cmd, environ_update=env)
    try:
        res = json.loads(out)
    except ValueError:
        module.fail_json(msg="sitecfg apply: exit %d: %s" % (rc, (err or out).strip()), rc=rc)

    changes = res.get("changes") or []
    result = dict(
        changed=bool(res.get("changed")),
        rc=rc,
        written=bool(res.get("written")),
        changes=changes,
        problems=res.get("problems") or [],
        check_skipped=bool(res.get("check_skipped")),
    )
    if res.get("recovery_codes_out"):
        result["recovery_codes_out"] = res["recovery_codes_out"]
    if module._diff and changes:
        # Ansible shows this as a unified diff of the changed fields.
        before = "".join("%s: %s\n" % (c["field"], c["old"]) for c in changes if c.get("kind") != "added")
        after = "".join("%s: %s\n" % (c["field"], c["new"]) for c in changes if c.get("kind") != "removed")
        result["diff"] = dict(before=before, after=after,
                              before_header=p["config"], after_header=p["config"])
    if rc != 0:
        lines = diagnosis(res, rc)
        module.fail_json(msg="\n".join(lines), diagnosis=lines, **result)
    warnings = [("%s: %s" % (w["field"], w["message"]) if w.get("field") else w.get("message", ""))
                for w in res.get("problems") or [] if w.get("severity") == "warning"]
    for w in warnings:
        module.warn(w)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
