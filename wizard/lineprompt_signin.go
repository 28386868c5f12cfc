package wizard

import (
	"errors"
	"time"

	"sitecfg/config"
	"sitecfg/pipeline"
	"sitecfg/smtpauth"
)

// PageSignIn is the delegated sign-in, after the Microsoft 365 questions.
const PageSignIn Page = "Microsoft 365 sign-in"

// errSignInDeclined ends a run whose operator gave up signing in.
var errSignInDeclined = errors.New("not signed in; nothing was written: run sitecfg again, or sitecfg signin once the config is saved")

// needsSignIn reports whether the answers sign in as a user and hold no
// refresh token yet (a re-run keeps the stored one: 'sitecfg signin'
// signs in again).
func needsSignIn(s *State) bool {
	a := &s.Answers.SMTP
	return a.SignsIn() && (a.OAuth == nil || a.OAuth.RefreshToken.IsZero())
}

// holdsSignIn reports whether the answers sign in as a user and hold a
// refresh token of their own (a re-run of a signed-in config; a token
// held by reference is the operator's to replace).
func holdsSignIn(s *State) bool {
	a := &s.Answers.SMTP
	return a.SignsIn() && a.OAuth != nil && a.OAuth.RefreshToken.Value != "" && a.OAuth.RefreshToken.Ref == ""
}

// offerSignIn asks, once, whether to keep the sign-in the config holds
// or to sign in again (another user, or a sign-in Entra has revoked): the
// new token, like the first, is written only after the live check passes.
func (l *lines) offerSignIn() error {
	if l.signInOffered || !holdsSignIn(l.st) {
		return nil
	}
	l.signInOffered = true
	o := l.st.Answers.SMTP.OAuth
	l.heading(PageSignIn)
	until := ""
	if o.RefreshTokenExpires != "" {
		until = " (its refresh token expires " + o.RefreshTokenExpires + " unless a check renews it)"
	}
	l.printf("\nThis config is signed in to Microsoft 365%s.\n", until)
	l.printf("Keep that sign-in, or sign in again (as another user, or after a password change or a revoked sign-in).\n")
	again, err := l.yesNo("Sign in again?", false, "the sign-in question was answered")
	if err != nil || !again {
		return err
	}
	return l.signIn()
}

// signIn is the delegated sign-in step of the line prompts, as 'sitecfg
// signin' does it (smtpauth.SignIn): the address on a line of its own,
// the http://localhost… address pasted back, redeemed. The refresh token
// goes into the answers (written only after the live check passes); the
// signed-in user fills an empty mailbox. A refusal is said with its cause
// and the operator may sign in again.
func (l *lines) signIn() error {
	a := &l.st.Answers
	settings, err := pipeline.CheckSettings(a, false)
	if err != nil {
		return err
	}
	settings.SignIn = pipeline.SignInCommand(l.o.ConfigPath)
	l.heading(PageSignIn)
	for {
		si := smtpauth.NewSignIn(settings, l.o.SignInClient)
		l.printf("\nOpen this address in a browser on any device (a laptop, a phone), sign in as the mailbox and accept:\n\n")
		l.printf("%s\n\n", si.URL())
		if l.o.SignInAuto != nil {
			if landed, err := l.o.SignInAuto(si.URL()); err == nil {
				l.printf("Demo: the imitation of Entra approved this sign-in by itself (no browser needed).\n")
				l.printf("A browser would now land on this address; copy it and paste it below:\n\n%s\n\n", landed)
			}
		}
		l.printf("The browser then lands on an address starting with http://localhost that does not load.\n")
		l.printf("Copy that whole address from the address bar and paste it here: ")
		line, err := l.in.read(l.ctx, false)
		if err != nil {
			return l.inputError(err, "the address was pasted")
		}
		got, d := si.Redeem(l.ctx, line)
		if l.ctx.Err() != nil {
			return cancelled(l.ctx)
		}
		if d == nil {
			a.SMTP.OAuth.RefreshToken = config.Secret{Value: got.RefreshToken}
			a.SMTP.OAuth.RefreshTokenExpires = config.RefreshExpiry(l.o.Now())
			l.printf("Signed in as %s.\n", got.User)
			if a.SMTP.Username == "" && got.User != "" {
				a.SMTP.Username = got.User
				l.printf("The mailbox (smtp.username) is %s, the signed-in user.\n", got.User)
			}
			return nil
		}
		l.printDiagnosis("Sign-in refused", d)
		again, err := l.yesNo("Sign in again?", true, "the sign-in question was answered")
		if err != nil {
			return err
		}
		if !again {
			l.printf("Nothing was written.\n")
			return errSignInDeclined
		}
	}
}

// keepSignIn takes into the answers what a delegated check's redemption
// brought: the new refresh token (stored already when it rotated the
// saved one) and the signed-in user as an empty mailbox.
func keepSignIn(st *State, rep *smtpauth.Report, now time.Time) {
	a := &st.Answers.SMTP
	if a.OAuth == nil || !a.SignsIn() {
		return
	}
	if rep.RefreshToken != "" && a.OAuth.RefreshToken.Ref == "" {
		a.OAuth.RefreshToken = config.Secret{Value: rep.RefreshToken}
		a.OAuth.RefreshTokenExpires = config.RefreshExpiry(now)
	}
	if a.Username == "" && rep.SignedInAs != "" {
		a.Username = rep.SignedInAs
	}
}
