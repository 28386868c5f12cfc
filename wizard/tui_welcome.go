package wizard

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// updateWelcome starts the questions on enter.
func (m *tuiModel) updateWelcome(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok && (k.String() == "enter" || k.String() == "space") {
		return m.openPage(m.pages()[0], "")
	}
	return nil
}

// viewWelcome says what the wizard found and what it will do.
func (m *tuiModel) viewWelcome() string {
	w := m.contentWidth()
	var b strings.Builder
	line := func(indent int, format string, args ...any) {
		b.WriteString(strings.Repeat(" ", indent) + wrapText(fmt.Sprintf(format, args...), w, indent) + "\n")
	}
	b.WriteString(styleTitle.Render("Cluster email (SMTP) settings") + "\n\n")
	if p := m.o.Prev; p != nil {
		line(0, "An existing configuration was found in %s.", m.o.ConfigPath)
		stamp := "written at an unknown time"
		if !p.Written.At.IsZero() {
			stamp = "written " + p.Written.At.UTC().Format("2006-01-02 15:04 MST")
		}
		if p.Written.By != "" {
			stamp += " by " + p.Written.By
		}
		line(2, "%s", stamp)
		line(0, "Its values are filled in. Secrets are not shown: leave one empty to keep it.")
		if len(m.o.Migrations) > 0 {
			b.WriteString("\n" + styleWarn.Render("It was written in an older layout; it will be migrated:") + "\n")
			for _, n := range m.o.Migrations {
				line(2, "• %s", n)
			}
		}
	} else {
		line(0, "First deploy: there is no configuration in %s yet.", m.o.ConfigPath)
	}
	for _, n := range m.o.Notes {
		b.WriteString("\n")
		line(0, "%s", styleWarn.Render("Note: ")+n)
	}
	b.WriteString("\n")
	line(0, "The wizard asks whether mail goes through an SMTP server, then the accounts or "+
		"the server details. You review every value, the settings are checked live "+
		"against the mail server, and only then is the file written (the old one is kept as .bak).")
	b.WriteString("\n")
	line(0, "On every page shift+tab goes back. Nothing is written until you confirm; Ctrl+C at any time leaves everything as it was.")
	return padTo(b.String(), m.keys("enter", "start", "ctrl+c", "quit"), m.bodyHeight())
}

// updateDone leaves on enter (or q) once the file is written.
func (m *tuiModel) updateDone(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch k.String() {
		case "enter", "q", "esc", "space":
			if m.written != nil || m.err != nil {
				return m.quit(m.err)
			}
		}
	}
	return nil
}

// viewDone says what was written and where.
func (m *tuiModel) viewDone() string {
	w := m.contentWidth()
	var b strings.Builder
	if m.written == nil && m.err == nil {
		b.WriteString(m.chk.spin.View() + " Saving…\n")
		return padTo(b.String(), "", m.bodyHeight())
	}
	if m.err != nil {
		b.WriteString(styleErr.Render("✗ Nothing was written.") + "\n\n")
		b.WriteString(wrapText(m.err.Error(), w, 0) + "\n")
		return padTo(b.String(), m.keys("enter", "exit"), m.bodyHeight())
	}
	wr := m.written
	b.WriteString(styleOK.Render("✓ Saved.") + "\n\n")
	path := func(title, p string) {
		b.WriteString(title + "\n  " + wrapText(p, w, 2) + "\n")
	}
	path("Wrote the site config (mode 0600):", wr.Path)
	if wr.Backup != "" {
		path("The previous file is kept as:", wr.Backup)
	}
	if wr.CodesFile != "" {
		path(fmt.Sprintf("Recovery codes for %s (mode 0600; store them offline, then delete the file):", m.st.Answers.Users.Admin.Username), wr.CodesFile)
	}
	if m.chk.savedAnyway {
		b.WriteString("\n" + wrapText(styleWarn.Render("Saved although the live check failed: mail will not be delivered until the settings are fixed. Run sitecfg check once they are."), w, 0) + "\n")
	}
	return padTo(b.String(), m.keys("enter", "exit"), m.bodyHeight())
}
