// Package audit owns a site config's audit log, PATH.audit.jsonl: one JSON
// line per run of a command that writes the config, the recovery codes or
// a password — who ran it, where, with what result, which field paths
// changed and the SHA-256 of the config before and after — and one line
// per expiry notice sent. It also says whether the config was changed
// outside sitecfg (drift): its SHA-256 differs from the last one a write
// recorded.
//
// A line never holds a secret's value, a recovery code or a hash: field
// paths only. The package takes no lock itself: callers append while they
// hold the config's lock (config.Acquire), so that lines follow the
// writes in order. Each line goes to the file in one write(2) with
// O_APPEND, so even writers that do not hold the lock interleave whole
// lines.
package audit
