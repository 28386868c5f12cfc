// Command gencommon writes recovery/commonpasswords/passwords.txt from the
// "passwords" frequency list of the npm package zxcvbn (MIT licence).
//
// Run from the recovery folder (go generate does this):
//
//	go run ./internal/gencommon                    # npm pack zxcvbn@4.4.2
//	go run ./internal/gencommon -tgz zxcvbn-4.4.2.tgz
//
// It keeps the list's order (most common first), lower-cases each entry,
// drops empty lines and repeats, and writes one entry per line.
package main

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

const (
	pkg    = "zxcvbn@4.4.2"
	member = "package/lib/frequency_lists.js"
	marker = `passwords: "`
)

func main() {
	tgz := flag.String("tgz", "", "zxcvbn npm tarball (default: npm pack "+pkg+")")
	out := flag.String("out", "commonpasswords/passwords.txt", "file to write")
	flag.Parse()
	if err := run(*tgz, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gencommon:", err)
		os.Exit(1)
	}
}

func run(tgz, out string) error {
	if tgz == "" {
		dir, err := os.MkdirTemp("", "gencommon")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		cmd := exec.Command("npm", "pack", pkg, "--pack-destination", dir)
		cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("npm pack %s: %w", pkg, err)
		}
		tgz = filepath.Join(dir, "zxcvbn-4.4.2.tgz")
	}
	js, err := readMember(tgz, member)
	if err != nil {
		return err
	}
	_, rest, ok := strings.Cut(js, marker)
	if !ok {
		return fmt.Errorf("%s: no %q", member, marker)
	}
	list, err := unquote(rest)
	if err != nil {
		return fmt.Errorf("%s: %w", member, err)
	}
	var b strings.Builder
	seen := map[string]bool{}
	for _, w := range strings.Split(list, ",") {
		w = strings.ToLower(strings.TrimSpace(w))
		if w == "" || seen[w] {
			continue
		}
		seen[w] = true
		b.WriteString(w + "\n")
	}
	fmt.Fprintf(os.Stderr, "gencommon: %d entries\n", len(seen))
	return os.WriteFile(out, []byte(b.String()), 0o644)
}

// unquote reads a JavaScript string literal's body up to its closing quote.
// The list escapes only quotes and backslashes, so a backslash stands for
// the character after it.
func unquote(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			return b.String(), nil
		case '\\':
			i++
			if i == len(s) {
				return "", errors.New("unterminated password list")
			}
		}
		b.WriteByte(s[i])
	}
	return "", errors.New("unterminated password list")
}

func readMember(tgz, name string) (string, error) {
	f, err := os.Open(tgz)
	if err != nil {
		return "", err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return "", fmt.Errorf("%s: %w", tgz, err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return "", fmt.Errorf("%s: no %s", tgz, name)
		}
		if err != nil {
			return "", fmt.Errorf("%s: %w", tgz, err)
		}
		if h.Name == name {
			data, err := io.ReadAll(tr)
			return string(data), err
		}
	}
}
