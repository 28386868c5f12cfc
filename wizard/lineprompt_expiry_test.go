package wizard

import (
	"errors"
	"strings"
	"testing"
	"time"

	"sitecfg/config"
)

// The line prompts apply the same rules as apply: a re-run that keeps an
// expired client secret is refused, not written.
func TestLinesRefuseAnExpiredSecret(t *testing.T) {
	t.Parallel()
	prev := &config.Site{Version: config.Version, SMTP: config.SMTP{Enabled: true, Auth: config.AuthMicrosoft,
		Server: "smtp.office365.com", Port: 587, Security: config.SecurityStartTLS,
		Username: "alerts@contoso.com", From: "alerts@contoso.com",
		OAuth: &config.OAuth{Cloud: config.CloudGlobal, TenantID: "contoso.onmicrosoft.com", ClientID: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
			ClientSecret: config.Secret{Value: "abc~Q8Q~value"}, ClientSecretExpires: time.Now().AddDate(0, 0, -3).Format(time.DateOnly)}},
		Emails: &config.Emails{UIAdmin: "admin@contoso.com", UISupport: "support@contoso.com", AdmiralAlerts: "health@contoso.com"}}
	fc := &fakeCheck{}
	// An operator pressing Enter everywhere: keep every value.
	r := runLinesWith(t, strings.NewReader(strings.Repeat("\n", 60)), fc, func(o *LineOptions) { o.Prev = prev })
	if r.site != nil {
		t.Fatalf("a config with an expired client secret was written:\n%s", r.screen)
	}
	if !errors.Is(r.err, ErrInputEnded) {
		t.Errorf("err = %v, want the input to end while the expiry is asked again", r.err)
	}
	if !strings.Contains(r.screen, "the client secret expired on") || !strings.Contains(r.screen, "smtp.oauth.client_secret_expires") {
		t.Errorf("the expiry error is not shown on its field:\n%s", r.screen)
	}
	if fc.count() != 0 {
		t.Error("the live check ran with an expired secret")
	}
}
