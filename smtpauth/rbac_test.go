package smtpauth_test

import (
	"strings"
	"testing"

	"github.com/emersion/go-smtp"

	"sitecfg/internal/smtptest"
	"sitecfg/internal/testkit"
	"sitecfg/smtpauth"
)

// exchange535 is Exchange Online's refusal of a token it does not take.
var exchange535 = &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 3}, Message: "Authentication unsuccessful [SN4PR0501CA0032.namprd05.prod.outlook.com]"}

// App RBAC: a token without SMTP.SendAsApp (no roles claim at all, as
// Entra issues it to an app with no API permission) is not refused before
// AUTH. When Exchange takes it — the app holds the role assignment — the
// check passes, with a warning at the token step that says how to verify
// the assignment.
func TestAppRBACTokenAccepted(t *testing.T) {
	for _, mode := range []string{"rbac", "no-role"} {
		t.Run(mode, func(t *testing.T) {
			e := startEntra(t)
			e.setMode(mode)
			srv := startExchange(t, e, smtptest.Options{})
			s, o := e.settings(srv)
			s.SendTest, s.Recipients = true, []string{"noc@example.test"}
			r := run(t, s, o)
			wantOK(t, r)
			if len(srv.received()) != 1 {
				t.Errorf("%d messages delivered, want 1", len(srv.received()))
			}
			if st := r.Steps[5]; st.Name != smtpauth.StepToken || st.Status != smtpauth.StatusWarning {
				t.Errorf("token step = %+v, want a warning", st)
			}
			if len(r.Warnings) != 1 {
				t.Fatalf("warnings = %+v", r.Warnings)
			}
			w := r.Warnings[0]
			if w.Code != smtpauth.CodeMissingSendAsApp || w.Step != smtpauth.StepToken || w.Field != "smtp.oauth.client_id" {
				t.Errorf("warning = %+v", w)
			}
			roles := "none"
			if mode == "no-role" {
				roles = "Mail.Read"
			}
			for _, want := range []string{"its roles: " + roles, "App RBAC", e.mailbox, "goes on to AUTH"} {
				if !strings.Contains(w.Summary, want) {
					t.Errorf("warning summary lacks %q: %s", want, w.Summary)
				}
			}
			for _, want := range []string{"Application SMTP.SendAsApp", "Grant admin consent", "FullAccess"} {
				if !strings.Contains(w.Remedy, want) {
					t.Errorf("warning remedy lacks %q: %s", want, w.Remedy)
				}
			}
			if len(w.Commands) != 1 || w.Commands[0] != "Test-ServicePrincipalAuthorization -Identity "+e.clientID+" -Resource '"+e.mailbox+"' | Format-Table" {
				t.Errorf("commands = %q", w.Commands)
			}
			testkit.NoSecret(t, srv.wire.String(), append(e.tokens(), e.clientSecret)...)
		})
	}
}

// Exchange refuses the role-less token (535 5.7.3): the diagnosis names
// both ways in — the App RBAC assignment (with the test that verifies it)
// and SMTP.SendAsApp with admin consent and FullAccess — with the
// operator's IDs in the commands. A sovereign cloud, where App RBAC for
// SMTP is not announced, names only the second; a token that carried the
// role keeps the service-principal reading.
func TestAppRBACTokenRefused(t *testing.T) {
	tests := []struct {
		name, mode, cloud string
		want, not         []string
	}{
		{"rbac-global", "rbac", "global",
			[]string{"New-ServicePrincipal -AppId %c -ObjectId <Enterprise application object ID>",
				"$scope = 'sitecfg SMTP %m'\nNew-ManagementScope -Name $scope -RecipientRestrictionFilter \"PrimarySmtpAddress -eq '%m'\"",
				"New-ManagementRoleAssignment -App %c -Role 'Application SMTP.SendAsApp' -CustomResourceScope $scope",
				"Test-ServicePrincipalAuthorization -Identity %c -Resource '%m'",
				"Add-MailboxPermission -Identity %m -User <service principal ID> -AccessRights FullAccess",
				"App RBAC", "Grant admin consent", "not both", "carries no SMTP.SendAsApp role"}, nil},
		{"rbac-gcchigh", "rbac", "usgov-gcchigh",
			[]string{"New-ServicePrincipal -AppId %c", "Add-MailboxPermission -Identity %m", "Grant admin consent"},
			[]string{"New-ManagementRoleAssignment", "App RBAC"}},
		{"role-present", "", "global",
			[]string{"New-ServicePrincipal -AppId %c", "Add-MailboxPermission -Identity %m", "wrong object ID"},
			[]string{"New-ManagementRoleAssignment"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := startEntra(t)
			e.setMode(tt.mode)
			srv := startExchange(t, e, smtptest.Options{AuthError: exchange535})
			s, o := e.settings(srv)
			s.Cloud = tt.cloud
			r := run(t, s, o)
			d := wantDiag(t, r, smtpauth.StepAuth, "smtp-535-5.7.3", "")
			all := d.Summary + "\n" + d.Remedy + "\n" + strings.Join(d.Commands, "\n")
			fill := strings.NewReplacer("%c", e.clientID, "%m", e.mailbox)
			for _, w := range tt.want {
				if !strings.Contains(all, fill.Replace(w)) {
					t.Errorf("diagnosis lacks %q:\n%s", fill.Replace(w), all)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(all, w) {
					t.Errorf("diagnosis says %q:\n%s", w, all)
				}
			}
			if tt.mode == "rbac" && (len(r.Warnings) != 1 || r.Warnings[0].Code != smtpauth.CodeMissingSendAsApp) {
				t.Errorf("warnings = %+v", r.Warnings)
			}
			if !strings.Contains(transcript(r), "C: AUTH XOAUTH2") {
				t.Errorf("AUTH was not tried:\n%s", transcript(r))
			}
			testkit.NoSecret(t, srv.wire.String(), append(e.tokens(), e.clientSecret)...)
		})
	}
}
