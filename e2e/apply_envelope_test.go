package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sitecfg/internal/smtptest"
)

// `apply --json` carries the envelope's answer for every address the
// cluster will mail, with the field it came from; a refused recipient
// fails the check (exit 4, nothing written) naming the address and the
// field, and no message is sent — with or without the refusal. The EHLO
// name configured is the one sent.
func TestApplyEnvelopeJSON(t *testing.T) {
	t.Parallel()
	srv := smtptest.Start(t, smtptest.Options{Dir: t.TempDir(), Username: "alerts@example.com", Password: "Relay-Pass-1",
		RejectRecipients: []string{"support@example.com"}, StrictHELO: true})
	answers := func(dir, support string) string {
		p := filepath.Join(dir, "answers.yaml")
		y := fmt.Sprintf(`version: 1
smtp:
  enabled: true
  auth: basic
  server: 127.0.0.1
  port: %d
  security: starttls
  ca_file: %s
  ehlo_name: node1.cluster.example.com
  username: alerts@example.com
  password: Relay-Pass-1
  from: alerts@example.com
  default_recipients: [noc@example.com]
emails:
  ui_admin: admin@example.com
  ui_support: %s
  admiral_alerts: cluster-health@example.com
`, srv.Port, srv.CAFile, support)
		if err := os.WriteFile(p, []byte(y), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	type out struct {
		Written bool `json:"written"`
		Check   struct {
			OK        bool `json:"ok"`
			Diagnosis *struct {
				Step, Code, Field, Summary string
			} `json:"diagnosis"`
			Recipients []struct {
				Step, Address, Field string
				Accepted             bool
			} `json:"recipients"`
		} `json:"check"`
	}
	run := func(support string) (runResult, out) {
		dir := t.TempDir()
		r := runBin(t, dir, nil, "", "apply", "--json", "--answers", answers(dir, support), "--config", "site.yaml")
		var o out
		if err := json.Unmarshal([]byte(r.stdout), &o); err != nil {
			t.Fatalf("JSON: %v\n%s", err, r.stdout)
		}
		return r, o
	}

	r, o := run("support@example.com")
	if r.code != 4 || o.Written || o.Check.OK || o.Check.Diagnosis == nil {
		t.Fatalf("exit %d: %s", r.code, r.stdout)
	}
	if d := o.Check.Diagnosis; d.Step != "envelope" || d.Code != "recipient-unknown" || d.Field != "emails.ui_support" || !strings.Contains(d.Summary, "support@example.com") {
		t.Errorf("diagnosis = %+v", d)
	}
	var got []string
	for _, rc := range o.Check.Recipients {
		got = append(got, fmt.Sprintf("%s %s %s %v", rc.Step, rc.Field, rc.Address, rc.Accepted))
	}
	want := []string{
		"envelope smtp.default_recipients[0] noc@example.com true",
		"envelope emails.ui_admin admin@example.com true",
		"envelope emails.ui_support support@example.com false",
		"envelope emails.admiral_alerts cluster-health@example.com true",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("recipients:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	r, o = run("help@example.com")
	if r.code != 0 || !o.Written || !o.Check.OK || len(o.Check.Recipients) != 4 {
		t.Fatalf("exit %d: %s", r.code, r.stdout)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("%d messages sent without --send-test", n)
	}
	if w := srv.Wire.String(); !strings.Contains(w, "EHLO node1.cluster.example.com\r\n") || strings.Contains(w, "DATA") {
		t.Errorf("wire:\n%s", w)
	}
}
