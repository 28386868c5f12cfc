package config

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// maxFilesNamingAMethod is how many production files outside the method
// units may name a particular auth method. Everything that differs by
// method is a property of the method (config/method_*.go,
// smtpauth/method_*.go, wizard/questions_*.go, package microsoft):
// callers ask the method, they do not compare it with a constant. Do not
// raise this to let a new check in; give the method the property.
const maxFilesNamingAMethod = 6

// namesAMethod matches code that singles out one method: the method
// constants of config and smtpauth, the answers-file spellings as string
// literals, and "is it Microsoft?" flags.
var namesAMethod = regexp.MustCompile(`\b(Auth|Method)(None|Basic|Microsoft|OAuth2|Delegated)\b` +
	`|"(microsoft-oauth|microsoft-delegated|oauth2|basic)"` +
	`|\b[iI]s_?[mM]icrosoft\b|\bmicrosoft bool\b`)

// methodUnit reports whether path (slash-separated, from the module root)
// is one of the places where a method's own code lives.
func methodUnit(path string) bool {
	for _, p := range []string{"config/method", "smtpauth/method", "wizard/questions_", "microsoft/"} {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// TestFilesNamingAMethod keeps adding an auth method a matter of its own
// units and a line in each layer's registry: it fails when more than
// maxFilesNamingAMethod production files elsewhere name a method.
func TestFilesNamingAMethod(t *testing.T) {
	var found []string
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); n == "testdata" || (strings.HasPrefix(n, ".") && n != "..") {
				return filepath.SkipDir
			}
			return nil
		}
		rel := filepath.ToSlash(strings.TrimPrefix(path, ".."+string(filepath.Separator)))
		if !strings.HasSuffix(rel, ".go") || strings.HasSuffix(rel, "_test.go") || methodUnit(rel) {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if namesAMethod.Match(b) {
			found = append(found, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d files outside the method units name a method: %s", len(found), strings.Join(found, " "))
	if len(found) > maxFilesNamingAMethod {
		t.Errorf("%d production files outside the method units name a particular auth method (at most %d): %s\n"+
			"make what differs a property of the method instead of asking which one it is",
			len(found), maxFilesNamingAMethod, strings.Join(found, " "))
	}
}
