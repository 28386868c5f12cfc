package smtpauth

import (
	"context"
	"encoding/base64"
	"net"
	"strings"
	"testing"
	"time"
)

func TestRedactClientLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"AUTH PLAIN AGFsaWNlAHNlY3JldA==", "AUTH PLAIN <redacted>"},
		{"auth login", "auth login"},
		{"AUTH XOAUTH2", "AUTH XOAUTH2"},
		{"AUTH OAUTHBEARER bixhPXVzZXIsAWF1dGg9QmVhcmVyIHQBAQ==", "AUTH OAUTHBEARER <redacted>"},
		{"c2VjcmV0", "<redacted>"},
		{"*", "*"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := redactClientLine(tt.in); got != tt.want {
			t.Errorf("redactClientLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLineBufCapsRecordedLines(t *testing.T) {
	var lb lineBuf
	var got []string
	long := strings.Repeat("x", 3000)
	if lb.feed([]byte("250-ok\r\n"+long+"\r\n\x16\x03\x01\n"), func(l string) { got = append(got, recordable(l)) }) {
		t.Fatal("a 3000-byte line reported as too long")
	}
	if len(got) != 3 || got[0] != "250-ok" || !strings.HasSuffix(got[1], "(3000 bytes)") || len(got[1]) > maxRecordedLine+30 || got[2] != `\x16\x03\x01` {
		t.Errorf("lines = %q", got)
	}
	if !lb.feed([]byte(strings.Repeat("y", maxLineBytes+1)), func(string) {}) {
		t.Error("a line over maxLineBytes not reported")
	}
}

func TestReadReply(t *testing.T) {
	tests := []struct {
		name, in string
		expect   int
		code     int
		msg      string
		wantErr  string
	}{
		{"multi", "250-mx\r\n250-AUTH PLAIN\r\n250 SIZE\r\n", 250, 250, "mx\nAUTH PLAIN\nSIZE", ""},
		{"bare code", "250\r\n", 250, 250, "", ""},
		{"prefix match", "251 ok\r\n", 25, 251, "ok", ""},
		{"wrong code", "535 5.7.8 no\r\n", 235, 535, "5.7.8 no", "535"},
		{"ssh", "SSH-2.0-OpenSSH\r\n", 220, 0, "", "not an SMTP reply"},
		{"code changes", "250-a\r\n251 b\r\n", 250, 0, "", "changed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client, server := net.Pipe()
			defer client.Close()
			go func() { _, _ = server.Write([]byte(tt.in)); server.Close() }()
			c := newSMTPConn(guard(context.Background(), client), &transcript{})
			code, msg, err := c.readReply(tt.expect)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || code != tt.code || msg != tt.msg {
				t.Errorf("= %d %q %v, want %d %q", code, msg, err, tt.code, tt.msg)
			}
		})
	}
}

func TestToSMTPError(t *testing.T) {
	se := toSMTPError(535, "5.7.139 Authentication unsuccessful\n5.7.139 more")
	if enhanced(se) != "5.7.139" || se.Message != "Authentication unsuccessful\nmore" {
		t.Errorf("%+v", se)
	}
	if se := toSMTPError(421, "Service not available"); enhanced(se) != "" || replyText(se) != "421 Service not available" {
		t.Errorf("%+v", se)
	}
}

func TestXOAuth2Client(t *testing.T) {
	a := newXOAuth2Client("box@contoso.test", "tok")
	mech, ir, err := a.Start()
	if mech != "XOAUTH2" || ir != nil || err != nil {
		t.Fatalf("Start = %q %q %v: want no initial response", mech, ir, err)
	}
	resp, _ := a.Next(nil)
	if string(resp) != "user=box@contoso.test\x01auth=Bearer tok\x01\x01" {
		t.Errorf("blob = %q", resp)
	}
	resp, err = a.Next([]byte(`{"status":"401"}`))
	if err != nil || resp == nil || len(resp) != 0 || a.errChallenge != `{"status":"401"}` {
		t.Errorf("error challenge answered with %q, %v", resp, err)
	}
}

func TestLoginClient(t *testing.T) {
	a := &loginClient{user: "u", pass: "p"}
	if _, ir, _ := a.Start(); ir != nil {
		t.Error("LOGIN sends no initial response")
	}
	if r, _ := a.Next([]byte("Username:")); string(r) != "u" {
		t.Errorf("username prompt answered %q", r)
	}
	if r, _ := a.Next([]byte("Password:")); string(r) != "p" {
		t.Errorf("password prompt answered %q", r)
	}
	if _, err := a.Next([]byte("again?")); err == nil {
		t.Error("a third challenge accepted")
	}
}

func TestClaims(t *testing.T) {
	// header {"alg":"RS256","typ":"JWT"}, claims as Entra issues them.
	enc := base64.RawURLEncoding.EncodeToString
	tok := enc([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." +
		enc([]byte(`{"aud":"https://outlook.office365.com","roles":["SMTP.SendAsApp"],"tid":"t","appid":"a","exp":2000000000}`)) + ".sig"
	c, ok := parseClaims(tok)
	if !ok || !c.hasRole("smtp.sendasapp") || !c.audienceMatches("https://outlook.office365.com/") || c.AppID != "a" || c.Expires.Unix() != 2000000000 {
		t.Fatalf("claims = %+v, %v", c, ok)
	}
	if _, ok := parseClaims("opaque-token"); ok {
		t.Error("an opaque token parsed as a JWT")
	}
	s := Settings{Method: MethodMicrosoft, Audience: "https://outlook.office365.com"}
	if d := checkClaims(s, c, time.Unix(1900000000, 0)); d != nil {
		t.Errorf("good token: %+v", d)
	}
	if d := checkClaims(s, c, time.Unix(2100000000, 0)); d == nil || d.Code != "token-expired" {
		t.Errorf("expired token: %+v", d)
	}
}

func TestBase64Cores(t *testing.T) {
	sec := "Canary-Passw0rd-7f3e!"
	for _, prefix := range []string{"", "a", "ab", "\x00user\x00"} {
		blob := base64.StdEncoding.EncodeToString([]byte(prefix + sec + "tail"))
		if got := secretForms(nil, sec).scrub(blob); !strings.Contains(got, redacted) {
			t.Errorf("prefix %q: %q not scrubbed", prefix, blob)
		}
	}
}
