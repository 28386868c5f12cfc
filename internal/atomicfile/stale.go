package atomicfile

import (
	"os"
	"path/filepath"
	"time"
)

// RemoveStaleOlder deletes the temporary files of path last changed more
// than age ago: those of a killed writer, for files no lock serialises
// (a metrics textfile, a support bundle). A live writer's file is a few
// milliseconds old and is left alone.
func RemoveStaleOlder(path string, age time.Duration) {
	dir := filepath.Dir(path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !IsTemp(path, e.Name()) {
			continue
		}
		if fi, err := e.Info(); err == nil && fi.Mode().IsRegular() && time.Since(fi.ModTime()) > age {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
