// Package health turns what sitecfg knows about a saved configuration
// into signals that reach people before email breaks: the Prometheus
// textfile `check --metrics` writes (the check's outcome, when each
// credential expires, whether the file was edited outside sitecfg), and
// the expiry notices `check --notify` sends.
//
// It sends nothing and runs no check itself; it holds no secret,
// address or host name in what it writes.
package health
