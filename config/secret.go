package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"sitecfg/internal/fileread"
)

// Secret is a secret value together with the reference it came from, if
// any. The site config stores the reference ({env: NAME} or {file: PATH},
// see MarshalYAML) when there is one, so the secret itself never lands on
// disk twice.
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

// MarshalYAML writes the site-config form: a reference as a one-key
// mapping, {env: NAME} or {file: PATH}; a value as a plain string, which
// is always literal, whatever it looks like (a typed password may start
// with file:).
func (s Secret) MarshalYAML() (any, error) {
	key, val := refKey(s.Ref)
	if key == "" {
		return s.Value, nil
	}
	return &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle, Content: []*yaml.Node{
		{Kind: yaml.ScalarNode, Tag: "!!str", Value: key},
		{Kind: yaml.ScalarNode, Tag: "!!str", Value: val},
	}}, nil
}

// refKey splits a reference into its site-config mapping's key and value:
// ("env", NAME) or ("file", PATH); ("", "") when ref is none.
func refKey(ref string) (key, val string) {
	if name, ok := envRef(ref); ok {
		return "env", name
	}
	if p, ok := strings.CutPrefix(ref, "file:"); ok {
		return "file", p
	}
	return "", ""
}

// UnmarshalYAML reads a stored secret: a plain string is the value
// itself, always; a one-key mapping {env: NAME} or {file: PATH} is a
// reference, resolved only when needed (see ResolveSecrets). No error
// quotes the text, which may be the secret.
func (s *Secret) UnmarshalYAML(n *yaml.Node) error {
	const form = "must be a plain value or a reference, {env: NAME} or {file: PATH}"
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			*s = Secret{}
			return nil
		}
		var v string
		if err := n.Decode(&v); err != nil {
			return fmt.Errorf("line %d: %s", n.Line, form)
		}
		*s = Secret{Value: v}
		return nil
	case yaml.MappingNode:
		if len(n.Content) != 2 || n.Content[1].Kind != yaml.ScalarNode {
			break
		}
		v := n.Content[1].Value
		switch n.Content[0].Value {
		case "env":
			if _, ok := envRef("${" + v + "}"); !ok {
				return fmt.Errorf("line %d: env: must name an environment variable (letters, digits and _)", n.Line)
			}
			*s = Secret{Ref: "${" + v + "}"}
			return nil
		case "file":
			if v == "" {
				return fmt.Errorf("line %d: file: names no file", n.Line)
			}
			*s = Secret{Ref: "file:" + v}
			return nil
		}
	}
	return fmt.Errorf("line %d: %s", n.Line, form)
}

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
