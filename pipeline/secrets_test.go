package pipeline

import (
	"slices"
	"testing"

	"sitecfg/config"
)

// The live check is handed every secret the answers hold, from config's
// table of secret fields, to scrub from its report.
func TestCheckSettingsCarryTheSecrets(t *testing.T) {
	a := &config.Answers{SMTP: config.SMTP{Enabled: true, Auth: config.AuthOAuth2, Server: "smtp.example.com", Port: 587,
		Username: "mailer@example.com", Password: config.Secret{Value: "Plain-Password-1"},
		OAuth: &config.OAuth{TokenURL: "https://idp.example.com/token", ClientID: "c", ClientSecret: config.Secret{Value: "Client-Secret-2", Ref: "${X}"}}}}
	cs, err := CheckSettings(a, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range a.SMTP.SecretValues() {
		if !slices.Contains(cs.Secrets, want) {
			t.Errorf("%q is not among the secrets the check scrubs: %q", want, cs.Secrets)
		}
	}
	if len(cs.Secrets) != 2 {
		t.Errorf("secrets = %q, want the password and the client secret", cs.Secrets)
	}
}
