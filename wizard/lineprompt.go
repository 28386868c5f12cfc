package wizard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"sitecfg/config"
	"sitecfg/pipeline"
	"sitecfg/smtpauth"
)

// LineOptions configure RunLines. Zero fields take sensible defaults,
// except InFD: set it to -1 when In is not a terminal.
type LineOptions struct {
	// In is where answers are read, one per line; Out is where prompts go.
	In  io.Reader
	Out io.Writer
	// InFD is In's file descriptor when it is a terminal (passwords are
	// then read with echo off), or -1.
	InFD int
	// ConfigPath is the site-config file to write.
	ConfigPath string
	// Prev is the saved config (nil on a first deploy), secrets resolved.
	Prev *config.Site
	// Migrations are config.Load's notes for a file in an older layout;
	// Notes are anything else to say before the first question.
	Migrations []string
	Notes      []string
	// Check runs the live check; nil means smtpauth.Check.
	Check pipeline.CheckFunc
	// CheckTimeout bounds the live check; zero means smtpauth's default.
	CheckTimeout time.Duration
	// SendTest makes "send a test message?" default to yes.
	SendTest bool
	// By names the writer in the file's stamp ("sitecfg v1.2.3").
	By string
	// WrittenBy is who last wrote the saved config, as the audit log
	// says ("root@node1"; "" when unknown).
	WrittenBy string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Defaults, when set, is the state to start from instead of
	// NewState(Prev) (the demo prefills its server this way).
	Defaults *State
	// Run is the pipeline run the prompts end on (nil: one over
	// ConfigPath starting from Prev).
	Run *pipeline.Run
	// SignInClient makes the delegated sign-in's requests (nil: the
	// default client; tests and the demo bring their own).
	SignInClient *http.Client
	// SignInAuto, when set, is a sign-in page that approves by itself
	// (the demo's): it is given the sign-in address and returns where a
	// browser would land, which the operator is shown to paste back.
	SignInAuto func(url string) (string, error)
}

// Outcome is what a line-prompt run ended with.
type Outcome struct {
	// Written is what was written.
	Written *Written
	// State holds the final answers.
	State *State
	// Report is the last live check (nil when none ran).
	Report *smtpauth.Report
	// Unverified is set when the config was written without a passing
	// live check (declined, or saved anyway after a failure).
	Unverified bool
}

// lines is one run of the line prompts.
type lines struct {
	ctx  context.Context
	o    LineOptions
	in   *lineReader
	out  io.Writer
	qs   []*Question
	st   *State
	page Page
	// codes were shown to the operator and saved to codesFile for
	// codesUser (SMTP off); they are hashed into the config on commit.
	codes                []string
	codesFile, codesUser string
	// codesWritten are the codes files this run wrote, to take back if no
	// config ends up holding the codes.
	codesWritten codesFiles
	// run is the pipeline run the answers are committed through.
	run *pipeline.Run
	// followed are the questions whose answers the last answer changed
	// (the port follows the security), each said when it happened.
	followed []*Question
	// signInOffered: this run signed in, or asked whether to keep the
	// stored sign-in (asked once).
	signInOffered bool
}

