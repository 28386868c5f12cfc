package wizard

import (
	"strings"
	"testing"
	"time"

	"sitecfg/config"
	"sitecfg/pipeline"
)

func msState(prev *config.Site) *State {
	s := NewState(prev)
	s.Answers.Emails = config.Emails{UIAdmin: "admin@contoso.com", UISupport: "support@contoso.com", AdmiralAlerts: "alerts@contoso.com"}
	s.Answers.SMTP.From = "alerts@contoso.com"
	return s
}

func answer(t *testing.T, s *State, id, v string) {
	t.Helper()
	q := Find(Questions(), s, id)
	if q == nil || q.ID != id {
		t.Fatalf("question %s is not asked", id)
	}
	if err := q.Set(s, v); err != nil {
		t.Fatalf("%s = %q: %v", id, v, err)
	}
}

func visibleIDs(s *State) string {
	var ids []string
	for _, q := range Visible(Questions(), s) {
		ids = append(ids, q.ID)
	}
	return strings.Join(ids, " ")
}

// Choosing the certificate swaps the secret questions for the
// certificate file, on the page after the choice, and the answers pass
// the rules.
func TestCertificateQuestions(t *testing.T) {
	t.Parallel()
	path := writeClientCert(t, time.Now().AddDate(1, 0, 0))
	s := msState(nil)
	answer(t, s, "smtp.auth", "microsoft-oauth")
	answer(t, s, "smtp.oauth.tenant_id", "contoso.onmicrosoft.com")
	answer(t, s, "smtp.oauth.client_id", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")
	answer(t, s, "smtp.username", "alerts@contoso.com")
	if ids := visibleIDs(s); !strings.Contains(ids, "smtp.oauth.credential smtp.oauth.client_secret smtp.oauth.client_secret_expires") ||
		strings.Contains(ids, "client_certificate") {
		t.Fatalf("with a secret: %s", ids)
	}
	answer(t, s, "smtp.oauth.credential", CredentialCertificate)
	if ids := visibleIDs(s); !strings.Contains(ids, "smtp.oauth.credential smtp.oauth.client_certificate") || strings.Contains(ids, "client_secret") {
		t.Fatalf("with a certificate: %s", ids)
	}
	q := Find(Questions(), s, "smtp.oauth.client_certificate")
	if q.Page != PageMSCredential {
		t.Errorf("certificate asked on %q", q.Page)
	}
	// Set stores the path; what the file holds is the question's Check,
	// which the TUI runs off its Update and the line prompts after Set.
	if q.Check == nil {
		t.Fatal("the certificate question has no Check: its file would be read in Update")
	}
	for _, bad := range []string{"", writeClientCert(t, time.Now().Add(-time.Hour)), path + ".missing"} {
		err := q.Set(s, bad)
		if err == nil {
			err = q.Check(q.Get(s))
		}
		if err == nil {
			t.Errorf("certificate %q accepted", bad)
		}
	}
	answer(t, s, "smtp.oauth.client_certificate", "file:"+path)
	if got := s.Answers.SMTP.OAuth.ClientCertificate; got != path {
		t.Errorf("stored %q, want %q", got, path)
	}
	if ps := s.Finish(time.Now()); ps.HasErrors() {
		t.Fatal(ps.Error())
	}
	rows := ReviewRows(s)
	var shown []string
	for _, r := range rows {
		shown = append(shown, r.Field+"="+r.Value)
	}
	if all := strings.Join(shown, " "); !strings.Contains(all, "smtp.oauth.client_certificate="+path) ||
		strings.Contains(all, "smtp.oauth.credential") || strings.Contains(all, "client_secret") {
		t.Errorf("review rows: %s", all)
	}
	settings, err := pipeline.CheckSettings(&s.Answers, false)
	if err != nil || settings.ClientCertificate == nil || settings.ClientKey == nil || settings.ClientSecret != "" {
		t.Errorf("check settings: cert %v key %v secret %q err %v", settings.ClientCertificate != nil, settings.ClientKey != nil, settings.ClientSecret, err)
	}

	answer(t, s, "smtp.oauth.credential", CredentialSecret)
	if s.Answers.SMTP.OAuth.ClientCertificate != "" || !strings.Contains(visibleIDs(s), "client_secret") {
		t.Errorf("back to a secret: %+v, %s", s.Answers.SMTP.OAuth, visibleIDs(s))
	}
}

// A re-run of a config with a secret that switches to a certificate does
// not keep the stored secret; one with a certificate starts on it.
func TestCertificateRerun(t *testing.T) {
	t.Parallel()
	path := writeClientCert(t, time.Now().AddDate(1, 0, 0))
	a := msState(nil).Answers
	a.SMTP = config.SMTP{Enabled: true, Auth: config.AuthMicrosoft, Server: "smtp.office365.com", Port: 587, Security: config.SecurityStartTLS,
		Username: "alerts@contoso.com", From: "alerts@contoso.com", OAuth: &config.OAuth{Cloud: config.CloudGlobal, Mechanism: config.MechXOAuth2,
			TenantID: "contoso.onmicrosoft.com", ClientID: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", ClientSecret: config.Secret{Value: "abc~Stored.Secret-1"}}}
	prev := a.Build(nil, time.Now(), "test")

	s := msState(prev)
	answer(t, s, "smtp.oauth.credential", CredentialCertificate)
	answer(t, s, "smtp.oauth.client_certificate", path)
	if ps := s.Finish(time.Now()); ps.HasErrors() {
		t.Fatal(ps.Error())
	}
	site := s.Answers.Build(prev, time.Now(), "test")
	if !site.SMTP.OAuth.ClientSecret.IsZero() || site.SMTP.OAuth.ClientCertificate != path {
		t.Errorf("built oauth = %+v", site.SMTP.OAuth)
	}

	again := msState(site)
	if q := Find(Questions(), again, "smtp.oauth.credential"); q.Get(again) != CredentialCertificate {
		t.Errorf("re-run starts on %q", q.Get(again))
	}
	if ids := visibleIDs(again); strings.Contains(ids, "client_secret") {
		t.Errorf("re-run asks for a secret: %s", ids)
	}
	changes := Diff(prev, s)
	var diff []string
	for _, c := range changes {
		diff = append(diff, string(c.Kind)+" "+c.Field)
	}
	if d := strings.Join(diff, ", "); !strings.Contains(d, "added smtp.oauth.client_certificate") || !strings.Contains(d, "removed smtp.oauth.client_secret") {
		t.Errorf("changes: %s", d)
	}
}
