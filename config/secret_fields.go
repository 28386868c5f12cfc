package config

import (
	"slices"
	"strings"
)

// Environment variables that Export writes, as ${NAME} references, in
// place of the secrets in secretFields.
const (
	EnvSMTPPassword    = "SMTP_PASSWORD"
	EnvOAuthSecret     = "SMTP_OAUTH_CLIENT_SECRET"
	EnvAdminPassword   = "ADMIN_PASSWORD"
	EnvSupportPassword = "SUPPORT_PASSWORD"
	EnvOAuthTokenURL   = "SMTP_OAUTH_TOKEN_URL"
	EnvRefreshToken    = "SMTP_OAUTH_REFRESH_TOKEN"
)

// secretField is one field of the model whose value is never shown.
type secretField struct {
	// path is the field's path in the site-config file (and the answers
	// file, for the SMTP secrets): the review masks its value.
	path string
	// env is the environment variable Export names in its place ("" when
	// the field is not exported).
	env string
	// in is where an SMTP section holds the secret, nil when the section
	// has no room for it (no oauth). A field without it (a hash, a code)
	// is never sent anywhere: the review masks it and that is all.
	in func(*SMTP) *Secret
	// keep reports whether, on a re-run, an empty answer keeps the saved
	// value (s is the answers' SMTP section, prev the saved one). Nil
	// means never.
	keep func(s, prev *SMTP) bool
}

// secretFields is every secret of the model, and the one place that says
// how each is treated: a field with in is resolved from its reference on
// load (ResolveSecrets), kept on a re-run when left empty (KeepStored,
// KeptSecret), exported as ${env} (Export), dropped from the backup when
// the new file no longer stores it in plain text (SaveDropping) and
// scrubbed from the live check's report (SMTP.SecretValues); every field
// is masked in the review (IsSecretField). A new secret is one more line.
var secretFields = []secretField{
	{path: "smtp.password", env: EnvSMTPPassword, in: func(s *SMTP) *Secret { return &s.Password }, keep: keepPassword},
	{path: "smtp.oauth.client_secret", env: EnvOAuthSecret, in: oauthSecret(func(o *OAuth) *Secret { return &o.ClientSecret }), keep: keepClientSecret},
	{path: "smtp.oauth.refresh_token", env: EnvRefreshToken, in: oauthSecret(func(o *OAuth) *Secret { return &o.RefreshToken }), keep: keepRefreshToken},
	// A token URL is not a secret but may carry one (URLHasCredentials):
	// Export writes a reference for it only then.
	{path: "smtp.oauth.token_url", env: EnvOAuthTokenURL},
	// UI passwords are stored only as hashes: Export asks for the
	// passwords themselves.
	{path: "users.admin.password_hash", env: EnvAdminPassword},
	{path: "users.support.password_hash", env: EnvSupportPassword},
	{path: "users.admin.recovery_codes"},
	{path: "users.support.recovery_codes"},
	// The pre-notifier layout (legacy.go), shown in the review of its
	// migration.
	{path: "smtp_password"},
	{path: "admin_password_hash"},
	{path: "support_password_hash"},
}

// oauthSecret reaches a secret of the oauth section, nil when there is
// none.
func oauthSecret(f func(*OAuth) *Secret) func(*SMTP) *Secret {
	return func(s *SMTP) *Secret {
		if s.OAuth == nil {
			return nil
		}
		return f(s.OAuth)
	}
}

// keepPassword: the stored password belongs to the stored username; a
// different username needs its own password. An OAuth method logs in with
// a token, never a password (and auth none refuses a username, so it has
// nothing to keep).
func keepPassword(s, prev *SMTP) bool {
	return slices.Contains(AuthMethods(), s.Auth) && !s.Auth.IsOAuth() &&
		s.Username != "" && strings.EqualFold(s.Username, prev.Username)
}

// keepClientSecret: the stored client secret is kept unless a
// certificate, which replaces it, was chosen.
func keepClientSecret(s, _ *SMTP) bool {
	return s.Auth.IsOAuth() && !isPublicClient(s.Auth) && s.OAuth.ClientCertificate == ""
}

// secretFieldAt returns the field at path.
func secretFieldAt(path string) (secretField, bool) {
	for _, f := range secretFields {
		if f.path == path {
			return f, true
		}
	}
	return secretField{}, false
}

// envFor is the environment variable Export names in place of the field
// at path.
func envFor(path string) string {
	f, _ := secretFieldAt(path)
	return f.env
}

// keepStored puts the saved value back into s when the operator left it
// empty and the field's rule keeps it.
func (f secretField) keepStored(s, prev *SMTP) {
	if f.in == nil || f.keep == nil {
		return
	}
	cur, old := f.in(s), f.in(prev)
	// A stored reference that did not resolve here (ResolveSecrets left
	// no value) is not kept: nothing could use it, and offering "leave
	// empty to keep" would promise what the next check cannot do.
	unresolved := old != nil && old.Ref != "" && old.Value == ""
	if cur != nil && old != nil && cur.IsZero() && !unresolved && f.keep(s, prev) {
		*cur = *old
	}
}

// IsSecretField reports whether the review masks the value at path, a
// field path of the site-config file in this layout or the pre-notifier
// one: a field of secretFields, or — for a key the model does not know,
// in a file too new or too damaged to read — one whose name says it may
// hold a secret (a password, secret, hash, recovery codes or token).
func IsSecretField(path string) bool {
	if _, ok := secretFieldAt(path); ok {
		return true
	}
	return looksSecret(path)
}

// looksSecret judges a field by the last part of its path.
func looksSecret(path string) bool {
	last := path[strings.LastIndexByte(path, '.')+1:]
	if strings.HasSuffix(last, "_expires") || strings.HasSuffix(last, "_created") {
		return false
	}
	for _, w := range []string{"password", "secret", "hash", "recovery_codes", "token"} {
		if strings.Contains(last, w) {
			return true
		}
	}
	return false
}

// SecretValues are the values of the secrets s holds, for the live check
// to scrub from everything it reports.
func (s *SMTP) SecretValues() []string {
	var out []string
	for _, f := range secretFields {
		if f.in == nil {
			continue
		}
		if p := f.in(s); p != nil && p.Value != "" {
			out = append(out, p.Value)
		}
	}
	return out
}
