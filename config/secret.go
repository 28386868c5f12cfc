package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"sitecfg/internal/fileread"
)

// Secret is a secret value together with the reference it came from, if
// any. The site config stores the reference (${NAME} or file:PATH) when
// there is one, so the secret itself never lands on disk twice.
type Secret struct {
	// Value is the resolved secret. Never print it.
	Value string
	// Ref is "${NAME}" or "file:/abs/path" when the value came from one.
	Ref string
}

// String masks the secret so it cannot leak through %v or %s.
func (s Secret) String() string {
	switch {
	case s.Ref != "":
		return s.Ref
	case s.Value != "":
		return "********"
	default:
		return ""
	}
}

// GoString masks the secret for %#v as well.
func (s Secret) GoString() string { return fmt.Sprintf("config.Secret{%q}", s.String()) }

// IsZero reports whether there is neither a value nor a reference (used by
// the YAML encoder's omitempty).
func (s Secret) IsZero() bool { return s.Value == "" && s.Ref == "" }

// Stored is what the site config holds for this secret: the reference if
// there is one, else the value.
func (s Secret) Stored() string {
	if s.Ref != "" {
		return s.Ref
	}
	return s.Value
}

// MarshalYAML writes the reference if there is one, else the value.
func (s Secret) MarshalYAML() (any, error) { return s.Stored(), nil }

// envRef returns NAME when s is exactly ${NAME}, NAME being a letter or
// '_' followed by letters, digits and '_'.
func envRef(s string) (string, bool) {
	if len(s) < 4 || !strings.HasPrefix(s, "${") || !strings.HasSuffix(s, "}") {
		return "", false
	}
	name := s[2 : len(s)-1]
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c != '_' && !isAlnum(c) || i == 0 && '0' <= c && c <= '9' {
			return "", false
		}
	}
	return name, true
}

// IsRef reports whether s is an ${ENV} or file: reference.
func IsRef(s string) bool {
	_, env := envRef(s)
	return env || strings.HasPrefix(s, "file:")
}

// Resolve expands an ${ENV} or file:PATH reference. A relative file path is
// taken relative to baseDir. It returns the value, the reference to store
// (file paths made absolute; "" when s was a literal) and an error naming
// what is missing.
func Resolve(s, baseDir string) (value, ref string, err error) {
	if name, ok := envRef(s); ok {
		v, ok := os.LookupEnv(name)
		if !ok {
			return "", s, fmt.Errorf("environment variable %s is not set", name)
		}
		if len(v) > fileread.Secret {
			return "", s, fmt.Errorf("environment variable %s holds %d bytes: a value may have at most %s", name, len(v), fileread.Size(fileread.Secret))
		}
		return v, s, nil
	}
	if p, ok := strings.CutPrefix(s, "file:"); ok {
		if p == "" {
			return "", s, fmt.Errorf("file: reference names no file")
		}
		if !filepath.IsAbs(p) && baseDir != "" {
			p = filepath.Join(baseDir, p)
		}
		b, err := fileread.Regular(p, fileread.Secret)
		if err != nil {
			return "", s, fmt.Errorf("cannot read %s: %v", p, readError(err))
		}
		v := strings.TrimSuffix(string(b), "\n")
		v = strings.TrimSuffix(v, "\r")
		return v, "file:" + p, nil
	}
	return s, "", nil
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// readError is why fileread could not read a file, without the path the
// caller names itself.
func readError(err error) error {
	switch {
	case errors.Is(err, fileread.ErrNotRegular):
		return errors.New("not a regular file (a FIFO, a device or a folder cannot be read here)")
	case errors.Is(err, fileread.ErrTooLarge):
		return err
	}
	return unwrapPathError(err)
}
