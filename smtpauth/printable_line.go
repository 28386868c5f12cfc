package smtpauth

import "strings"

// PrintableLine is Printable on one line: newlines and tabs are escaped
// as well (\n, \t), so that a value from another trust domain (a
// certificate's name, a SUDO_USER, a hand-edited log line) cannot draw
// lines of its own, such as a forged history entry.
func PrintableLine(s string) string {
	return strings.NewReplacer("\n", `\n`, "\t", `\t`).Replace(Printable(s))
}
