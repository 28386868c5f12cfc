package wizard

import (
	"testing"

	"sitecfg/config"
	"sitecfg/smtpauth"
)

// The EHLO name is advanced: not asked until a diagnosis or the review
// names it (or it holds a value), then prefilled with the default, which
// kept as it is stores nothing; the rules judge what is typed.
func TestEHLOQuestionIsAdvanced(t *testing.T) {
	t.Parallel()
	qs := Questions()
	s := NewState(nil)
	for _, q := range Visible(qs, s) {
		if q.ID == "smtp.ehlo_name" {
			t.Fatal("the EHLO name is asked in the normal flow")
		}
	}
	q := Find(qs, s, "smtp.ehlo_name")
	if q == nil || q.Page != PageServer {
		t.Fatalf("Find did not open the EHLO question: %+v", q)
	}
	if Find(qs, s, "smtp.ehlo_name") != q || !q.Applies(s) {
		t.Error("an opened advanced question is not part of the flow")
	}
	host, hasFQDN := smtpauth.HostEHLOName()
	if got := q.Get(s); got != host {
		t.Errorf("prefilled %q, want the default %q", got, host)
	}
	if hasFQDN {
		if err := q.Set(s, host); err != nil || s.Answers.SMTP.EHLOName != "" {
			t.Errorf("keeping the default stored %q (err %v)", s.Answers.SMTP.EHLOName, err)
		}
	}
	if err := q.Set(s, "node_1.example.com"); err == nil {
		t.Error("an invalid name was taken")
	}
	if err := q.Set(s, "[192.0.2.10]"); err != nil || s.Answers.SMTP.EHLOName != "[192.0.2.10]" {
		t.Errorf("address literal: %v, stored %q", err, s.Answers.SMTP.EHLOName)
	}

	// A saved config with a name: asked (and reviewed) without opening.
	s = NewState(&config.Site{Version: 1, SMTP: config.SMTP{Enabled: true, Auth: config.AuthBasic, Server: "mail.example.com",
		Port: 587, Security: config.SecurityStartTLS, EHLOName: "node1.example.com"}})
	found := false
	for _, v := range Visible(qs, s) {
		found = found || v.ID == "smtp.ehlo_name"
	}
	if !found {
		t.Error("a stored EHLO name is not shown")
	}
}

// The line prompts' review names the advanced fields it does not list,
// only where typing them would ask them.
func TestAdvancedHint(t *testing.T) {
	t.Parallel()
	qs := Questions()
	s := NewState(nil)
	if h := advancedHint(qs, s); h != "; advanced: smtp.ehlo_name" {
		t.Errorf("hint = %q", h)
	}
	if s.AdvancedOpen("smtp.ehlo_name") {
		t.Error("the hint opened the question")
	}
	s.Answers.SMTP.Auth = config.AuthMicrosoft
	if h := advancedHint(qs, s); h != "" {
		t.Errorf("hint for Microsoft 365 = %q", h)
	}
}
