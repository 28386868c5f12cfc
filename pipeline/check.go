package pipeline

import (
	"context"
	"fmt"
	"time"

	"sitecfg/config"
	"sitecfg/smtpauth"
)

// CheckFunc runs the live check; smtpauth.Check is the real one, tests
// bring their own.
type CheckFunc func(ctx context.Context, s smtpauth.Settings, o smtpauth.Options) (*smtpauth.Report, error)

// CheckOptions tune Check.
type CheckOptions struct {
	// SendTest also sends a test message (see TestRecipients).
	SendTest bool
	// Timeout bounds the whole check; zero means smtpauth's default.
	Timeout time.Duration
	// OnStep is called as each step starts and ends (from the checking
	// goroutine).
	OnStep func(smtpauth.Step)
	// Check replaces smtpauth.Check (tests).
	Check CheckFunc
	// Run is the run the answers belong to. When set, a delegated
	// refresh token that is the one the saved config holds is redeemed
	// and rotated there, under its lock (see Rotation); and diagnoses
	// name its path in "sitecfg signin --config PATH".
	Run *Run
	// NoWrite keeps the check from writing the config (apply --dry-run):
	// a redeemed refresh token is not stored (the stored one still works).
	NoWrite bool
}

// SettingsError is settings the live check cannot use at all (a client
// certificate that went missing after validation, a method it does not
// know): the answers are at fault, not the server.
type SettingsError struct{ Err error }

func (e *SettingsError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *SettingsError) Unwrap() error { return e.Err }

// Check runs the live check of prepared answers. It returns ctx's error
// when ctx was cancelled. Settings the check cannot use come back as a
// *SettingsError together with a failed report whose diagnosis says so,
// so an interactive front end can show it like any other failure.
func Check(ctx context.Context, a *config.Answers, o CheckOptions) (*smtpauth.Report, error) {
	settings, err := CheckSettings(a, o.SendTest)
	if err != nil {
		return &smtpauth.Report{Server: fmt.Sprintf("%s:%d", settings.Host, settings.Port), Method: settings.Method,
			Diagnosis: &smtpauth.Diagnosis{Field: "smtp.oauth.client_certificate", Summary: err.Error(),
				Remedy: "fix the certificate file or choose another one"}}, &SettingsError{err}
	}
	if o.Run != nil {
		settings.SignIn = SignInCommand(o.Run.Path)
		if o.Run.holdsToken(a) && !o.NoWrite {
			settings.TokenStore = o.Run.rotation()
		}
	}
	check := o.Check
	if check == nil {
		check = smtpauth.Check
	}
	rep, err := check(ctx, settings, smtpauth.Options{Timeout: o.Timeout, OnStep: o.OnStep})
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return &smtpauth.Report{Server: fmt.Sprintf("%s:%d", settings.Host, settings.Port), Method: settings.Method,
			Diagnosis: &smtpauth.Diagnosis{Summary: err.Error()}}, &SettingsError{err}
	}
	keepRotated(a, rep, o.Run)
	return rep, nil
}
