package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// plainYAML refuses what the site-config file never holds but a hand
// edit can slip in: an anchor (&), an alias (*) or a tag (!) on any node.
// Each is often a secret typed without quotes (password: *Relay-Pass),
// which YAML would otherwise echo in an error or silently turn into an
// empty value. The error names the field, never the text.
func plainYAML(n *yaml.Node, path string) error {
	what := path
	if what == "" {
		what = "the file"
	}
	switch {
	case n.Kind == yaml.AliasNode:
		return fmt.Errorf("%s: starts with *, which YAML reads as an alias: put the value in quotes", what)
	case n.Anchor != "":
		return fmt.Errorf("%s: starts with &, which YAML reads as an anchor: put the value in quotes", what)
	case n.Style&yaml.TaggedStyle != 0 && n.Tag != "!!str" && n.Tag != "!!binary":
		return fmt.Errorf("%s: starts with !, which YAML reads as a tag: put the value in quotes", what)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			if err := plainYAML(c, path); err != nil {
				return err
			}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if err := plainYAML(k, path); err != nil {
				return err
			}
			if err := plainYAML(n.Content[i+1], join(path, k.Value)); err != nil {
				return err
			}
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			if err := plainYAML(c, path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
	}
	return nil
}

// yamlError is a YAML decoding error without any text it quotes from the
// file (a value of the wrong type may be a secret).
func yamlError(err error) error {
	return errors.New(yamlQuoted().ReplaceAllString(yamlMessage(err), "(…)"))
}

// parseError is a YAML syntax error without any text it quotes from the
// file, naming the field where the parser stopped when the line shows it
// (an alias to no anchor, password: *Relay-Pass, fails at parsing).
func parseError(data []byte, err error) error {
	msg := yamlMessage(err)
	if strings.Contains(err.Error(), "unknown anchor") {
		// The parser names neither the line nor the key: the first value
		// that starts with * is the one.
		for i, l := range strings.Split(string(data), "\n") {
			if _, v, ok := strings.Cut(l, ":"); ok && strings.HasPrefix(strings.TrimSpace(v), "*") {
				if f := fieldAtLine(data, i+1); f != "" {
					return fmt.Errorf("%s: line %d: a value starts with *, which YAML reads as an alias: put the value in quotes", f, i+1)
				}
			}
		}
	}
	if m := yamlLineRE().FindStringSubmatch(err.Error()); m != nil {
		if n, _ := strconv.Atoi(m[1]); n > 0 {
			if f := fieldAtLine(data, n); f != "" {
				return fmt.Errorf("%s: %s", f, msg)
			}
		}
	}
	return errors.New(msg)
}

// fieldAtLine is the dotted path of the block-mapping key on line n (from
// 1) of data, found from the indentation of the lines above it; "" when
// the line holds no key.
func fieldAtLine(data []byte, n int) string {
	lines := strings.Split(string(data), "\n")
	if n > len(lines) {
		return ""
	}
	key := func(l string) (string, int, bool) {
		t := strings.TrimLeft(l, " ")
		k, _, ok := strings.Cut(t, ":")
		if !ok || k == "" || strings.ContainsAny(k, " #'\"{}[]&*!|>%@`") {
			return "", 0, false
		}
		return k, len(l) - len(t), true
	}
	k, indent, ok := key(lines[n-1])
	if !ok {
		return ""
	}
	path := k
	for i := n - 2; i >= 0 && indent > 0; i-- {
		if pk, pi, ok := key(lines[i]); ok && pi < indent {
			path, indent = pk+"."+path, pi
		}
	}
	return path
}