// RunLines asks the wizard's questions as plain line prompts — for serial
// consoles, screen readers and TERM=dumb — then reviews, live-checks and
// writes, like the full-screen wizard. Every answer is checked as it is
// given and the whole again at the end. It returns ErrCancelled (wrapping
// ctx.Err()) when ctx is cancelled, ErrNotSaved when the operator quit
// after a failed check, an error wrapping ErrInputEnded when the input
// ended early, and a *WriteError when the config could not be written.
// In every one of those cases nothing is written. On success the caller
// says what was written (Outcome.Written).
func RunLines(ctx context.Context, o LineOptions) (out *Outcome, err error) {
	if o.Out == nil {
		o.Out = io.Discard
	}
	if o.In == nil {
		o.In = strings.NewReader("")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	// Ctrl+C read as a byte (a password prompt holds the terminal raw)
	// cancels the run like the signal does.
	ctx, interrupt := context.WithCancel(ctx)
	defer interrupt()
	l := &lines{ctx: ctx, o: o, in: newLineReader(o.In, o.InFD, o.Out, interrupt), out: o.Out, qs: Questions(), st: o.Defaults, run: o.Run}
	if l.run == nil {
		l.run = pipeline.With(o.ConfigPath, o.Prev, o.Now)
	}
	if l.st == nil {
		l.st = NewState(o.Prev)
	} else if l.st.Prev == nil {
		l.st.Prev = o.Prev
	}
	if l.st.ConfigPath == "" {
		l.st.ConfigPath = o.ConfigPath
	}
	if l.st.WorkDir == "" {
		l.st.WorkDir, _ = os.Getwd()
	}
	defer func() {
		// Codes that no config will hold must not be left lying around;
		// a file this run replaced gets its old content back.
		if err != nil {
			l.codesWritten.undo()
		}
		if err != nil && ctx.Err() != nil && !errors.Is(err, ErrCancelled) {
			out, err = nil, cancelled(ctx)
		}
		if err != nil && l.codes != nil && errors.Is(err, ErrCancelled) {
			err = fmt.Errorf("%w; %w", err, ErrCodesVoid)
		}
	}()

	l.welcome()
	if err := l.askAll(map[*Question]bool{}); err != nil {
		return nil, err
	}
	return l.conclude()
}

// cancelled is the error for a cancelled run.
func cancelled(ctx context.Context) error { return fmt.Errorf("%w: %w", ErrCancelled, ctx.Err()) }

func (l *lines) printf(format string, args ...any) { fmt.Fprintf(l.out, format, args...) }

func (l *lines) welcome() {
	l.printf("sitecfg: email settings for %s\n", l.o.ConfigPath)
	l.printf("Press Enter to keep the value shown in [brackets]. Ctrl+C quits without saving.\n")
	l.printf("Type - to clear an optional answer.\n")
	if l.o.Prev != nil {
		l.printf("The saved configuration (%s) is loaded: its values are the defaults.\n", writtenStamp(l.o.Prev, l.o.WrittenBy))
	}
	for _, m := range l.o.Migrations {
		l.printf("Older layout: %s\n", m)
	}
	for _, n := range l.o.Notes {
		l.printf("Note: %s\n", n)
	}
}

// askAll asks every question that applies and is not in asked, in order;
// which ones apply is recomputed after each answer (the SMTP switch and
// the method change it).
func (l *lines) askAll(asked map[*Question]bool) error {
	for {
		var next *Question
		for _, q := range Visible(l.qs, l.st) {
			if !asked[q] {
				next = q
				break
			}
		}
		if next == nil {
			return nil
		}
		asked[next] = true
		if err := l.ask(next); err != nil {
			return err
		}
		if next.ID == "recovery_codes_out" {
			if err := l.recoveryCodes(next); err != nil {
				return err
			}
		}
	}
}

// heading names a page when the questions move on to it.
func (l *lines) heading(p Page) {
	if p != l.page {
		l.page = p
		l.printf("\n== %s ==\n", p)
	}
}

// ask asks one question until its answer is accepted by the question's own
// validator.
func (l *lines) ask(q *Question) error {
	if l.skipConfirm(q) {
		return q.Set(l.st, "")
	}
	l.heading(q.Page)
	l.printf("\n")
	if q.Help != "" {
		l.printf("(%s)\n", q.Help)
	}
	for i, opt := range q.Options {
		l.printf("  %d. %s — %s\n", i+1, opt.Label, opt.Value)
	}
	// An answer that is not accepted is not kept: the value before it
	// stays the default, so Enter never sends a refused answer again.
	before := q.Get(l.st)
	others := l.answersBesides(q)
	defer func() { l.followed = l.changedSince(others) }()
	for {
		def := l.offered(q)
		l.printf("%s", l.prompt(q, def))
		line, err := l.in.read(l.ctx, q.Kind == KindPassword)
		if err != nil {
			return l.inputError(err, q.ID+" was answered")
		}
		v, err := l.interpret(q, line, def)
		set := false
		if err == nil {
			err = q.Set(l.st, v)
			set = err == nil
		}
		if err == nil && q.Check != nil {
			err = q.Check(q.Get(l.st))
		}
		if err == nil {
			return nil
		}
		if set {
			_ = q.Set(l.st, before)
		}
		l.printf("Not accepted: %v. Please answer again.\n", err)
	}
}

// answersBesides are the answers shown so far other than q's (no
// secrets), by question.
func (l *lines) answersBesides(q *Question) map[*Question]string {
	out := map[*Question]string{}
	for _, o := range Visible(l.qs, l.st) {
		if o != q && !o.Secret && o.Kind != KindPassword && o.Kind != KindConfirm {
			out[o] = o.Get(l.st)
		}
	}
	return out
}

// changedSince says, and returns, the answers that changed from was
// (given ones the last answer changed for the operator).
func (l *lines) changedSince(was map[*Question]string) []*Question {
	var out []*Question
	for _, o := range Visible(l.qs, l.st) {
		if old, ok := was[o]; ok && old != "" && o.Get(l.st) != old {
			l.printf("Note: %s changed from %s to %s to follow this answer.\n", o.Title, old, shownValue(o.Get(l.st)))
			out = append(out, o)
		}
	}
	return out
}

// offered is the default a question offers in [brackets]: its answer so
// far — except an optional answer its own check refuses (a CA file since
// deleted), which is not offered, so that Enter leaves it empty.
func (l *lines) offered(q *Question) string {
	def := q.Get(l.st)
	if def != "" && q.Optional() && q.Check != nil && q.Check(def) != nil {
		return ""
	}
	return def
}

// skipConfirm: a password left empty to keep the stored one needs no
// confirmation.
func (l *lines) skipConfirm(q *Question) bool {
	id, ok := strings.CutSuffix(q.ID, "_confirm")
	if !ok || q.Kind != KindPassword {
		return false
	}
	pw := Find(l.qs, l.st, id)
	return pw != nil && pw.Get(l.st) == "" && pw.SecretStored(l.st)
}

// prompt is the line a question is asked on: its title, then the default.
func (l *lines) prompt(q *Question, def string) string {
	switch q.Kind {
	case KindPassword:
		switch {
		case strings.HasSuffix(q.ID, "_confirm"):
			return q.Title + ": "
		case def != "":
			return q.Title + " (already entered — press Enter to keep): "
		case q.SecretStored(l.st):
			return q.Title + " (stored — press Enter to keep): "
		}
		return q.Title + ": "
	case KindConfirm:
		hint := "[y/n]"
		if b, err := parseBool(def); err == nil {
			hint = map[bool]string{true: "[Y/n]", false: "[y/N]"}[b]
		}
		return q.Title + " " + hint + ": "
	case KindSelect:
		p := fmt.Sprintf("%s — choose 1-%d or type the name", q.Title, len(q.Options))
		if def != "" {
			p += " [" + def + "]"
		}
		return p + ": "
	}
	if def != "" && q.Optional() {
		return q.Title + " [" + def + "; - clears]: "
	}
	if def != "" {
		return q.Title + " [" + def + "]: "
	}
	return q.Title + ": "
}

// interpret turns a typed line into the value Set takes: Enter keeps the
// default, "-" clears an optional answer, a number picks an option.
func (l *lines) interpret(q *Question, line, def string) (string, error) {
	if hasControl(line) {
		// On a serial line the terminal does not move the cursor for an
		// arrow key: its escape sequence lands in the answer, unseen in a
		// password. No answer holds one.
		return "", errors.New("the answer holds a control character (an arrow or function key, or Ctrl and a letter, " +
			"pressed while typing); type it again, correcting with Backspace only")
	}
	v := line
	if q.Kind != KindPassword {
		v = strings.TrimSpace(line)
	}
	if v == "-" && q.Optional() {
		return "", nil
	}
	if v == "" {
		if q.Kind == KindPassword && strings.HasSuffix(q.ID, "_confirm") {
			return "", nil
		}
		return def, nil
	}
	if q.Kind == KindSelect {
		if n, err := strconv.Atoi(v); err == nil {
			if n < 1 || n > len(q.Options) {
				return "", fmt.Errorf("choose a number from 1 to %d", len(q.Options))
			}
			return q.Options[n-1].Value, nil
		}
		for _, opt := range q.Options {
			if strings.EqualFold(v, opt.Label) {
				return opt.Value, nil
			}
		}
	}
	return v, nil
}

// inputError explains why a prompt got no answer; what completes
// "input ended before …".
func (l *lines) inputError(err error, what string) error {
	switch {
	case l.ctx.Err() != nil:
		l.printf("\n") // end the prompt's line before the error is said
		return cancelled(l.ctx)
	case errors.Is(err, io.EOF):
		l.printf("\n")
		return fmt.Errorf("%w before %s", ErrInputEnded, what)
	}
	return fmt.Errorf("read answer for %s: %w", what, err)
}

// yesNo asks a yes/no question that is not one of the answers.
func (l *lines) yesNo(title string, def bool, what string) (bool, error) {
	hint := map[bool]string{true: "[Y/n]", false: "[y/N]"}[def]
	for {
		l.printf("%s %s: ", title, hint)
		line, err := l.in.read(l.ctx, false)
		if err != nil {
			return false, l.inputError(err, what)
		}
		if strings.TrimSpace(line) == "" {
			return def, nil
		}
		b, err := parseBool(line)
		if err == nil {
			return b, nil
		}
		l.printf("Not accepted: %v.\n", err)
	}
}

// hasControl reports whether s holds a C0 control character other than
// a tab, or DEL.
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\t') || c == 0x7f {
			return true
		}
	}
	return false
}
