// Package e2e holds sitecfg's end-to-end tests: they build the binary and
// drive it as an operator or a script would — commands with answers
// files and pipes, the wizard in a real terminal (tmux), signals, kills,
// full disks — and look at what it printed and wrote.
//
// The package has no code of its own. `go test -short ./...` skips the
// slow tests here (the terminal ones among them); `go test ./...` and CI
// run them all. The tests run in parallel, each in its own folder with
// its own tmux server.
package e2e
