package wizard

import (
	"context"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"sitecfg/checkview"
	"sitecfg/pipeline"
	"sitecfg/smtpauth"
)

// checkModel is the live check screen: steps appear as they run; a
// failure shows the diagnosis and what the operator can do next.
type checkModel struct {
	spin    spinner.Model
	run     int // which check the messages belong to (a retry starts a new one)
	running bool
	steps   []smtpauth.Step
	report  *smtpauth.Report
	err     error // the check could not run (invalid settings)
	cancel  context.CancelFunc
	// confirmSave asks "save anyway?" after a failure.
	confirmSave bool
	savedAnyway bool
	// trust is the offer to trust an untrusted certificate (nil: none);
	// confirmTrust shows it with its fingerprint and asks.
	trust        *checkview.Trust
	confirmTrust bool
	trustErr     string
	// scroll is where the screen is scrolled to once the check ended.
	scroll scroller
	// stepStart is when the running step started (its row shows the time
	// since, beside the limit the step reports).
	stepStart time.Time
	now       func() time.Time
}

func newCheckModel(ascii bool) checkModel {
	kind := spinner.MiniDot
	if ascii {
		kind = spinner.Line // | / - \ : every console font has them
	}
	return checkModel{spin: spinner.New(spinner.WithSpinner(kind), spinner.WithStyle(style().brand))}
}

// clock is the model's clock (tests fix it).
func (c *checkModel) clock() time.Time {
	if c.now == nil {
		return time.Now()
	}
	return c.now()
}

// stop cancels a running check.
func (c *checkModel) stop() {
	if c.cancel != nil {
		c.cancel()
		c.cancel = nil
	}
}

// Messages from the check and the write, which run as commands.
type (
	stepMsg struct {
		run  int
		step smtpauth.Step
		next tea.Cmd
	}
	checkDoneMsg struct {
		run    int
		report *smtpauth.Report
		err    error
	}
	commitDoneMsg struct {
		w   *Written
		err error
	}
	trustSavedMsg struct {
		path string
		err  error
	}
)

// startCheck runs the live check as a command. OnStep hands each step to
// a channel that a second command waits on, so progress arrives as
// messages and Update does no I/O.
func (m *tuiModel) startCheck() tea.Cmd {
	if needsSignIn(m.st) {
		return m.startSignIn()
	}
	c := &m.chk
	c.stop()
	c.run++
	c.running, c.steps, c.report, c.err, c.confirmSave = true, nil, nil, nil, false
	c.trust, c.confirmTrust, c.trustErr = nil, false, ""
	parent := m.ctx
	if parent == nil {
		parent = context.Background()
	}
	ctx, cancel := context.WithCancel(parent)
	c.cancel = cancel
	steps, done := make(chan smtpauth.Step, 32), make(chan struct{})
	a := m.st.Answers
	if a.SMTP.OAuth != nil {
		// The check may put a rotated refresh token into its answers:
		// the wizard's own take it in Update (checkDoneMsg).
		o := *a.SMTP.OAuth
		a.SMTP.OAuth = &o
	}
	opts := pipeline.CheckOptions{SendTest: m.rev.sendTest, Timeout: m.o.CheckTimeout, Check: m.deps.Check, Run: m.run,
		OnStep: func(s smtpauth.Step) {
			select {
			case steps <- s:
			case <-ctx.Done():
			}
		}}
	run := c.run
	m.scr = scrCheck
	var wait tea.Cmd
	wait = func() tea.Msg {
		select {
		case s := <-steps:
			return stepMsg{run: run, step: s, next: wait}
		case <-done:
			return nil
		}
	}
	do := func() tea.Msg {
		r, err := pipeline.Check(ctx, &a, opts)
		close(done)
		if r != nil {
			// Settings the check cannot use show as a failed check.
			err = nil
		}
		return checkDoneMsg{run: run, report: r, err: err}
	}
	return tea.Batch(do, wait, c.spin.Tick)
}

// commit writes the config as a command. Its outcome also goes to
// m.committed, so that RunTUI learns it even when the program ends (Ctrl+C,
// a signal) while the write is under way: a written config is never
// reported as cancelled, and its codes are never removed.
func (m *tuiModel) commit() tea.Cmd {
	a := m.st.Answers
	o := CommitOptions{By: m.o.By}
	codesFile := ""
	switch {
	case !a.SMTP.Enabled && !a.KeepCodes:
		o.Codes, codesFile = m.codes.codes, m.codes.path
		o.CodesFile = m.codes.files.at(codesFile)
	case !a.SMTP.Enabled:
		o.KeptCodesFile = m.st.CodesFile()
	}
	failed := ""
	if m.chk.savedAnyway {
		failed = "The check failed"
		if r := m.chk.report; r != nil && r.Diagnosis != nil {
			d := checkview.NewDiagnosis(r.Diagnosis, r.Method)
			failed = fmt.Sprintf("The check failed at %s: %s.", d.Where(), d.Summary)
		} else if m.chk.err != nil {
			failed = "The check could not run: " + m.chk.err.Error() + "."
		}
	}
	commit, done := m.deps.Commit, make(chan commitDoneMsg, 1)
	m.committed = done
	m.scr, m.written, m.err = scrDone, nil, nil
	m.chk.running = true // "saving…" until the write reports
	return func() tea.Msg {
		w, err := commit(&a, o)
		if err == nil && codesFile != "" {
			w.CodesFile = codesFile
		}
		if err == nil {
			w.CheckFailed = failed
		}
		msg := commitDoneMsg{w: w, err: err}
		done <- msg
		return msg
	}
}

