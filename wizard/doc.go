// Package wizard is the interactive way to a site config: the list of
// questions, and the two front ends that ask them — the full-screen TUI
// (RunTUI, bubbletea and huh) and plain line prompts (RunLines, for serial
// consoles, screen readers and TERM=dumb).
//
// # One list of questions
//
// Questions returns the flow once: each Question names its answers-file
// field (its ID), its page, when it applies (Show), how an answer is
// parsed and judged (Set, with the rules of package config) and what only
// the file system can tell about it (Check). Both front ends fill the same
// State from that list; a new field is one Question, asked by both. Each
// auth method adds its questions from a file of its own
// (questions_<method>.go, registered in methodUIs).
//
// # One pipeline
//
// Once the questions are answered, both front ends take the path apply
// takes with an answers file, through package pipeline: State.Finish
// (stored secrets kept, defaults, every rule), the review (ReviewRows and
// the changes to the saved config), the live check, then the commit.
// They differ only in how they ask and how they show the outcome.
//
// # Where to start reading
//
//   - questions.go: Question, State and the order of the pages; then
//     questions_*.go for each page and method, state.go for Visible, Find
//     and Finish.
//   - tui.go: RunTUI and the model's Update, which routes to one screen
//     per file (tui_welcome.go, tui_form.go, tui_codes.go, tui_review.go,
//     tui_check.go). Update does no I/O: file checks, the live check and
//     the write run as commands and come back as messages (tui_edit.go,
//     tui_review.go, tui_check.go). typeahead.go holds keys typed while
//     the focus moves on.
//   - lineprompt.go: RunLines, the same flow one line at a time, with its
//     review, check and codes in lineprompt_*.go.
//   - review.go: what both reviews show. trust.go and codesfiles.go: the
//     files a run writes besides the config — a server certificate the
//     operator chose to trust, and the recovery codes, which are undone
//     when no config is written.
//   - demo.go, demo_state.go: the local SMTP server and answers behind
//     `sitecfg demo`.
//
// The package does not read answers files or define the rules (package
// config), talk SMTP (package smtpauth) or write the config (package
// pipeline); the commands that start it live in the root package
// (cmd_wizard.go, cmd_demo.go).
package wizard
