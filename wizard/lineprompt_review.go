package wizard

import (
	"fmt"
	"strings"

	"sitecfg/checkview"
	"sitecfg/config"
	"sitecfg/pipeline"
)

// conclude is everything after the questions: re-validate, review, live
// check (SMTP on), write.
func (l *lines) conclude() (*Outcome, error) {
	for {
		if err := l.finish(); err != nil {
			return nil, err
		}
		if needsSignIn(l.st) {
			l.signInOffered = true
			if err := l.signIn(); err != nil {
				return nil, err
			}
		} else if err := l.offerSignIn(); err != nil {
			return nil, err
		}
		l.review()
		edited, err := l.offerEdit()
		if err != nil {
			return nil, err
		}
		if edited {
			continue
		}
		if !l.st.Answers.SMTP.Enabled {
			if l.codes == nil && !l.st.KeepsCodes() {
				// Never let Commit make codes nobody typed back.
				if err := l.recoveryCodes(Find(l.qs, l.st, "recovery_codes_out")); err != nil {
					return nil, err
				}
			}
			return l.commit(nil, false)
		}
		run, err := l.yesNo("\nRun the live check now?", true, "the live-check question was answered")
		if err != nil {
			return nil, err
		}
		if !run {
			l.printf("\nWARNING: skipping the live check. The settings are saved WITHOUT being tried;\n"+
				"run 'sitecfg check --config %s' before relying on them.\n", l.o.ConfigPath)
			return l.commit(nil, true)
		}
		out, again, err := l.checkLoop()
		if err != nil || !again {
			return out, err
		}
	}
}

// finish applies every rule to the whole answers value, as the answers
// file is checked, and asks again the fields that break one.
func (l *lines) finish() error {
	for {
		ps := l.st.Finish(l.o.Now())
		errs := ps.Errors()
		if len(errs) == 0 {
			if ws := ps.Warnings(); len(ws) > 0 {
				l.printf("\n")
				l.printProblems("Warning", ws)
			}
			return l.refreshCodesFile()
		}
		l.printf("\nSome answers need another look:\n")
		l.printProblems("Error", errs)
		var fix []*Question
		seen := map[*Question]bool{}
		for _, p := range errs {
			if q := Find(l.qs, l.st, fieldOf(p.Field)); q != nil && !seen[q] {
				seen[q] = true
				fix = append(fix, q)
			}
		}
		if len(fix) == 0 {
			// No question can fix it: re-asking would loop forever.
			return fmt.Errorf("the answers are not valid: %w", errs)
		}
		l.page = ""
		for _, q := range fix {
			if err := l.edit(q); err != nil {
				return err
			}
		}
	}
}

// fieldOf drops a list index from a problem's field path
// ("smtp.default_recipients[1]" is asked as "smtp.default_recipients").
func fieldOf(path string) string {
	if i := strings.IndexByte(path, '['); i >= 0 {
		return path[:i]
	}
	return path
}

func (l *lines) printProblems(prefix string, ps config.Problems) {
	for _, p := range ps {
		if p.Field != "" {
			l.printf("  %s: %s: %s\n", prefix, p.Field, p.Message)
		} else {
			l.printf("  %s: %s\n", prefix, p.Message)
		}
	}
}

// edit asks one question again and, for a new password, its
// confirmation; then every question the new answer brings in (turning
// SMTP off asks for the accounts and makes the recovery codes, a new
// method asks for its credentials).
func (l *lines) edit(q *Question) error {
	before := map[*Question]bool{}
	for _, v := range Visible(l.qs, l.st) {
		before[v] = true
	}
	if err := l.ask(q); err != nil {
		return err
	}
	// An answer the wizard changed to follow this one (the port follows
	// the security) is asked too, with its new value as the default.
	for _, c := range l.followed {
		if c.Applies(l.st) {
			if err := l.ask(c); err != nil {
				return err
			}
		}
	}
	if q.Kind == KindPassword && !strings.HasSuffix(q.ID, "_confirm") {
		if c := Find(l.qs, l.st, q.ID+"_confirm"); c != nil {
			if err := l.ask(c); err != nil {
				return err
			}
		}
	}
	return l.askAll(before)
}

