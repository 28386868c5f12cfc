package smtpauth_test

import (
	"net"
	"strings"
	"testing"

	"sitecfg/internal/smtptest"
	"sitecfg/smtpauth"
)

// ValidEHLOName's cases are internal/hostname's TestValidEHLO, where the
// rule now lives.

func TestAddressLiteral(t *testing.T) {
	for _, tt := range []struct {
		addr net.Addr
		want string
	}{
		{&net.TCPAddr{IP: net.ParseIP("192.0.2.10"), Port: 1}, "[192.0.2.10]"},
		{&net.TCPAddr{IP: net.ParseIP("2001:db8::1"), Port: 1}, "[IPv6:2001:db8::1]"},
		{nil, "[127.0.0.1]"},
	} {
		if got := smtpauth.AddressLiteral(tt.addr); got != tt.want {
			t.Errorf("AddressLiteral(%v) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}

// The default name is the host's fully qualified name or the connection's
// address literal, never localhost, and a server as strict as Postfix's
// reject_non_fqdn_helo_hostname takes it; "localhost" it refuses, with a
// diagnosis pointing at smtp.ehlo_name.
func TestEHLONameStrictServer(t *testing.T) {
	srv := startServer(t, smtptest.Options{Username: testUser, Password: testPass, StrictHELO: true})
	s := srv.basic(smtpauth.SecurityStartTLS, testUser, testPass)
	s.Envelope = fourAddresses
	r := run(t, s, smtpauth.Options{})
	wantOK(t, r)
	want := "[127.0.0.1]"
	if h, ok := smtpauth.HostEHLOName(); ok {
		want = h
	}
	tr := transcript(r)
	if strings.Count(tr, "C: EHLO "+want+"\n") != 2 || strings.Contains(strings.ToLower(tr), "ehlo localhost") {
		t.Errorf("want EHLO %s before and after STARTTLS:\n%s", want, tr)
	}
	if d := r.Steps[3].Detail; !strings.HasPrefix(d, "as "+want+": offers ") {
		t.Errorf("EHLO detail = %q", d)
	}

	s.EHLOName = "localhost"
	r = run(t, s, smtpauth.Options{})
	d := wantDiag(t, r, smtpauth.StepEnvelope, "ehlo-rejected", "smtp.ehlo_name")
	if !strings.Contains(d.Summary, `"localhost"`) || !strings.Contains(d.ServerSaid, "Helo command rejected") {
		t.Errorf("diagnosis = %+v", d)
	}

	s.EHLOName = "node1.cluster.example.test"
	r = run(t, s, smtpauth.Options{})
	wantOK(t, r)
	if !strings.Contains(transcript(r), "C: EHLO node1.cluster.example.test\n") {
		t.Errorf("configured name not sent:\n%s", transcript(r))
	}
}
