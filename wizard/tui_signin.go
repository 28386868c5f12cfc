package wizard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"sitecfg/config"
	"sitecfg/smtpauth"
)

// The full-screen wizard's delegated sign-in is the line prompts' step
// (lines.signIn), run with the terminal handed back (tea.Exec): the
// sign-in address is printed on the plain terminal as one line, which the
// terminal wraps by itself at any width, so it is copied whole from any
// terminal — nothing is drawn over or beside it — and the browser's
// address is pasted back on a plain line. The wizard then resumes where
// it was and runs the live check.

// signInExec is the sign-in as a tea.ExecCommand.
type signInExec struct {
	ctx        context.Context
	configPath string
	client     *http.Client
	st         *State // a copy of the wizard's answers
	in         io.Reader
	out        io.Writer
	now        func() time.Time
	auto       func(string) (string, error)
}

func (x *signInExec) SetStdin(r io.Reader)  { x.in = r }
func (x *signInExec) SetStdout(w io.Writer) { x.out = w }
func (x *signInExec) SetStderr(io.Writer)   {}

// Run signs in on the plain terminal.
func (x *signInExec) Run() error {
	ctx, interrupt := context.WithCancel(x.ctx)
	defer interrupt()
	o := LineOptions{In: x.in, Out: x.out, InFD: -1, ConfigPath: x.configPath, SignInClient: x.client, SignInAuto: x.auto, Now: x.now}
	l := &lines{ctx: ctx, o: o, in: newLineReader(x.in, -1, x.out, interrupt), out: x.out, st: x.st}
	l.printf("\n\n")
	err := l.signIn()
	if err == nil {
		l.printf("\nBack to the wizard: the live check runs next.\n")
	}
	return err
}

// signInDoneMsg is the sign-in's outcome: the answers' OAuth settings
// with the token (and the mailbox), or why not.
type signInDoneMsg struct {
	oauth    *config.OAuth
	username string
	err      error
}

// startSignIn hands the terminal to the sign-in; the check follows it.
func (m *tuiModel) startSignIn() tea.Cmd {
	st := &State{Answers: m.st.Answers}
	if o := st.Answers.SMTP.OAuth; o != nil {
		c := *o
		st.Answers.SMTP.OAuth = &c
	}
	ctx := m.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	x := &signInExec{ctx: ctx, configPath: m.o.ConfigPath, client: m.deps.SignInClient, st: st, now: m.deps.Now, auto: m.deps.SignInAuto}
	return tea.Exec(x, func(err error) tea.Msg {
		return signInDoneMsg{oauth: st.Answers.SMTP.OAuth, username: st.Answers.SMTP.Username, err: err}
	})
}

// signedIn takes the sign-in's outcome: on success the token goes into
// the answers and the check runs; otherwise the check screen shows the
// token step failed (retry signs in again) and nothing is written.
func (m *tuiModel) signedIn(msg signInDoneMsg) tea.Cmd {
	switch {
	case errors.Is(msg.err, ErrCancelled) || (m.ctx != nil && m.ctx.Err() != nil):
		return m.quit(ErrCancelled)
	case msg.err != nil:
		c := &m.chk
		c.stop()
		a := &m.st.Answers.SMTP
		c.running, c.steps, c.err = false, nil, nil
		c.report = &smtpauth.Report{Server: fmt.Sprintf("%s:%d", a.Server, a.Port), Method: a.Auth, Diagnosis: &smtpauth.Diagnosis{
			Step: smtpauth.StepToken, Code: smtpauth.CodeNotSignedIn,
			Summary: "not signed in: " + strings.TrimSuffix(msg.err.Error(), "."),
			Remedy:  "retry to sign in again; or save, then run sitecfg signin --config " + m.o.ConfigPath}}
		m.scr = scrCheck
		return nil
	}
	m.st.Answers.SMTP.OAuth = msg.oauth
	if m.st.Answers.SMTP.Username == "" {
		m.st.Answers.SMTP.Username = msg.username
	}
	return m.startCheck()
}

// offersSignIn reports whether the failed check offers to sign in again:
// the answers sign in as a user and the token step failed (a stored
// sign-in Entra refuses — revoked, expired, a password change — or a
// sign-in that did not complete). The new sign-in is checked before it is
// written, as the first one is.
func (m *tuiModel) offersSignIn() bool {
	r := m.chk.report
	return m.st.Answers.SMTP.SignsIn() && !m.chk.running && r != nil && r.Diagnosis != nil && r.Diagnosis.Step == smtpauth.StepToken
}
