package wizard

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"sitecfg/recovery"
)

// recoveryCodes makes the admin's recovery codes (SMTP off), shows them,
// saves them to the file the operator chose (0600) and has one typed back:
// the wizard only finishes once they are saved. pathQ is the question that
// chose the file; it is asked again if the file cannot be written.
func (l *lines) recoveryCodes(pathQ *Question) error {
	codes, err := recovery.Generate(recovery.DefaultCount)
	if err != nil {
		return fmt.Errorf("generate recovery codes: %w", err)
	}
	user := l.st.Answers.Users.Admin.Username
	if err := l.saveCodes(pathQ, user, codes); err != nil {
		return err
	}
	l.codes, l.codesUser = codes, user

	l.printf("\nRecovery codes for the UI admin %q. Each code works once, to reset the password:\n", user)
	for i, c := range codes {
		l.printf("  %2d. %s\n", i+1, groupCode(c))
	}
	l.printf("They are saved in %s (mode 0600). Keep them somewhere safe and offline.\n", l.codesFile)
	for {
		l.printf("Type one of the codes back, to show they are saved: ")
		line, err := l.in.read(l.ctx, false)
		if err != nil {
			return l.inputError(err, "a recovery code was typed back")
		}
		if typed := recovery.Normalize(line); typed != "" {
			for _, c := range codes {
				if recovery.Normalize(c) == typed {
					l.printf("Thank you: the recovery codes are saved.\n")
					return nil
				}
			}
		}
		l.printf("That is not one of the codes. Check the file %s and try again.\n", l.codesFile)
	}
}

// saveCodes writes the codes to the chosen file, asking before replacing
// an existing one and asking for another path when it cannot be written.
func (l *lines) saveCodes(pathQ *Question, user string, codes []string) error {
	for {
		path := l.st.Answers.RecoveryCodesOut
		if path == "" {
			if err := l.ask(pathQ); err != nil {
				return err
			}
			continue
		}
		// What a killed run left at path is settled by the write; a
		// file this run wrote is its own to replace without asking.
		f, err := l.run.WriteCodes(path, user, codes, l.o.Now(), l.codesWritten.has(path))
		if errors.Is(err, os.ErrExist) {
			replace, err := l.yesNo(path+" already exists. Replace it?", false, "replacing "+path+" was confirmed or refused")
			if err != nil {
				return err
			}
			if replace {
				f, err = l.run.WriteCodes(path, user, codes, l.o.Now(), true)
			} else {
				err = errors.New("choose another file")
			}
			if err == nil {
				l.keepCodesFile(f)
				return nil
			}
			l.printf("The codes were not saved: %v.\n", err)
		} else if err != nil {
			l.printf("The codes cannot be saved to %s: %v.\n", path, err)
		} else {
			l.keepCodesFile(f)
			return nil
		}
		if err := l.ask(pathQ); err != nil {
			return err
		}
	}
}

// keepCodesFile remembers the codes file this run wrote (codesFiles).
func (l *lines) keepCodesFile(f *recovery.CodesFile) {
	l.codesWritten.add(f)
	l.codesFile = f.Path
}

// refreshCodesFile rewrites the codes file when the admin's username was
// changed after the codes were saved, so the file names the right account.
func (l *lines) refreshCodesFile() error {
	if l.codes == nil || l.st.Answers.SMTP.Enabled {
		return nil
	}
	if user := l.st.Answers.Users.Admin.Username; user != l.codesUser {
		if f := l.codesWritten.at(l.codesFile); f != nil {
			if err := f.Rewrite(user, l.codes, l.o.Now()); err != nil {
				return fmt.Errorf("rewrite %s: %w", l.codesFile, err)
			}
		}
		l.codesUser = user
	}
	return nil
}

// groupCode shows a code in groups of four for reading, unless it is
// grouped already.
func groupCode(c string) string {
	if strings.ContainsAny(c, "- ") || len(c) <= 4 {
		return c
	}
	var b strings.Builder
	for i, r := range c {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteRune(r)
	}
	return b.String()
}
