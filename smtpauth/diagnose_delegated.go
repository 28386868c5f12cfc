package smtpauth

import (
	"fmt"
	"strings"
)

// aadstsNumber is the AADSTS number of a diagnosis code ("aadsts700082").
func aadstsNumber(c Code) (int, bool) {
	s, ok := strings.CutPrefix(string(c), "aadsts")
	if !ok {
		return 0, false
	}
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		return 0, false
	}
	return n, true
}

// notSignedIn is the token step of a delegated check with no refresh
// token stored.
func notSignedIn(s Settings) *Diagnosis {
	return &Diagnosis{
		Step: StepToken, Code: CodeNotSignedIn, Field: "smtp.oauth.refresh_token",
		Summary: "not signed in: run `sitecfg signin`",
		Remedy:  "sign in as the mailbox (or a user with Send As on it): " + signInCommand(s.SignIn),
	}
}

// signInRefusal words a refusal of the delegated sign-in or of its
// refresh token by its AADSTS number (Microsoft's words change; the
// numbers do not): the cause and the way out. cmd is the command that
// signs in again ("" for the generic form). false for a number it does
// not know.
func signInRefusal(n int, cmd string) (*Diagnosis, bool) {
	again := "sign in again: " + signInCommand(cmd)
	d := &Diagnosis{Field: "smtp.oauth.refresh_token"}
	switch n {
	case 700082:
		d.Summary = "the refresh token has expired (AADSTS700082): it was not used for 90 days"
		d.Remedy = again + "; the daily check keeps it fresh from then on"
	case 50173:
		d.Summary = "the sign-in is no longer valid: the user's password was changed or reset (AADSTS50173)"
		d.Remedy = again
	case 70043, 70044:
		d.Summary = fmt.Sprintf("the sign-in session has expired (AADSTS%d): a Conditional Access sign-in frequency policy, or the session was revoked", n)
		d.Remedy = again + "; where the policy's sign-in frequency is shorter than the check's interval, ask the admin to exclude this app or the mailbox's user from it"
	case 65001:
		d.Field = "smtp.oauth.client_id"
		d.Summary = "the user has not consented to the app sending mail on their behalf (AADSTS65001)"
		d.Remedy = again + " and accept the consent prompt, or have an admin grant consent for SMTP.Send (App registrations → the app → API permissions → Grant admin consent)"
	case 90094, 90008:
		d.Field = "smtp.oauth.client_id"
		d.Summary = fmt.Sprintf("the tenant requires an admin to consent to the app (AADSTS%d): users may not consent themselves", n)
		d.Remedy = "an admin grants consent: App registrations → the app → API permissions → Grant admin consent for SMTP.Send; then " + again
	case 50076, 50079:
		d.Summary = fmt.Sprintf("multi-factor authentication is required (AADSTS%d)", n)
		d.Remedy = "sign in again in the browser, completing the second factor: " + signInCommand(cmd)
	case 53003:
		d.Field = ""
		d.Summary = "a Conditional Access policy blocked the sign-in (AADSTS53003)"
		d.Remedy = "read the user's sign-in in the Entra sign-in logs to see which policy, then have the admin exclude this app or allow this machine's address (or device); then " + again
	case 7000218:
		d.Field = "smtp.oauth.client_id"
		d.Summary = "the device code sign-in needs the app to allow public client flows (AADSTS7000218)"
		d.Remedy = "App registrations → the app → Authentication → Advanced settings → Allow public client flows → Yes; or sign in with the browser address instead (without --device-code)"
	case 700025:
		d.Field = "smtp.oauth.client_secret"
		d.Summary = "the app is a public client, so no client secret may be sent (AADSTS700025)"
		d.Remedy = "remove smtp.oauth.client_secret (and client_certificate): microsoft-delegated sends none"
	case 50011, 500113:
		d.Field = "smtp.oauth.client_id"
		d.Summary = fmt.Sprintf("the redirect URI http://localhost is not registered on the app (AADSTS%d)", n)
		d.Remedy = "App registrations → the app → Authentication → Add a platform → Mobile and desktop applications → custom redirect URI http://localhost; then " + again
	case 70000, 54005:
		d.Summary = fmt.Sprintf("the sign-in code has expired or was already used (AADSTS%d)", n)
		d.Remedy = "paste the address within a few minutes of signing in, once: " + again
	case 65004:
		d.Summary = "the consent was declined (AADSTS65004)"
		d.Remedy = again + " and accept the consent prompt (the app asks to send mail as you)"
	default:
		return nil, false
	}
	return d, true
}

// DiagnoseSignIn explains a sign-in that Entra refused (a pasted address
// with error=, or a refused token request of the sign-in): oauthErr is
// the OAuth error, desc its description (which carries the AADSTS
// number), again the command that signs in again.
func DiagnoseSignIn(oauthErr, desc, again string) *Diagnosis {
	said := strings.TrimSpace(oauthErr + ": " + desc)
	var n int
	if m := aadstsRE().FindStringSubmatch(desc); m != nil {
		fmt.Sscan(m[1], &n)
	}
	if d, ok := signInRefusal(n, again); ok {
		d.Step, d.Code, d.ServerSaid = StepToken, AADSTSCode(n), said
		return d
	}
	d := &Diagnosis{Step: StepToken, Code: TokenErrorCode(oauthErr), ServerSaid: said}
	switch oauthErr {
	case "access_denied", "authorization_declined":
		d.Summary = "the sign-in was declined (" + oauthErr + ")"
		d.Remedy = "sign in again and accept the consent prompt: " + signInCommand(again)
	case "expired_token":
		d.Summary = "the device code expired before the sign-in was completed"
		d.Remedy = "run it again and complete the sign-in within the time shown: " + signInCommand(again)
	default:
		d.Summary = "Entra refused the sign-in (" + orDefault(oauthErr, "no error code") + ")"
		d.Remedy = "read what Entra said below, then sign in again: " + signInCommand(again)
	}
	return d
}
