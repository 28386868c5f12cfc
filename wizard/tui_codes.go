package wizard

import (
	"errors"
	"fmt"
	"os"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"sitecfg/recovery"
)

// codesModel is the recovery codes screen (SMTP off): the codes are made
// once, shown, saved to the chosen file and one is typed back before the
// wizard goes on.
type codesModel struct {
	codes []string
	// user and path are what the saved file was written for; changing
	// either on an earlier page asks for the codes to be saved again.
	user, path string
	saved      bool
	// files are the codes files this run wrote, to take back if no config
	// ends up holding the codes.
	files     codesFiles
	exists    bool // the file exists: ask before replacing it
	err       string
	form      *huh.Form
	typed     string
	confirmed bool
	// reveal shows the codes again on the type-back screen (ctrl+r).
	reveal bool
}

// codesSavedMsg reports the codes file write.
type codesSavedMsg struct {
	file *recovery.CodesFile
	err  error
}

// openCodes shows the codes screen, making the codes the first time.
func (m *tuiModel) openCodes() tea.Cmd {
	c := &m.codes
	m.scr = scrCodes
	if len(c.codes) == 0 {
		codes, err := m.deps.GenerateCodes(recovery.DefaultCount)
		if err != nil {
			c.err = fmt.Sprintf("could not make recovery codes: %v", err)
			return nil
		}
		c.codes = codes
	}
	// The file question is asked once "make new codes" is chosen on a
	// re-run (newlyShown); should a path through the pages skip it (an
	// edit from the review), the file it offers is used — never an empty
	// one. shift+tab here still changes it.
	a := &m.st.Answers
	a.RecoveryCodesOut = m.st.CodesFile()
	user, path := a.Users.Admin.Username, a.RecoveryCodesOut
	if c.saved && (c.user != user || c.path != path) {
		c.saved, c.confirmed, c.form = false, false, nil
	}
	return nil
}

// saveCodes writes the codes file as a command (no I/O in Update).
func (m *tuiModel) saveCodes(overwrite bool) tea.Cmd {
	user, path := m.st.Answers.Users.Admin.Username, m.st.Answers.RecoveryCodesOut
	codes, write, now := m.codes.codes, m.deps.WriteCodes, m.deps.Now()
	m.codes.user, m.codes.path, m.codes.err = user, path, ""
	// A file this run wrote is its own to replace without asking (the
	// admin renamed); what a killed run left there is settled by the
	// write (pipeline.Run.WriteCodes).
	overwrite = overwrite || m.codes.files.has(path)
	return func() tea.Msg {
		f, err := write(path, user, codes, now, overwrite)
		return codesSavedMsg{file: f, err: err}
	}
}

func (m *tuiModel) updateCodes(msg tea.Msg) tea.Cmd {
	c := &m.codes
	switch msg := msg.(type) {
	case codesSavedMsg:
		c.exists = errors.Is(msg.err, os.ErrExist)
		if msg.err != nil {
			if !c.exists {
				c.err = msg.err.Error()
			}
			return nil
		}
		c.saved, c.typed, c.reveal = true, "", false
		c.files.add(msg.file)
		want := map[string]bool{}
		for _, code := range c.codes {
			want[recovery.Normalize(code)] = true
		}
		in := huh.NewInput().Title("Type one of the codes back").
			Description("From where you stored them (or the file), to show they were saved. Dashes and case do not matter.").
			Value(&c.typed).Validate(func(v string) error {
			if !want[recovery.Normalize(v)] {
				return fmt.Errorf("that is not one of the codes just saved: check %s", c.path)
			}
			return nil
		})
		c.form = huh.NewForm(huh.NewGroup(in)).WithTheme(theme).WithShowHelp(false).WithShowErrors(true).
			WithWidth(m.contentWidth()).WithHeight(8)
		return c.form.Init()
	case tea.KeyPressMsg:
		k := msg.String()
		switch {
		case k == "shift+tab":
			return m.openPage(PageCodes, "recovery_codes_out")
		case c.confirmed && k == "enter":
			return m.openReview()
		case !c.saved && len(c.codes) > 0 && (k == "s" || k == "enter"):
			return m.saveCodes(false)
		case !c.saved && c.exists && k == "o":
			return m.saveCodes(true)
		case c.saved && !c.confirmed && k == "ctrl+r":
			c.reveal = !c.reveal
			return nil
		}
	}
	if c.saved && !c.confirmed && c.form != nil {
		msg, paste := forForm(msg)
		if paste != nil {
			return paste
		}
		_, cmd := c.form.Update(msg)
		if c.form.State == huh.StateCompleted {
			c.confirmed = true
			return m.openReview()
		}
		return cmd
	}
	return nil
}

