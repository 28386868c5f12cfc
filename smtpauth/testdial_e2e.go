//go:build sitecfg_e2e

package smtpauth

import (
	"context"
	"net"
	"os"

	"sitecfg/microsoft"
)

// testDial exists only in the end-to-end tests' build of the binary (go
// build -tags sitecfg_e2e; a release is built without tags, with GOFLAGS
// cleared): with SITECFG_E2E_EXCHANGE=HOST:PORT set, a live check of
// Exchange Online's submission hosts (whose address the method fixes)
// connects there instead, as `sitecfg demo` does in-process. The server
// still has to present a certificate the check trusts for the Microsoft
// host. A shipped binary has no such switch (testdial.go).
func testDial(host string) func(ctx context.Context, network, addr string) (net.Conn, error) {
	to := os.Getenv("SITECFG_E2E_EXCHANGE")
	if to == "" || !microsoft.IsSubmissionHost(host) {
		return nil
	}
	return func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, to)
	}
}
