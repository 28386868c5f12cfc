package smtpauth

import (
	"fmt"
	"strings"

	"sitecfg/microsoft"
)

// Diagnosis codes of the delegated sign-in.
const (
	// CodeNotSignedIn is a microsoft-delegated config without a refresh
	// token: nobody has signed in yet.
	CodeNotSignedIn Code = "not-signed-in"
	// CodeMissingSMTPSend is a delegated token without the SMTP.Send
	// permission.
	CodeMissingSMTPSend Code = "missing-smtp-send"
	// CodeSendAsNeeded is a warning: the mailbox is not the signed-in
	// user's own.
	CodeSendAsNeeded Code = "send-as-needed"
)

// delegatedMethod logs in to Exchange Online with a delegated token (a
// person signed in and authorized sending on their behalf) over XOAUTH2.
// It gets its token with the refresh token grant (grant_refresh.go); the
// sign-in itself is signin.go's. Its token carries scp, not roles.
type delegatedMethod struct {
	refreshGrant
	exchangeOnline
}

func (delegatedMethod) validate(s Settings) error {
	if s.ClientSecret != "" || s.ClientKey != nil {
		return fmt.Errorf("microsoft-delegated is a public client: it sends no client secret or certificate")
	}
	return nil
}

// reword: a network failure is about reaching the cloud; a refused
// refresh token or sign-in is said with its cause and the way out.
func (delegatedMethod) reword(s Settings, d *Diagnosis) *Diagnosis {
	if d.Step == StepToken {
		if n, ok := aadstsNumber(d.Code); ok {
			if dd, ok := signInRefusal(n, s.SignIn); ok {
				dd.Step, dd.Code, dd.ServerSaid = d.Step, d.Code, d.ServerSaid
				return dd
			}
		}
	}
	return cloudNetwork(s, d)
}

// refuseClaims explains a token for another resource, or one without the
// delegated SMTP.Send permission (scp) that Exchange requires.
func (delegatedMethod) refuseClaims(s Settings, c tokenClaims) *Diagnosis {
	if s.Audience != "" && !c.audienceMatches(s.Audience) {
		return &Diagnosis{
			Step: StepToken, Code: CodeWrongAudience, Field: "smtp.oauth.cloud",
			Summary: fmt.Sprintf("the token is for %q, not for Exchange Online (%s)", strings.Join(c.Audience, " "), s.Audience),
			Remedy:  "pick the cloud your tenant is in (global, usgov-gcchigh, usgov-dod, china), then sign in again: " + signInCommand(s.SignIn),
		}
	}
	if !c.hasScope(microsoft.SendPermission) {
		scopes := "none"
		if len(c.Scopes) > 0 {
			scopes = strings.Join(c.Scopes, " ")
		}
		return &Diagnosis{
			Step: StepToken, Code: CodeMissingSMTPSend, Field: "smtp.oauth.client_id",
			Summary: fmt.Sprintf("the token has no delegated %s permission (its scopes: %s): Exchange will refuse it with 535 5.7.3", microsoft.SendPermission, scopes),
			Remedy: fmt.Sprintf("in the Entra admin center, App registrations → the app %s → API permissions → Add a permission → "+
				"APIs my organization uses → Office 365 Exchange Online → Delegated permissions → %s → Add (and Grant admin consent where users may not consent), then sign in again: %s",
				s.ClientID, microsoft.SendPermission, signInCommand(s.SignIn)),
		}
	}
	return nil
}

// signInCommand is the command that signs in again (Settings.SignIn, or
// its generic form).
func signInCommand(cmd string) string { return orDefault(cmd, "sitecfg signin --config PATH") }
