// Package testkit is the shared kit of sitecfg's tests: a test PKI (a CA,
// server certificates for the loopback interface, client certificates and
// keys, PEM files in t.TempDir()), the "no secret in this output"
// assertion, and golden files regenerated with -update.
//
// It is for tests. Production code does not import it, except
// internal/smtptest, the SMTP server that `sitecfg demo` also runs, for
// its certificates. It owns no sitecfg behaviour and imports no sitecfg
// package, so every package's tests can use it.
package testkit