// WriteError is a failure to write the site config; the previous file is
// intact.
type WriteError struct {
	Path string
	Err  error
}

// Error says what could not be written, and that the old file is intact.
func (e *WriteError) Error() string {
	return fmt.Sprintf("write %s: %v (the previous file is intact)", e.Path, e.Err)
}

// Unwrap returns the cause.
func (e *WriteError) Unwrap() error { return e.Err }

func (m *tuiModel) updateCheck(msg tea.Msg) tea.Cmd {
	c := &m.chk
	switch msg := msg.(type) {
	case spinner.TickMsg:
		if c.running {
			var cmd tea.Cmd
			c.spin, cmd = c.spin.Update(msg)
			return cmd
		}
	case stepMsg:
		if msg.run != c.run || !c.running {
			return nil
		}
		if msg.step.Status == smtpauth.StatusRunning {
			c.stepStart = c.clock()
		}
		c.addStep(msg.step)
		return msg.next
	case checkDoneMsg:
		if msg.run != c.run {
			return nil
		}
		c.running, c.cancel, c.scroll = false, nil, scroller{}
		c.report, c.err = msg.report, msg.err
		if msg.report != nil {
			keepSignIn(m.st, msg.report, m.deps.Now())
			c.steps = msg.report.Steps
			c.trust = checkview.NewTrust(msg.report.Diagnosis)
		}
		if msg.err == nil && msg.report != nil && msg.report.OK {
			return m.commit()
		}
	case trustSavedMsg:
		if msg.err != nil {
			c.trustErr = msg.err.Error()
			return nil
		}
		// The saved certificate becomes the extra trust anchor, and the
		// check runs again with it: verification is never skipped.
		m.st.Answers.SMTP.CAFile = msg.path
		return m.startCheck()
	case tea.KeyPressMsg:
		if c.running || c.scroll.key(msg.String(), m.bodyHeight()) {
			return nil
		}
		return m.checkKey(msg.String())
	}
	return nil
}

// checkKey handles the choices after a failed check.
func (m *tuiModel) checkKey(k string) tea.Cmd {
	c := &m.chk
	if c.confirmTrust {
		switch k {
		case "y":
			t, path := c.trust, m.trustFile()
			return func() tea.Msg {
				p, err := saveTrustAt(path, t)
				return trustSavedMsg{path: p, err: err}
			}
		case "n", "esc", "b":
			c.confirmTrust, c.trustErr, c.scroll = false, "", scroller{}
		}
		return nil
	}
	if c.confirmSave {
		c.confirmSave = false
		if k == "y" {
			c.savedAnyway = true
			return m.commit()
		}
		return nil
	}
	switch k {
	case "e":
		field := ""
		if c.report != nil && c.report.Diagnosis != nil {
			field = c.report.Diagnosis.Field
		}
		return m.editField(field, true)
	case "r":
		return m.startCheck()
	case "i":
		if m.offersSignIn() {
			return m.startSignIn()
		}
	case "t":
		if c.trust != nil {
			// From the top: the fingerprint first.
			c.confirmTrust, c.scroll = true, scroller{}
		}
	case "s":
		c.confirmSave = true
	case "b", "shift+tab":
		return m.openReview()
	case "q":
		return m.quit(ErrNotSaved)
	}
	return nil
}

// addStep records a step as it starts or ends.
func (c *checkModel) addStep(s smtpauth.Step) {
	for i := range c.steps {
		if c.steps[i].Name == s.Name {
			c.steps[i] = s
			return
		}
	}
	c.steps = append(c.steps, s)
}

// stepLineWrapped is stepLine with the detail in full, wrapped under its
// column.
func (c *checkModel) stepLineWrapped(s smtpauth.Step, w int) []string {
	row := checkview.NewRow(s)
	bare := s
	bare.Detail = ""
	head := c.stepLine(bare)
	col := lipgloss.Width(head) + 2
	if row.Detail == "" || w-col < 20 {
		return []string{c.stepLine(s)}
	}
	lines := strings.Split(wrapText(row.Detail, w-col, 0), "\n")
	out := []string{head + "  " + lines[0]}
	for _, l := range lines[1:] {
		out = append(out, strings.Repeat(" ", col)+l)
	}
	return out
}

// stepLine renders one step: a mark, its name, its time and detail.
func (c *checkModel) stepLine(s smtpauth.Step) string {
	row := checkview.NewRow(s)
	mark := map[smtpauth.Status]func(...string) string{
		smtpauth.StatusOK: style().ok.Render, smtpauth.StatusFailed: style().err.Render,
		smtpauth.StatusSkipped: style().dim.Render, smtpauth.StatusWarning: style().warn.Render,
	}[s.Status]
	glyph := ""
	if mark != nil {
		glyph = mark(row.Glyph())
	}
	took := fmt.Sprintf("%7s", s.Duration.Round(time.Millisecond))
	if s.Status == smtpauth.StatusRunning {
		// The time so far, and (in the detail) when the step gives up: a
		// dropped connection is not a frozen screen.
		glyph, took = c.spin.View(), fmt.Sprintf("%7s", c.clock().Sub(c.stepStart).Truncate(time.Second))
	}
	line := fmt.Sprintf("  %s %-17s %s", glyph, row.Label(), style().dim.Render(took))
	if row.Detail != "" {
		line += "  " + row.Detail
	}
	return line
}
