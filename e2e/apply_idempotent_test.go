package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// applyJSON is the part of `apply --json` these tests read.
type applyJSON struct {
	OK      bool  `json:"ok"`
	Written bool  `json:"written"`
	Changed *bool `json:"changed"`
	Changes []struct {
		Field, Kind, Old, New string
	} `json:"changes"`
}

func parseApplyJSON(t *testing.T, r runResult) applyJSON {
	t.Helper()
	var out applyJSON
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("not JSON (exit %d): %v\n%s\n%s", r.code, err, r.stdout, r.stderr)
	}
	if out.Changed == nil {
		t.Fatalf("no \"changed\" in the JSON:\n%s", r.stdout)
	}
	return out
}

// snapshot is every file of dir with its content and mtime.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".audit.jsonl") || strings.HasSuffix(e.Name(), ".lock") {
			continue // the audit log records every run; the lock file is the lock's
		}
		fi, _ := e.Info()
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		out[e.Name()] = fi.ModTime().Format(time.RFC3339Nano) + " " + string(b)
	}
	return out
}

// The same answers twice write once, as configuration management needs:
// the second run writes nothing (no .bak, the config, its mtime and the
// recovery codes untouched), says so, and --json says "changed": false;
// the audit log does not record it as a write. --dry-run lists what a
// changed answer would change, the secret masked.
func TestApplyIsIdempotent(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		file   string
		env    []string
		args   []string
		edit   []string // an answer changed: env var or answers-file replacement
		change string   // the change line --dry-run then shows
		secret string   // never printed
	}{
		{
			name:   "smtp on, a literal password",
			file:   "basic-loopback.yaml",
			env:    []string{"SITECFG_TEST_PORT=2525", "SITECFG_TEST_SMTP_PASSWORD=Literal-Relay-Pass-7"},
			args:   []string{"--skip-check"},
			edit:   []string{"SITECFG_TEST_PORT=2526"},
			change: "smtp.port: 2525 → 2526",
			secret: "Literal-Relay-Pass-7",
		},
		{
			name: "smtp off: salted hashes, kept recovery codes",
			file: "smtp-off.yaml",
			env:  []string{"ADMIN_PASSWORD=Adm1n!Secure-x", "SUPPORT_PASSWORD=Supp0rt!Secure-x"},
			edit: []string{"SUPPORT_PASSWORD=N3w-Supp0rt!Pass"},
			// The hash is a secret of the file: shown masked.
			change: "users.support.password_hash: •••• → •••• (new)",
			secret: "N3w-Supp0rt!Pass",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if strings.Contains(tt.name, "smtp off") {
				slow(t, "hashes passwords and recovery codes")
			}
			dir := t.TempDir()
			answers := copyAnswers(t, dir, tt.file)
			cfg := filepath.Join(dir, "site-config.yaml")
			apply := func(env []string, extra ...string) runResult {
				args := append([]string{"apply", "--answers", answers, "--config", cfg}, tt.args...)
				return runBin(t, dir, env, "", append(args, extra...)...)
			}

			// Check mode before anything exists: a change, nothing written.
			r := apply(tt.env, "--dry-run", "--json")
			if first := parseApplyJSON(t, r); r.code != 0 || !*first.Changed || first.Written || len(first.Changes) == 0 {
				t.Fatalf("dry run of a first deploy: exit %d %+v\n%s", r.code, first, r.stderr)
			}
			if _, err := os.Stat(cfg); err == nil {
				t.Fatal("--dry-run wrote the config")
			}

			r = apply(tt.env, "--json")
			if first := parseApplyJSON(t, r); r.code != 0 || !*first.Changed || !first.Written {
				t.Fatalf("first apply: exit %d %+v\n%s", r.code, first, r.stderr)
			}
			before := snapshot(t, dir)

			// The same answers again: nothing written, in text and JSON.
			r = apply(tt.env)
			if r.code != 0 || !strings.Contains(r.stdout, "No changes") || strings.Contains(r.stdout, "Wrote") {
				t.Fatalf("second apply: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
			}
			r = apply(tt.env, "--json")
			if again := parseApplyJSON(t, r); r.code != 0 || *again.Changed || again.Written || len(again.Changes) != 0 {
				t.Fatalf("third apply (--json): exit %d %+v\n%s", r.code, again, r.stdout)
			}
			if after := snapshot(t, dir); !mapsEqual(before, after) {
				t.Errorf("a run with the same answers touched files:\nbefore %v\nafter  %v", keys(before), keys(after))
			}
			if _, err := os.Stat(cfg + ".bak"); err == nil {
				t.Error("a run with the same answers made a .bak")
			}
			h := runBin(t, dir, nil, "", "history", "--config", cfg, "--json")
			var log struct {
				Entries []struct {
					Written bool `json:"written"`
				} `json:"entries"`
			}
			if err := json.Unmarshal([]byte(h.stdout), &log); err != nil {
				t.Fatalf("history --json: %v\n%s", err, h.stdout)
			}
			written := 0
			for _, e := range log.Entries {
				if e.Written {
					written++
				}
			}
			if written != 1 {
				t.Errorf("the audit log records %d writes for one write and two runs without changes:\n%s", written, h.stdout)
			}
			if text := runBin(t, dir, nil, "", "history", "--config", cfg); !strings.Contains(text.stdout, "no changes, nothing written") {
				t.Errorf("history does not say a run changed nothing:\n%s", text.stdout)
			}

			// A changed answer: --dry-run lists it (masked), writes nothing.
			env := append(append([]string{}, tt.env...), tt.edit...)
			r = apply(env, "--dry-run")
			if r.code != 0 || !strings.Contains(r.stdout, tt.change) || !strings.Contains(r.stdout, "1 change(s)") {
				t.Errorf("dry run of one change: exit %d, want %q in\n%s\n%s", r.code, tt.change, r.stdout, r.stderr)
			}
			rj := apply(env, "--dry-run", "--json")
			plan := parseApplyJSON(t, rj)
			if !*plan.Changed || plan.Written || len(plan.Changes) != 1 || plan.Changes[0].Kind != "changed" {
				t.Errorf("dry run --json of one change: %+v", plan)
			}
			for _, out := range []string{r.stdout, r.stderr, rj.stdout, rj.stderr} {
				if strings.Contains(out, tt.secret) {
					t.Errorf("a secret was printed:\n%s", out)
				}
			}
			if after := snapshot(t, dir); !mapsEqual(before, after) {
				t.Error("--dry-run touched files")
			}
			// ...and applying it writes, keeping the old file as .bak.
			r = apply(env, "--json")
			if w := parseApplyJSON(t, r); r.code != 0 || !*w.Changed || !w.Written {
				t.Errorf("apply of one change: exit %d %+v", r.code, w)
			}
			if _, err := os.Stat(cfg + ".bak"); err != nil {
				t.Errorf("a write kept no .bak: %v", err)
			}
		})
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || !bytes.Equal([]byte(v), []byte(w)) {
			return false
		}
	}
	return true
}
