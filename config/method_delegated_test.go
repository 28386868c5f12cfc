package config

import (
	"strings"
	"testing"
	"time"
)

// delegatedOn is msOn as microsoft-delegated: no secret, a refresh token.
var delegatedOn = edit(msOn, "auth:", "auth: microsoft-delegated",
	"client_secret:", "refresh_token: 1.AR-not-a-real-token\n    refresh_token_expires: 2099-03-07T05:00:00Z")

// The rules of microsoft-delegated: microsoft-oauth's endpoint rules, a
// public client (a secret is an error that says so), an optional mailbox,
// the refresh token's expiry judged and a reference warned about; a
// client-credentials method's refresh token is ignored and not written.
func TestDelegatedRules(t *testing.T) {
	a, ps := check(t, delegatedOn)
	if ps.HasErrors() || len(ps.Warnings()) != 0 {
		t.Fatalf("problems: %v", ps)
	}
	if a.SMTP.OAuth.RefreshToken.Value != "1.AR-not-a-real-token" || a.SMTP.Token().Scope != "https://outlook.office.com/SMTP.Send offline_access openid profile" {
		t.Errorf("oauth %+v token %+v", a.SMTP.OAuth, a.SMTP.Token())
	}
	for _, c := range []struct{ name, yaml, field, want string }{
		{"secret", edit(delegatedOn, "client_id:", "client_id: aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\n    client_secret: abc~Q8Q~x"), "smtp.oauth.client_secret", "public client"},
		{"port", edit(delegatedOn, "port:", "port: 465"), "smtp.port", "587"},
		{"host", edit(delegatedOn, "server:", "server: mail.example.com"), "smtp.server", "smtp.office365.com"},
		{"expiry", edit(delegatedOn, "refresh_token_expires:", "refresh_token_expires: tomorrow"), "smtp.oauth.refresh_token_expires", "RFC 3339"},
	} {
		_, ps := check(t, c.yaml)
		if e := ps.Errors().For(c.field); len(e) == 0 || !strings.Contains(e[0].Message, c.want) {
			t.Errorf("%s: errors %v", c.name, ps.Errors())
		}
	}
	// No mailbox: the signed-in user's.
	if _, ps := check(t, edit(delegatedOn, "username:", "")); ps.HasErrors() {
		t.Errorf("an empty mailbox is refused: %v", ps)
	}
	soon := time.Now().Add(10 * 24 * time.Hour).UTC().Format(time.RFC3339)
	if _, ps := check(t, edit(delegatedOn, "refresh_token_expires:", "refresh_token_expires: "+soon)); len(ps.Warnings().For("smtp.oauth.refresh_token_expires")) != 1 {
		t.Errorf("no warning before the token expires: %v", ps)
	}
	t.Setenv("RT", "1.AR-from-env")
	if _, ps := check(t, edit(delegatedOn, "refresh_token:", "refresh_token: ${RT}")); len(ps.Warnings().For("smtp.oauth.refresh_token")) != 1 {
		t.Errorf("no warning about the reference: %v", ps)
	}
	a, ps = check(t, edit(msOn, "client_secret:", "client_secret: abc~Q8Q~realsecretvalue\n    refresh_token: 1.AR-stray"))
	if w := ps.Warnings().For("smtp.oauth.refresh_token"); len(w) != 1 || !strings.Contains(w[0].Message, "ignored") {
		t.Errorf("microsoft-oauth with a refresh token: %v", ps)
	}
	if site := a.Build(nil, time.Now(), "test"); !site.SMTP.OAuth.RefreshToken.IsZero() {
		t.Error("microsoft-oauth wrote a refresh token")
	}
}
