// Package checkview is how a live-check report is presented, once, for
// every front end: the text of apply and check, the line prompts and the
// full-screen wizard. It turns an smtpauth.Report into step rows,
// recipient results and diagnoses whose lines (what to do, the field to
// fix, the commands, what the server said, the set-up guide step) read the
// same everywhere; a front end only lays them out and styles them.
//
// It does no I/O and holds no state.
package checkview
