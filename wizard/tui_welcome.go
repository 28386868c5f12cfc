package wizard

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"sitecfg/checkview"
	"sitecfg/config"
	"sitecfg/smtpauth"
)

// updateWelcome starts the questions on enter.
func (m *tuiModel) updateWelcome(msg tea.Msg) tea.Cmd {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return nil
	}
	if k.String() == "enter" || k.String() == "space" {
		return m.openPage(m.pages()[0], "")
	}
	m.welcomeScroll.key(k.String(), m.bodyHeight())
	return nil
}

// viewWelcome says what the wizard found and what it will do.
func (m *tuiModel) viewWelcome() string {
	w := m.contentWidth()
	var b strings.Builder
	line := func(indent int, format string, args ...any) {
		b.WriteString(strings.Repeat(" ", indent) + wrapText(fmt.Sprintf(format, args...), w, indent) + "\n")
	}
	b.WriteString(style().title.Render("Cluster email (SMTP) settings") + "\n\n")
	if p := m.o.Prev; p != nil {
		line(0, "An existing configuration was found in %s.", m.o.ConfigPath)
		stamp := writtenStamp(p, m.o.WrittenBy)
		line(2, "%s", stamp)
		line(0, "Its values are filled in. Secrets are not shown: leave one empty to keep it.")
		if len(m.o.Migrations) > 0 {
			b.WriteString("\n" + style().warn.Render("It was written in an older layout; it will be migrated:") + "\n")
			for _, n := range m.o.Migrations {
				line(2, "• %s", n)
			}
		}
	} else if m.o.Unreadable {
		// Not a first deploy: a file is there, and it is about to be
		// replaced.
		line(0, "%s", style().warn.Render("An existing configuration was found in "+m.o.ConfigPath+", but it cannot be read.")+
			" Its values cannot be filled in: answer every question; the unreadable file is kept as .bak when the new one is written.")
	} else if m.replacing {
		line(0, "A configuration is already in %s; these answers replace it when you save (it is kept as .bak).", m.o.ConfigPath)
	} else {
		line(0, "First deploy: there is no configuration in %s yet.", m.o.ConfigPath)
	}
	for _, n := range m.o.Notes {
		b.WriteString("\n")
		line(0, "%s", style().warn.Render("Note: ")+n)
	}
	b.WriteString("\n")
	line(0, "The wizard asks whether mail goes through an SMTP server, then the accounts or "+
		"the server details. You review every value, the settings are checked live "+
		"against the mail server, and only then is the file written (the old one is kept as .bak).")
	b.WriteString("\n")
	line(0, "On every page shift+tab goes back. Nothing is written until you confirm; Ctrl+C at any time leaves everything as it was.")
	if !m.o.ASCII {
		line(0, "%s", style().dim.Render("Ctrl+L redraws the screen. If ✓, ✗ or ┃ do not show on this console, quit and run sitecfg --ascii."))
	} else {
		line(0, "%s", style().dim.Render("Ctrl+L redraws the screen."))
	}
	footer := func(scrolls bool) string {
		if scrolls {
			return m.keys(append(append([]string{}, scrollKeys...), "enter", "start", "ctrl+c", "quit")...)
		}
		return m.keys("enter", "start", "ctrl+c", "quit")
	}
	return m.welcomeScroll.view(b.String(), "", footer, m.bodyHeight())
}

// writtenStamp says when and by whom the saved config p was written:
// who (the audit log's writtenBy, "" when unknown), then with what (the
// file's own stamp, which a hand edit may have filled with anything).
func writtenStamp(p *config.Site, writtenBy string) string {
	stamp := "written at an unknown time"
	if !p.Written.At.IsZero() {
		stamp = "written " + p.Written.At.UTC().Format("2006-01-02 15:04 MST")
	}
	switch by := smtpauth.PrintableLine(p.Written.By); {
	case writtenBy != "" && by != "":
		stamp += " by " + smtpauth.PrintableLine(writtenBy) + " with " + by
	case writtenBy != "":
		stamp += " by " + smtpauth.PrintableLine(writtenBy)
	case by != "":
		stamp += " with " + by
	}
	return stamp
}

// updateDone leaves on enter (or q) once the file is written.
func (m *tuiModel) updateDone(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		if m.doneScroll.key(k.String(), m.bodyHeight()) {
			return nil
		}
		switch k.String() {
		case "enter", "q", "esc", "space":
			if m.written != nil || m.err != nil {
				return m.quit(m.err)
			}
		}
	}
	return nil
}

