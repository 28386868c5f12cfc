package main

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every command that needs a saved config maps the same failures to the
// same exit codes and words.
func TestLoadConfig(t *testing.T) {
	dir := t.TempDir()
	legacy, err := os.ReadFile(filepath.Join("testdata", "legacy", "pre-notifier-local.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name     string
		path     string
		code     int
		msg      string
		notExist bool
	}{
		{"readable", write("ok.yaml", string(legacy)), exitOK, "", false},
		{"missing", filepath.Join(dir, "none.yaml"), exitIO, "run sitecfg (or sitecfg apply) first", true},
		{"not YAML", write("bad.yaml", "version: [1\n"), exitInvalid, "bad.yaml", false},
		{"newer schema", write("new.yaml", "version: 99\n"), exitInvalid, "newer", false},
		{"a folder", dir, exitIO, "read the configuration", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site, _, err := loadConfig(tt.path)
			if got := exitCode(err); got != tt.code {
				t.Fatalf("exit code %d, want %d (err %v)", got, tt.code, err)
			}
			if err == nil {
				if site == nil {
					t.Fatal("no site and no error")
				}
				return
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q lacks %q", err, tt.msg)
			}
			if errors.Is(err, fs.ErrNotExist) != tt.notExist {
				t.Errorf("errors.Is(err, fs.ErrNotExist) = %v, want %v", !tt.notExist, tt.notExist)
			}
		})
	}
}
