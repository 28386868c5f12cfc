package wizard

import (
	"reflect"
	"strings"
	"testing"

	"sitecfg/config"
)

func TestReviewRowsMaskSecrets(t *testing.T) {
	t.Parallel()
	s := NewState(rerunSite())
	rows := ReviewRows(s)
	byField := map[string]string{}
	for _, r := range rows {
		byField[r.Field] = r.Value
		if strings.Contains(r.Value, "old-Secret-1") {
			t.Fatalf("secret in clear: %+v", r)
		}
	}
	if byField["smtp.password"] != MaskUnchanged || byField["smtp.enabled"] != "yes" || byField["smtp.ca_file"] != "(none)" {
		t.Fatalf("rows: %v", byField)
	}
	if err := Find(Questions(), s, "smtp.password").Set(s, "new-Secret-2"); err != nil {
		t.Fatal(err)
	}
	for _, r := range ReviewRows(s) {
		if r.Field == "smtp.password" && r.Value != MaskNew {
			t.Fatalf("typed secret shown as %q", r.Value)
		}
	}
}

func TestDiff(t *testing.T) {
	t.Parallel()
	set := func(s *State, field, v string) {
		t.Helper()
		if err := Find(Questions(), s, field).Set(s, v); err != nil {
			t.Fatalf("%s: %v", field, err)
		}
	}
	tests := []struct {
		name string
		edit func(s *State)
		want []Change
	}{
		{"nothing", func(*State) {}, nil},
		{"port and secret", func(s *State) {
			set(s, "smtp.port", "2525")
			set(s, "smtp.password", "new-Secret-2")
		}, []Change{
			{Field: "smtp.port", Label: "Port", Kind: Changed, Old: "587", New: "2525"},
			{Field: "smtp.password", Label: "SMTP password", Kind: Changed, Old: MaskStored, New: MaskNew},
		}},
		{"added and removed", func(s *State) {
			set(s, "smtp.ca_file", "/etc/ca.pem")
			set(s, "smtp.default_recipients", "")
		}, []Change{
			{Field: "smtp.ca_file", Label: "Extra CA certificate file (optional)", Kind: Added, New: "/etc/ca.pem"},
			{Field: "smtp.default_recipients", Label: "Default recipients (optional)", Kind: Removed, Old: "noc@example.com"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prev := rerunSite()
			s := NewState(prev)
			tt.edit(s)
			if got := Diff(prev, s); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Diff:\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
	if Diff(nil, NewState(nil)) != nil {
		t.Fatal("a first deploy has changes")
	}
}

func TestDiffSMTPOffRemovesEverySMTPField(t *testing.T) {
	t.Parallel()
	prev := rerunSite()
	s := NewState(prev)
	s.Answers.SMTP.Enabled = false
	s.Answers.Users = config.Users{Admin: config.UserAnswer{Username: "siteadmin", Password: config.Secret{Value: "Adm1n-Secret!x"}}}
	kinds := map[string]ChangeKind{}
	for _, c := range Diff(prev, s) {
		kinds[c.Field] = c.Kind
	}
	for _, f := range []string{"smtp.server", "smtp.password", "emails.ui_admin"} {
		if kinds[f] != Removed {
			t.Errorf("%s: %q, want removed", f, kinds[f])
		}
	}
	if kinds["smtp.enabled"] != Changed || kinds["users.admin.username"] != Added {
		t.Errorf("changes: %v", kinds)
	}
}