// review prints every value that will be written (secrets masked) and, on
// a re-run, what changes.
func (l *lines) review() {
	l.printf("\n== Review ==\n")
	var page Page
	for _, r := range ReviewRows(l.st) {
		if r.Page != page {
			page = r.Page
			l.printf("%s:\n", page)
		}
		l.printf("  %s (%s): %s\n", r.Label, r.Field, r.Value)
	}
	if ns := Normalised(l.qs, l.st); len(ns) > 0 {
		l.printf("Stored in normal form (addresses in lower case, duplicates dropped):\n")
		for _, n := range ns {
			l.printf("  %s\n", strings.ReplaceAll(n, "→", "->"))
		}
	}
	if l.o.Prev != nil || l.run.Unreadable != nil {
		changes := changesOf(l.run, l.st)
		if len(changes) == 0 {
			l.printf("No changes from the saved configuration.\n")
		} else {
			l.printf("Changes from the saved configuration:\n")
		}
		for _, c := range changes {
			switch c.Kind {
			case Added:
				l.printf("  added %s: %s\n", c.Field, c.New)
			case Removed:
				l.printf("  removed %s (was %s)\n", c.Field, c.Old)
			default:
				l.printf("  changed %s: %s -> %s\n", c.Field, c.Old, c.New)
			}
		}
	}
	if !l.st.Answers.SMTP.Enabled {
		text, _ := codesStatement(l.st, l.codes != nil, len(l.codes), l.codesFile)
		l.printf("%s\n", text)
	}
	for _, m := range l.o.Migrations {
		l.printf("Converted from the older layout: %s\n", m)
	}
	// Within the warning window the rules' own warning says it (above).
	if x := pipeline.CredentialExpiry(&l.st.Answers, l.o.Now()); x != nil && x.Days > config.ExpiryWarnDays {
		l.printf("The %s expires in %d days.\n", x.What, x.Days)
	}
}

// offerEdit lets the operator change any value before going on.
func (l *lines) offerEdit() (bool, error) {
	for {
		l.printf("\nTo change a value, type its field (for example smtp.port%s); press Enter to go on: ", advancedHint(l.qs, l.st))
		line, err := l.in.read(l.ctx, false)
		if err != nil {
			return false, l.inputError(err, "the review was confirmed")
		}
		field := strings.TrimSpace(line)
		if field == "" {
			return false, nil
		}
		q := Find(l.qs, l.st, field)
		if q == nil {
			l.printf("There is no field %q here; use one of the names in parentheses above.\n", field)
			continue
		}
		l.page = ""
		return true, l.edit(q)
	}
}

// commit writes the config. The caller says what was written
// (Outcome.Written), as it does for the full-screen wizard.
func (l *lines) commit(out *Outcome, unverified bool) (*Outcome, error) {
	if out == nil {
		out = &Outcome{}
	}
	out.State, out.Unverified = l.st, unverified
	if err := l.ctx.Err(); err != nil {
		return nil, cancelled(l.ctx)
	}
	if l.st.Answers.SMTP.Enabled && l.codesFile != "" {
		// SMTP was turned back on after the codes were made: no config
		// will hold them, so they must not lie around.
		l.codesWritten.undo()
		l.codes, l.codesFile, l.codesWritten = nil, "", nil
	}
	o := CommitOptions{Codes: l.codes, CodesOut: l.codesFile, CodesFile: l.codesWritten.at(l.codesFile), By: l.o.By}
	if a := l.st.Answers; !a.SMTP.Enabled && a.KeepCodes {
		o = CommitOptions{KeptCodesFile: l.st.CodesFile(), By: l.o.By}
	}
	w, err := l.run.Commit(&l.st.Answers, o)
	if err != nil {
		return nil, &WriteError{Path: l.o.ConfigPath, Err: err}
	}
	// Commit kept the file the config's codes are in; any other this
	// run wrote is taken back.
	l.codesWritten.undo()
	if l.codes != nil && w.CodesFile == "" {
		w.CodesFile = l.codesFile
	}
	if unverified {
		w.CheckFailed = "The live check was not run."
		if r := out.Report; r != nil && r.Diagnosis != nil {
			d := checkview.NewDiagnosis(r.Diagnosis, r.Method)
			w.CheckFailed = fmt.Sprintf("The check failed at %s: %s.", d.Where(), d.Summary)
		}
	}
	out.Written = w
	return out, nil
}

// advancedHint names the advanced fields not yet asked, which the review
// does not list ("; advanced: smtp.ehlo_name"), so the operator knows they
// can be typed.
func advancedHint(qs []*Question, s *State) string {
	var ids []string
	for _, q := range qs {
		if !q.Advanced || q.Applies(s) || s.AdvancedOpen(q.ID) {
			continue
		}
		// Named only if typing it would ask it (the method may rule it out).
		s.openAdvanced(q.ID)
		if q.Applies(s) {
			ids = append(ids, q.ID)
		}
		delete(s.advanced, q.ID)
	}
	if len(ids) == 0 {
		return ""
	}
	return "; advanced: " + strings.Join(ids, ", ")
}
