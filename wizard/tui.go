package wizard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"

	"sitecfg/config"
	"sitecfg/pipeline"
	"sitecfg/recovery"
	"sitecfg/smtpauth"
)

// TUIDeps is everything the full-screen wizard does outside itself: the
// live check, the write and the recovery codes. Tests replace them so the
// model runs without a network or a disk; zero fields use the real ones.
type TUIDeps struct {
	Check         pipeline.CheckFunc
	Commit        func(a *config.Answers, o CommitOptions) (*Written, error)
	GenerateCodes func(n int) ([]string, error)
	// WriteCodes saves the codes before the config is written
	// (pipeline.Run.WriteCodes).
	WriteCodes func(path, user string, codes []string, at time.Time, overwrite bool) (*recovery.CodesFile, error)
	Now        func() time.Time
	// SignInClient makes the delegated sign-in's requests (nil: the
	// default client).
	SignInClient *http.Client
	// SignInAuto is LineOptions.SignInAuto (the demo's sign-in page).
	SignInAuto func(url string) (string, error)
}

func (d TUIDeps) withDefaults(run *pipeline.Run) TUIDeps {
	if d.Check == nil {
		d.Check = smtpauth.Check
	}
	if d.Commit == nil {
		d.Commit = run.Commit
	}
	if d.GenerateCodes == nil {
		d.GenerateCodes = recovery.Generate
	}
	if d.WriteCodes == nil {
		d.WriteCodes = run.WriteCodes
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	return d
}

// TUIOptions configure RunTUI.
type TUIOptions struct {
	// ConfigPath is the site-config file to write.
	ConfigPath string
	// Prev is the saved config (nil on a first deploy), secrets resolved.
	Prev *config.Site
	// Migrations are config.Load's notes for a file in an older layout.
	Migrations []string
	// Notes are shown on the welcome screen (an unreadable file, secrets
	// that could not be resolved).
	Notes []string
	// SendTest starts with "send a test message" ticked on the review.
	SendTest bool
	// By names the writer in the file's stamp ("sitecfg v1.2.3").
	By string
	// WrittenBy is who last wrote the saved config, as the audit log
	// says ("root@node1"; "" when unknown): the welcome names them.
	WrittenBy string
	// CheckTimeout bounds the live check; zero means smtpauth's default.
	CheckTimeout time.Duration
	// In and Out are the terminal; the caller has checked they are one.
	In  io.Reader
	Out io.Writer
	// Defaults, when set, is the state to start from instead of
	// NewState(Prev) (the demo prefills its server this way).
	Defaults *State
	// Deps replace the check, the write and the codes in tests.
	Deps TUIDeps
	// Run is the pipeline run the wizard ends on (nil: one over
	// ConfigPath starting from Prev).
	Run *pipeline.Run
	// ASCII draws with plain ASCII only (TERM=linux, a serial console,
	// --ascii): no ✓ ✗ •, no braille spinner, no box drawing.
	ASCII bool
	// Unreadable says an existing file could not be read: the welcome
	// says it will be replaced, not that this is a first deploy.
	Unreadable bool
}

// screen is what the wizard shows.
type screen int

const (
	scrWelcome screen = iota
	scrForm
	scrCodes
	scrReview
	scrCheck
	scrDone
)

// tuiModel is the whole wizard: one screen at a time over one State.
type tuiModel struct {
	ctx  context.Context
	o    TUIOptions
	run  *pipeline.Run
	deps TUIDeps
	qs   []*Question
	st   *State
	scr  screen
	w, h int

	pg    *pageModel
	codes codesModel
	rev   reviewModel
	chk   checkModel

	// editing is the question being edited from the check or the review
	// (its ID; "" otherwise): once it is answered, the wizard goes back
	// there rather than through every later field. editFromCheck says
	// the edit started on the check screen, which is run again.
	editing       string
	editFromCheck bool
	// fieldErr holds what a question's Check found wrong with an answer
	// (by question ID), with the answer it was about: shown under the
	// field, which the wizard returns to until it is fixed.
	fieldErr map[string]fieldCheckMsg
	// toCheck are the questions answered since the last Update whose
	// Check is still to run.
	toCheck []*Question
	// hold keeps keys typed ahead while the focus moves on (see
	// typeahead.go).
	hold    *typeAhead
	holdSeq int

	// replacing says a file is at ConfigPath that the wizard does not
	// start from (the demo starts from its own answers): the welcome says
	// it will be replaced, not that this is a first deploy.
	replacing bool

	written *Written
	// doneScroll and welcomeScroll are where the last screen and the
	// welcome are scrolled to when they do not fit.
	doneScroll, welcomeScroll scroller
	// committed delivers the write's outcome once a commit has started.
	committed chan commitDoneMsg
	// err is the outcome once the program ends: nil when written,
	// ErrCancelled, ErrNotSaved or a write error.
	err      error
	quitting bool
}

func newTUIModel(ctx context.Context, o TUIOptions) *tuiModel {
	st := o.Defaults
	if st == nil {
		st = NewState(o.Prev)
	} else if st.Prev == nil {
		st.Prev = o.Prev
	}
	st.ConfigPath = o.ConfigPath
	if st.WorkDir == "" {
		st.WorkDir, _ = os.Getwd() // once, here: Update and View ask no system
	}
	run := o.Run
	if run == nil {
		run = pipeline.With(o.ConfigPath, o.Prev, o.Deps.Now)
	}
	m := &tuiModel{ctx: ctx, o: o, run: run, deps: o.Deps.withDefaults(run), qs: Questions(), st: st, w: 80, h: 24,
		fieldErr: map[string]fieldCheckMsg{}}
	m.rev.sendTest = o.SendTest
	m.chk = newCheckModel(o.ASCII)
	m.chk.now = m.deps.Now
	if o.Prev == nil && !o.Unreadable {
		_, err := os.Lstat(o.ConfigPath)
		m.replacing = err == nil
	}
	return m
}

// RunTUI runs the full-screen wizard on a terminal and returns what it
// wrote. It returns ErrCancelled when the operator pressed Ctrl+C (nothing
// written) and ErrNotSaved when the live check failed and they quit.
func RunTUI(ctx context.Context, o TUIOptions) (*Written, error) {
	m := newTUIModel(ctx, o)
	p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(o.In), tea.WithOutput(o.Out))
	final, err := p.Run()
	if fm, ok := final.(*tuiModel); ok {
		m = fm
	}
	m.chk.stop()
	switch {
	case errors.Is(err, tea.ErrInterrupted), errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil:
		err = ErrCancelled
	case err != nil:
		err = fmt.Errorf("terminal: %w", err)
	default:
		err = m.err
	}
	if m.committed != nil && m.written == nil {
		// The program ended while the config was being written: its
		// outcome, not the way the program ended, decides.
		done := <-m.committed
		m.committed <- done
		if done.err == nil {
			m.written = done.w
		}
	}
	if m.written != nil {
		// Once the config is written, the run succeeded whatever ended
		// the program (Ctrl+C on the last screen): the codes it holds
		// hashes of stay (Commit kept their file); any other codes file
		// this run wrote is taken back.
		m.codes.files.undo()
		return m.written, nil
	}
	if err != nil {
		// Codes that no config will hold must not be left lying around;
		// a file this run replaced gets its old content back.
		m.codes.files.undo()
	}
	if err != nil && len(m.codes.codes) > 0 && errors.Is(err, ErrCancelled) {
		err = fmt.Errorf("%w; %w", err, ErrCodesVoid)
	}
	if err != nil {
		return nil, err
	}
	return m.written, nil
}