// viewDone says what was written and where, with the live check that
// proved it (its steps, warnings and the test message's reply) or, after
// "save anyway", that it failed.
func (m *tuiModel) viewDone() string {
	w := m.contentWidth()
	var b strings.Builder
	if m.written == nil && m.err == nil {
		b.WriteString(m.chk.spin.View() + " Saving…\n")
		return padTo(b.String(), "", m.bodyHeight())
	}
	if m.err != nil {
		b.WriteString(style().err.Render("✗ Nothing was written.") + "\n\n")
		b.WriteString(wrapText(m.err.Error(), w, 0) + "\n")
		return padTo(b.String(), m.keys("enter", "exit"), m.bodyHeight())
	}
	wr := m.written
	var tail strings.Builder
	if m.chk.savedAnyway {
		b.WriteString(wrapText(style().err.Render("! SAVED WITHOUT A PASSING LIVE CHECK.")+" "+wr.CheckFailed+
			" Mail will not be delivered until the settings are fixed; run sitecfg check once they are.", w, 0) + "\n")
	} else {
		b.WriteString(style().ok.Render("✓ Saved.") + "\n")
	}
	path := func(title, p string) {
		tail.WriteString(title + "\n  " + wrapText(p, w, 2) + "\n")
	}
	path("Wrote the site config (mode 0600):", wr.Path)
	if wr.Backup != "" {
		path("The previous file is kept as:", wr.Backup)
	}
	if wr.CodesFile != "" {
		path(fmt.Sprintf("Recovery codes for %s (mode 0600; store them offline, then delete the file):", m.st.Answers.Users.Admin.Username), wr.CodesFile)
	} else if wr.CodesKept {
		tail.WriteString(fmt.Sprintf("The recovery codes of %s are kept: the ones saved earlier still work.\n", m.st.Answers.Users.Admin.Username))
	}
	// The paths written, and under the steps what the check says about
	// the recipients and its warnings, stay in sight; the steps scroll
	// when they do not fit.
	check := m.doneCheckLines(w)
	pinned := "\n" + tail.String()
	if len(check.fixed) > 0 {
		pinned = strings.Join(check.fixed, "\n") + "\n" + pinned
	}
	room := m.bodyHeight() - 2 - lineCount(strings.TrimRight(b.String(), "\n")) - lineCount(pinned)
	if r := m.chk.report; r != nil {
		b.WriteString("\n" + check.title + "\n")
		for _, l := range m.doneStepLines(max(1, room), w) {
			b.WriteString(l + "\n")
		}
	}
	footer := func(scrolls bool) string {
		if scrolls {
			return m.keys(append(append([]string{}, scrollKeys...), "enter", "exit")...)
		}
		return m.keys("enter", "exit")
	}
	return m.doneScroll.view(b.String(), pinned, footer, m.bodyHeight())
}

// doneCheck is the live check as the Done screen shows it: a title, and
// the lines that always show under the steps (the test message's reply,
// the warnings).
type doneCheck struct {
	title string
	fixed []string
}

func (m *tuiModel) doneCheckLines(w int) doneCheck {
	r := m.chk.report
	if r == nil {
		return doneCheck{}
	}
	v := checkview.New(r)
	var d doneCheck
	if v.OK {
		d.title = style().title.Render(fmt.Sprintf("Live check of %s passed in %s:", v.Server, v.Took))
	} else {
		d.title = style().err.Render(fmt.Sprintf("Live check of %s FAILED:", v.Server))
	}
	// The rows already say how many addresses the envelope and the test
	// message went to and what the server replied to the message; the
	// test message's recipients are named when they fit on a line (else
	// the row's count says it), and only an address refused or deferred gets a
	// line of its own, with the server's words.
	var sent []string
	for _, rc := range v.Recipients {
		if rc.Step != smtpauth.StepEnvelope && rc.Accepted && !rc.Deferred {
			sent = append(sent, rc.Address)
		}
	}
	if line := "test message to " + strings.Join(sent, ", ") + ": accepted"; len(sent) > 0 && len(line)+4 <= w {
		d.fixed = append(d.fixed, "  "+style().ok.Render("✓")+" "+line)
	}
	for _, rc := range v.Recipients {
		if rc.Accepted && !rc.Deferred {
			continue
		}
		mark := style().err.Render("✗")
		if rc.Deferred {
			mark = style().warn.Render("!")
		}
		d.fixed = append(d.fixed, strings.Split("  "+mark+" "+wrapText(rc.Line(), w, 4), "\n")...)
	}
	if r.OK && !m.rev.sendTest {
		// Say so rather than leave the operator to wonder.
		d.fixed = append(d.fixed, "  "+style().dim.Render("No test message was sent (tick it on the review to send one)."))
	}
	for _, wn := range v.Warnings {
		d.fixed = append(d.fixed, strings.Split("  "+style().warn.Render("! warning: ")+wrapText(wn.Summary, w, 4), "\n")...)
	}
	return d
}

// doneStepLines are the check's steps with their details in full (TLS
// version and certificate, what AUTH said), wrapped under the detail
// column, when there is room; else all but EHLO in full; else TLS, AUTH
// and the test message in full; else every one in full again, and the screen scrolls — a
// row never ends in "…" on the last screen.
func (m *tuiModel) doneStepLines(room, w int) []string {
	for _, full := range []func(smtpauth.StepName) bool{
		func(smtpauth.StepName) bool { return true },
		// EHLO's keyword list is the one to shorten: TLS repeats it
		// after STARTTLS.
		func(n smtpauth.StepName) bool { return n != smtpauth.StepEHLO },
		func(n smtpauth.StepName) bool {
			return n == smtpauth.StepTLS || n == smtpauth.StepAuth || n == smtpauth.StepMessage
		},
	} {
		var lines []string
		for _, s := range m.chk.steps {
			if !full(s.Name) {
				lines = append(lines, m.chk.stepLine(s))
				continue
			}
			lines = append(lines, m.chk.stepLineWrapped(s, w)...)
		}
		if len(lines) <= room {
			return lines
		}
	}
	var lines []string
	for _, s := range m.chk.steps {
		lines = append(lines, m.chk.stepLineWrapped(s, w)...)
	}
	return lines
}
