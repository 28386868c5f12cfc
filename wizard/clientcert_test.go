package wizard

import (
	"testing"
	"time"

	"sitecfg/internal/testkit"
)

// writeClientCert writes a PEM file with a certificate valid until
// notAfter and its key, as an operator would give it.
func writeClientCert(t *testing.T, notAfter time.Time) string {
	t.Helper()
	key := testkit.RSAKey(t)
	c := testkit.ClientCert(t, key, notAfter.AddDate(-2, 0, 0), notAfter)
	return testkit.WriteFile(t, "", "client.pem", testkit.CertPEM(c), testkit.KeyPEM(t, key, "RSA PRIVATE KEY"))
}