// Init shows the welcome screen.
func (m *tuiModel) Init() tea.Cmd { return nil }

// Update routes a message to the current screen. Ctrl+C anywhere cancels:
// nothing is written (a running check is stopped). Keys that arrive while
// the focus is moving on are held until it has (typeahead.go).
func (m *tuiModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if m.holdKey(msg) {
		return m, nil
	}
	cmd := m.update(msg)
	return m, tea.Batch(cmd, m.releaseHeld())
}

func (m *tuiModel) update(msg tea.Msg) tea.Cmd {
	_, cmd := m.route(msg)
	return cmd
}

func (m *tuiModel) route(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
		m.resize()
		return m, nil
	case tea.KeyPressMsg:
		switch msg.String() {
		case "ctrl+c":
			return m, m.quit(ErrCancelled)
		case "ctrl+l":
			// A console message or line noise scribbled on the screen:
			// draw it all again.
			return m, tea.ClearScreen
		}
	case tea.InterruptMsg:
		return m, m.quit(ErrCancelled)
	case fieldCheckMsg:
		return m, m.fieldChecked(msg)
	case reviewCheckedMsg:
		return m, m.reviewChecked(msg)
	case signInDoneMsg:
		return m, m.signedIn(msg)
	case commitDoneMsg:
		m.chk.running = false
		m.committed = nil
		if msg.err != nil {
			m.err = &WriteError{Path: m.o.ConfigPath, Err: msg.err}
		} else {
			m.written = msg.w
		}
		m.scr = scrDone
		return m, nil
	}
	switch m.scr {
	case scrWelcome:
		return m, m.updateWelcome(msg)
	case scrForm:
		return m, m.updateForm(msg)
	case scrCodes:
		return m, m.updateCodes(msg)
	case scrReview:
		return m, m.updateReview(msg)
	case scrCheck:
		return m, m.updateCheck(msg)
	case scrDone:
		return m, m.updateDone(msg)
	}
	return m, nil
}

// quit ends the program with that outcome; once the config is written
// the outcome stays "written".
func (m *tuiModel) quit(err error) tea.Cmd {
	if m.written != nil {
		err = nil
	}
	m.err = err
	m.quitting = true
	m.chk.stop()
	return tea.Quit
}

// View draws the current screen in the alternate screen buffer.
func (m *tuiModel) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "sitecfg"
	return v
}

// render is the screen as text, clipped to the terminal.
func (m *tuiModel) render() string {
	if m.quitting {
		return ""
	}
	var body string
	switch m.scr {
	case scrWelcome:
		body = m.viewWelcome()
	case scrForm:
		body = m.viewForm()
	case scrCodes:
		body = m.viewCodes()
	case scrReview:
		body = m.viewReview()
	case scrCheck:
		body = m.viewCheck()
	case scrDone:
		body = m.viewDone()
	}
	if m.o.ASCII {
		return foldASCII(fitTail(foldASCII(m.header()+"\n"+body), m.w, m.h, "..."))
	}
	return fit(m.header()+"\n"+body, m.w, m.h)
}

// resize gives the current screen's parts the new size.
func (m *tuiModel) resize() {
	if m.pg != nil {
		m.pg.resize(m.w, m.bodyHeight())
	}
	if m.codes.form != nil {
		m.codes.form.WithWidth(m.contentWidth())
	}
	m.rev.clamp(m.reviewHeight())
}

// contentWidth is the width text is wrapped to.
func (m *tuiModel) contentWidth() int { return max(20, min(m.w, 100)-2) }

// bodyHeight is what is left under the header line.
func (m *tuiModel) bodyHeight() int { return max(4, m.h-1) }
