package smtpauth

import (
	"slices"
	"testing"
)

// Each method, picked from Settings.Method, says whether it logs in, with
// which mechanisms, and whether it fetches a token.
func TestMethods(t *testing.T) {
	oauth := Settings{TokenURL: "https://idp.example.com/token", ClientID: "c", Username: "box@example.com"}
	tests := []struct {
		name      string
		s         Settings
		logsIn    bool
		token     bool
		mechs     []string
		field     string
		invalidOK bool
	}{
		{"empty is none", Settings{}, false, false, nil, "smtp.auth", true},
		{"none", Settings{Method: MethodNone}, false, false, nil, "smtp.auth", true},
		{"basic without a username", Settings{Method: MethodBasic}, false, false, []string{"PLAIN", "LOGIN"}, "smtp.auth", true},
		{"basic", Settings{Method: MethodBasic, Username: "u"}, true, false, []string{"PLAIN", "LOGIN"}, "smtp.auth", true},
		{"oauth2 default", with(oauth, MethodOAuth2, ""), true, true, []string{"XOAUTH2"}, "smtp.oauth.mechanism", false},
		{"oauth2 oauthbearer", with(oauth, MethodOAuth2, "oauthbearer"), true, true, []string{"OAUTHBEARER"}, "smtp.oauth.mechanism", false},
		{"microsoft ignores the mechanism", with(oauth, MethodMicrosoft, "oauthbearer"), true, true, []string{"XOAUTH2"}, "smtp.auth", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := methodFor(tt.s.Method)
			if m == nil {
				t.Fatal("no method")
			}
			if got := m.sendsCredentials(tt.s); got != tt.logsIn {
				t.Errorf("sendsCredentials = %v, want %v", got, tt.logsIn)
			}
			if got := tokenOf(m) != nil; got != tt.token {
				t.Errorf("fetches a token = %v, want %v", got, tt.token)
			}
			if got := m.mechanisms(tt.s); !slices.Equal(got, tt.mechs) {
				t.Errorf("mechanisms = %v, want %v", got, tt.mechs)
			}
			if got := m.mechanismField(); got != tt.field {
				t.Errorf("mechanismField = %q, want %q", got, tt.field)
			}
			if err := m.validate(tt.s); err != nil {
				t.Errorf("validate: %v", err)
			}
			empty := Settings{Method: tt.s.Method}
			if err := m.validate(empty); (err == nil) != tt.invalidOK {
				t.Errorf("validate(no token URL or client ID) = %v", err)
			}
			for _, mech := range tt.mechs {
				if c := m.saslClient(tt.s, mech, "tok"); c == nil {
					t.Errorf("no SASL client for %s", mech)
				} else if name, _, _ := c.Start(); name != mech {
					t.Errorf("the %s client starts %s", mech, name)
				}
			}
		})
	}
	if methodFor("kerberos") != nil {
		t.Error("an unknown method was found")
	}
	if err := methodFor(MethodOAuth2).validate(with(oauth, MethodOAuth2, "cram-md5")); err == nil {
		t.Error("an unknown mechanism passed")
	}
}

func with(s Settings, m Method, mech string) Settings {
	s.Method, s.Mechanism = m, mech
	return s
}
