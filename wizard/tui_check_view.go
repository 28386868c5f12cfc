package wizard

import (
	"fmt"
	"strings"

	"sitecfg/checkview"
	"sitecfg/smtpauth"
)

// viewCheck shows the steps so far and, after a failure, the diagnosis
// and the choices.
func (m *tuiModel) viewCheck() string {
	c := &m.chk
	w := m.contentWidth()
	a := m.st.Answers.SMTP
	title := fmt.Sprintf("Live check of %s:%d", a.Server, a.Port)
	if c.report != nil && c.report.Server != "" {
		title = "Live check of " + c.report.Server
	}
	var diag []string
	footer := ""
	switch {
	case c.running:
		footer = m.keys("ctrl+c", "stop and quit (nothing is written)")
	case c.confirmTrust:
		diag = m.trustLines(w)
		footer = m.keys("y", "they match: trust it and check again", "n", "no, go back")
	case c.confirmSave:
		diag = append(diag, "", wrapText(style().warn.Render("Save settings that failed the live check?")+
			" Mail will not be delivered until they are fixed; run sitecfg check after fixing them.", w, 0))
		footer = m.keys("y", "save anyway", "n", "no, go back")
	default:
		diag = m.diagnosisLines(w)
		footer = m.failedKeys()
	}
	room := m.bodyHeight() - lineCount(footer) - 2 - len(diag)
	var b strings.Builder
	b.WriteString(style().title.Render(title) + "\n")
	if !c.confirmTrust {
		// The trust screen leaves the steps out: its fingerprint comes
		// first, on screen with the keys.
		b.WriteString("\n")
		for _, l := range m.stepLines(room) {
			b.WriteString(l + "\n")
		}
	}
	b.WriteString(strings.Join(diag, "\n"))
	if c.running {
		return padTo(b.String(), footer, m.bodyHeight())
	}
	// A long diagnosis (or certificate) scrolls; the keys stay in sight.
	keys := func(scrolls bool) string {
		if scrolls {
			return m.keys(scrollKeys...) + "\n" + footer
		}
		return footer
	}
	return c.scroll.view(b.String(), "", keys, m.bodyHeight())
}

// stepLines are the steps, with the passed ones folded into one line when
// there is not room for all of them.
func (m *tuiModel) stepLines(room int) []string {
	c := &m.chk
	if len(c.steps) == 0 && c.running {
		return []string{"  " + c.spin.View() + " starting…"}
	}
	var lines []string
	if len(c.steps) > room {
		ok := 0
		for _, s := range c.steps {
			if s.Status == smtpauth.StatusOK {
				ok++
			}
		}
		lines = append(lines, fmt.Sprintf("  %s %d steps passed", style().ok.Render("✓"), ok))
		for _, s := range c.steps {
			if s.Status != smtpauth.StatusOK {
				lines = append(lines, c.stepLine(s))
			}
		}
		return lines
	}
	for _, s := range c.steps {
		lines = append(lines, c.stepLine(s))
	}
	return lines
}

// diagnosisLines explain a failure: what, then checkview's lines (what
// to do, which field, the commands to paste, the server's own words and
// the set-up guide step), as apply and the line prompts show them.
func (m *tuiModel) diagnosisLines(w int) []string {
	c := &m.chk
	out := []string{""}
	add := func(indent int, s string) {
		out = append(out, strings.Split(strings.Repeat(" ", indent)+wrapText(s, w, indent), "\n")...)
	}
	if c.err != nil {
		add(0, style().err.Render("✗ The check could not run: ")+c.err.Error())
		return out
	}
	if c.report == nil || c.report.Diagnosis == nil {
		add(0, style().err.Render("✗ The check failed."))
		return out
	}
	d := checkview.NewDiagnosis(c.report.Diagnosis, c.report.Method)
	add(0, style().err.Render(fmt.Sprintf("✗ Failed at %s: ", d.Where()))+d.Summary)
	for _, rc := range checkview.New(c.report).Recipients {
		if !rc.Accepted {
			add(2, rc.Line())
		}
	}
	details := func(d checkview.Diagnosis) {
		for _, l := range d.Details() {
			if l.Label == "" {
				add(l.Indent, l.Text)
				continue
			}
			label := l.Label + ":"
			if l.Text != "" {
				label += " "
			}
			add(l.Indent, style().title.Render(label)+l.Text)
		}
	}
	details(d)
	// What ran on after the failure because it does not need it (the
	// OAuth token when the mail server could not be reached).
	for _, a := range checkview.New(c.report).Also {
		add(0, "")
		add(0, style().err.Render(fmt.Sprintf("✗ Also failed at %s: ", a.Where()))+a.Summary)
		details(a)
	}
	return out
}

func (m *tuiModel) failedKeys() string {
	edit := "edit the answers"
	if r := m.chk.report; r != nil && r.Diagnosis != nil && r.Diagnosis.Field != "" {
		edit = "edit " + r.Diagnosis.Field
	}
	pairs := []string{"e", edit, "r", "retry"}
	if m.offersSignIn() {
		pairs = append(pairs, "i", "sign in again")
	}
	if m.chk.trust != nil {
		pairs = append(pairs, "t", "trust this certificate…")
	}
	return m.keys(append(pairs, "s", "save anyway", "b", "back to review", "q", "quit without saving")...)
}

// trustLines show the presented chain and the fingerprint to compare,
// and say what trusting does.
func (m *tuiModel) trustLines(w int) []string {
	t := m.chk.trust
	out := []string{"", style().warn.Render("Trust this certificate?") + " No known authority vouches for it."}
	// The real fingerprint first: nothing the certificate says can push
	// it off the screen before y is offered.
	out = append(out, style().title.Render("SHA-256 fingerprint of the certificate to trust:"))
	for _, l := range t.FingerprintLines() {
		out = append(out, "  "+l)
	}
	out = append(out, strings.Split(wrapText(checkview.CompareHint, w, 0), "\n")...)
	out = append(out, strings.Split(wrapText(strings.Join(t.AnchorLines(), " "), w, 0), "\n")...)
	out = append(out, "The certificate chain the server presented:")
	for _, l := range t.Lines() {
		out = append(out, strings.Split("  "+wrapText(l, w, 5), "\n")...)
	}
	out = append(out, strings.Split(wrapText("If you trust it, it is saved as "+m.trustFile()+" and smtp.ca_file names it.", w, 0), "\n")...)
	if m.chk.trustErr != "" {
		out = append(out, style().err.Render("Could not save it: ")+m.chk.trustErr)
	}
	return out
}

func lineCount(s string) int { return strings.Count(s, "\n") + 1 }

// trustFile is where a trusted certificate is saved (TrustFile, without
// asking the system for the working directory).
func (m *tuiModel) trustFile() string { return trustFileIn(absIn(m.st.WorkDir, m.o.ConfigPath)) }
