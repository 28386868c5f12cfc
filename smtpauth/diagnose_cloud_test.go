package smtpauth

import (
	"strings"
	"testing"
)

// With Microsoft 365 the cloud sets the host: a DNS or network failure
// says what is true (this host's DNS, firewall or proxy), never "check
// the spelling or use an IP address", and points at the cloud, the one
// field that changes where sitecfg goes.
func TestCloudNetwork(t *testing.T) {
	ms := Settings{Method: MethodMicrosoft, Host: "smtp.office365.com", Port: 587, TokenURL: "https://login.microsoftonline.com/t/oauth2/v2.0/token"}
	for _, tt := range []struct {
		code Code
		want []string
	}{
		{CodeDNSNotFound, []string{"cannot resolve smtp.office365.com", "getent hosts smtp.office365.com"}},
		{CodeDNSTimeout, []string{"cannot resolve", "resolv.conf"}},
		{CodeConnectTimeout, []string{"cannot reach smtp.office365.com on port 587", "firewall", "outbound TCP 587"}},
		{CodeConnectUnreachable, []string{"cannot reach", "HTTPS_PROXY"}},
		{CodeTokenEndpointUnreachable, []string{"login.microsoftonline.com", "HTTPS_PROXY"}},
	} {
		t.Run(string(tt.code), func(t *testing.T) {
			d := reword(ms, &Diagnosis{Code: tt.code, Field: "smtp.server", Summary: "the server name does not exist", Remedy: "check the spelling of smtp.server, or use the server's IP address"})
			text := d.Summary + " " + d.Remedy
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("lacks %q: %s", w, text)
				}
			}
			if strings.Contains(text, "IP address") || strings.Contains(text, "spelling") {
				t.Errorf("false advice for a host the cloud sets: %s", text)
			}
			if d.Field != "smtp.oauth.cloud" {
				t.Errorf("field %q, want smtp.oauth.cloud", d.Field)
			}
			// The words agree with the field named: never "the name is
			// right" above "Field to fix: smtp.oauth.cloud".
			if strings.Contains(text, "is right") || !strings.Contains(d.Remedy, "smtp.oauth.cloud") && tt.code == CodeDNSNotFound {
				t.Errorf("the remedy and the field disagree: %s", d.Remedy)
			}
		})
	}
	basic := &Diagnosis{Code: CodeDNSNotFound, Field: "smtp.server", Remedy: "check the spelling"}
	if d := reword(Settings{Method: MethodBasic}, basic); d.Field != "smtp.server" || d.Remedy != "check the spelling" {
		t.Errorf("a basic-auth diagnosis was rewritten: %+v", d)
	}
}
