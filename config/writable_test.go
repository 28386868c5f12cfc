package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWritableFolder(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "a-file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink(filepath.Join(dir, "gone", "site.yaml"), link); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, path, want string
	}{
		{"a folder that exists", filepath.Join(dir, "site.yaml"), ""},
		{"a missing folder", filepath.Join(dir, "missing", "site.yaml"), "the folder " + filepath.Join(dir, "missing") + " does not exist"},
		{"a file where the folder should be", filepath.Join(file, "site.yaml"), file + " is not a folder"},
		{"a link into a missing folder: the real file's folder counts", link, "the folder " + filepath.Join(dir, "gone") + " does not exist"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := WritableFolder(tt.path)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, ErrNotWritable) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "cannot save "+tt.path) {
				t.Fatalf("err = %v, want one saying %q", err, tt.want)
			}
		})
	}
}
