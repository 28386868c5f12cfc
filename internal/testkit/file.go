package testkit

import (
	"errors"
	"io/fs"
	"os"
	"testing"
)

// ReadOr is a file's content, or "<none>" when it does not exist; any
// other error fails the test.
func ReadOr(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "<none>"
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
