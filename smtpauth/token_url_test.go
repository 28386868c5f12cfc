package smtpauth

import "testing"

// The token URL may be plain http only to this machine, by the same
// definition of loopback that the rest of sitecfg uses.
func TestCleartextTokenURL(t *testing.T) {
	tests := []struct {
		url       string
		cleartext bool
		err       bool
	}{
		{"https://login.microsoftonline.com/t/oauth2/v2.0/token", false, false},
		{"https://idp.localhost/token", false, false},
		{"http://localhost:8080/token", false, false},
		{"http://LOCALHOST./token", false, false},
		{"http://127.0.0.1:9/token", false, false},
		{"http://[::1]:9/token", false, false},
		{"http://idp.localhost:9/token", true, false},
		{"http://idp.example.com/token", true, false},
		{"http://10.0.0.1/token", true, false},
		{"ftp://idp.example.com/token", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			clear, err := cleartextTokenURL(tt.url)
			if (err != nil) != tt.err || clear != tt.cleartext {
				t.Errorf("cleartextTokenURL(%q) = %v, %v; want cleartext %v, error %v", tt.url, clear, err, tt.cleartext, tt.err)
			}
		})
	}
}
