// Package smtptest runs SMTP submission servers in process, on
// 127.0.0.1 at a free port, in the manner of net/http/httptest: a real
// go-smtp server for behaviour (STARTTLS or implicit TLS with a
// certificate signed by a CA made for the run, AUTH only after TLS,
// accepted messages kept in memory, refusals on demand), and a scripted
// server for exact bytes. Both record what clients send on the wire.
//
// `sitecfg demo` runs the same server as the tests, so what the demo
// shows is what the tests prove. The package knows nothing of sitecfg's
// configuration or checks.
package smtptest

// TB is the part of testing.TB that Start and StartScript use; declared
// here so that the demo, which links this package, does not link package
// testing.
type TB interface {
	Helper()
	Fatal(args ...any)
	Cleanup(func())
}