func (m *tuiModel) viewCodes() string {
	c := &m.codes
	w := m.contentWidth()
	var b strings.Builder
	b.WriteString(style().title.Render(fmt.Sprintf("Recovery codes for the UI admin %q", m.st.Answers.Users.Admin.Username)) + "\n\n")
	if len(c.codes) == 0 {
		b.WriteString(style().err.Render(c.err) + "\n")
		return padTo(b.String(), m.keys("shift+tab", "back", "ctrl+c", "quit"), m.bodyHeight())
	}
	footer := ""
	switch {
	case !c.saved:
		b.WriteString(wrapText("Each code resets the admin's password once. Save them now: the wizard only finishes once they are saved and one is typed back.", w, 0) + "\n\n")
		b.WriteString(codesGrid(c.codes) + "\n")
		b.WriteString(wrapText(fmt.Sprintf("They will be saved to %s (mode 0600).", m.st.Answers.RecoveryCodesOut), w, 0) + "\n")
		footer = m.keys("s", "save", "shift+tab", "change the file", "ctrl+c", "quit")
		if c.exists {
			b.WriteString("\n" + wrapText(style().warn.Render(fmt.Sprintf("%s already exists.", m.st.Answers.RecoveryCodesOut))+" Press o to replace it, or shift+tab to choose another file.", w, 0) + "\n")
			footer = m.keys("o", "replace the file", "shift+tab", "change the file", "ctrl+c", "quit")
		}
		if c.err != "" {
			b.WriteString("\n" + wrapText(style().err.Render("Could not save: "+c.err), w, 0) + "\n")
		}
	case c.confirmed:
		b.WriteString(style().ok.Render("✓ Saved to "+c.path+" and confirmed.") + "\n")
		footer = m.keys("enter", "continue", "shift+tab", "back", "ctrl+c", "quit")
	default:
		b.WriteString(wrapText(style().ok.Render("✓ Saved to "+c.path+" (mode 0600).")+" Keep the codes somewhere safe and offline, then delete the file from this machine.", w, 0) + "\n\n")
		// Typing back a code still on the screen proves nothing: they
		// are hidden, and ctrl+r shows them again (a single console has
		// no second terminal to open the file in).
		if c.reveal {
			b.WriteString(codesGrid(c.codes) + "\n")
		} else {
			b.WriteString(style().dim.Render("The codes are hidden now: type one back from where you stored them.") + "\n\n")
		}
		b.WriteString(c.form.View() + "\n")
		show := "show the codes"
		if c.reveal {
			show = "hide the codes"
		}
		footer = m.keys("enter", "check", "ctrl+r", show, "shift+tab", "back", "ctrl+c", "quit (the codes are then void)")
	}
	return padTo(b.String(), footer, m.bodyHeight())
}

// codesGrid shows the codes in two numbered columns.
func codesGrid(codes []string) string {
	half := (len(codes) + 1) / 2
	var b strings.Builder
	for i := range half {
		fmt.Fprintf(&b, "   %2d. %-22s", i+1, codes[i])
		if j := i + half; j < len(codes) {
			fmt.Fprintf(&b, "   %2d. %s", j+1, codes[j])
		}
		b.WriteString("\n")
	}
	return b.String()
}
