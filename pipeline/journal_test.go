package pipeline

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sitecfg/config"
)

// The audit log's field paths: what changed, secrets by path only, the
// write stamp never; on a first write, everything written.
func TestChangedFields(t *testing.T) {
	before := []byte(`version: 1
written: {at: 2026-01-01T00:00:00Z, by: sitecfg v1}
smtp:
  enabled: true
  server: mail.example.com
  port: 587
  password: Old-Relay-Secret-1
  default_recipients: [a@example.com]
`)
	after := []byte(`version: 1
written: {at: 2026-02-01T00:00:00Z, by: sitecfg v2}
smtp:
  enabled: true
  server: mail.example.com
  port: 465
  password: New-Relay-Secret-2
  from: alerts@example.com
`)
	got := ChangedFields(before, after)
	if want := []string{"smtp.port", "smtp.password", "smtp.from", "smtp.default_recipients"}; !slices.Equal(got, want) {
		t.Errorf("changed %v, want %v", got, want)
	}
	if got := ChangedFields(before, before); len(got) != 0 {
		t.Errorf("no change, but %v", got)
	}
	if got := ChangedFields(nil, after); !slices.Equal(got, []string{"version", "smtp.enabled", "smtp.server", "smtp.port", "smtp.password", "smtp.from"}) {
		t.Errorf("first write: %v", got)
	}
}

type journalFunc func(before, after []byte, fields []string)

func (f journalFunc) Wrote(before, after []byte, fields []string) { f(before, after, fields) }

// Commit tells the journal once, with the lock still held, what it wrote;
// a refused commit tells it nothing.
func TestCommitTellsTheJournal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "site-config.yaml")
	calls := 0
	j := journalFunc(func(before, after []byte, fields []string) {
		calls++
		if _, err := config.Acquire(path, 0); err == nil {
			t.Error("the journal was told without the lock held")
		}
		disk, _ := os.ReadFile(path)
		if before != nil || string(after) != string(disk) || !slices.Contains(fields, "smtp.server") {
			t.Errorf("before %q, after matches disk %v, fields %v", before, string(after) == string(disk), fields)
		}
		for _, f := range fields {
			if strings.Contains(f, "Relay-Secret") {
				t.Errorf("a value in the fields: %v", fields)
			}
		}
	})
	r, err := Open(path, Options{Journal: j})
	if err != nil {
		t.Fatal(err)
	}
	a := &config.Answers{Version: 1, SMTP: config.SMTP{Enabled: true, Auth: config.AuthBasic, Server: "127.0.0.1", Port: 2525,
		Security: config.SecurityStartTLS, Username: "alerts@example.com", Password: config.Secret{Value: "Relay-Secret-9x!"}, From: "alerts@example.com"},
		Emails: config.Emails{UIAdmin: "admin@example.com", UISupport: "support@example.com", AdmiralAlerts: "health@example.com"}}
	if ps := r.Prepare(a); ps.HasErrors() {
		t.Fatal(ps)
	}
	if _, err := r.Commit(a, CommitOptions{By: "test"}); err != nil {
		t.Fatal(err)
	}
	// A second run that read nothing now finds a file it did not read.
	if _, err := r.Commit(a, CommitOptions{By: "test"}); err == nil {
		t.Fatal("a stale run committed")
	}
	if calls != 1 {
		t.Errorf("the journal was told %d times, want 1", calls)
	}
}
