package config

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"sitecfg/internal/fileread"
)

// LoadAnswers reads and parses an answers file. The error is only for a
// file that cannot be read; everything wrong inside it is in Problems.
// Relative file: references are taken relative to the answers file.
func LoadAnswers(path string) (*Answers, Problems, error) {
	data, err := fileread.Regular(path, fileread.Answers)
	if err != nil {
		return nil, nil, fmt.Errorf("read answers file: %w", err)
	}
	abs, _ := filepath.Abs(path)
	a, ps := ParseAnswers(data, filepath.Dir(abs))
	return a, ps, nil
}

// ParseAnswers parses answers-file YAML. It reports every problem it can
// find at once: unknown keys (with a "did you mean"), wrong types,
// unresolvable ${ENV} and file: references — each with its field path and
// line:column. The returned Answers is never nil. It does not apply the
// rules (see Validate).
func ParseAnswers(data []byte, baseDir string) (*Answers, Problems) {
	a := &Answers{Pos: map[string]Pos{}, hidden: hidden{}}
	d := &decoder{ps: &problemSet{pos: a.Pos}, baseDir: baseDir, hidden: a.hidden}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		p := Problem{Message: "not valid YAML: " + yamlMessage(err), Severity: SeverityError}
		if m := yamlLineRE().FindStringSubmatch(err.Error()); m != nil {
			p.Line, _ = strconv.Atoi(m[1])
			p.Column = 1
		}
		return a, Problems{p}
	}
	if len(doc.Content) == 0 {
		d.ps.errorf("", "the answers file is empty")
		return a, d.ps.list
	}
	root := doc.Content[0]
	seenSMTP := false
	d.mapping(root, "", fields{
		"version": func(p string, n *yaml.Node) { a.Version = d.int(p, n) },
		"smtp": func(p string, n *yaml.Node) {
			seenSMTP = true
			d.smtp(p, n, &a.SMTP)
		},
		"emails": func(p string, n *yaml.Node) {
			d.mapping(n, p, fields{
				"ui_admin":       func(p string, n *yaml.Node) { a.Emails.UIAdmin = d.str(p, n) },
				"ui_support":     func(p string, n *yaml.Node) { a.Emails.UISupport = d.str(p, n) },
				"admiral_alerts": func(p string, n *yaml.Node) { a.Emails.AdmiralAlerts = d.str(p, n) },
			})
		},
		"users": func(p string, n *yaml.Node) {
			d.mapping(n, p, fields{
				"admin":   func(p string, n *yaml.Node) { d.user(p, n, &a.Users.Admin) },
				"support": func(p string, n *yaml.Node) { d.user(p, n, &a.Users.Support) },
			})
		},
		"recovery_codes_out": func(p string, n *yaml.Node) { a.RecoveryCodesOut = d.path(p, n) },
	})
	if root.Kind == yaml.MappingNode {
		if _, ok := a.Pos["version"]; !ok {
			d.ps.errorf("version", "missing: the answers file must start with version: %d", Version)
		}
		if !seenSMTP {
			d.ps.errorf("smtp", "missing: the answers file needs an smtp section with at least enabled: true or false")
		} else if _, ok := a.Pos["smtp.enabled"]; !ok {
			d.ps.errorf("smtp.enabled", "missing: say enabled: true or enabled: false")
		}
		if !a.SMTP.Enabled {
			for _, f := range []string{"emails", "smtp.server", "smtp.auth", "smtp.from"} {
				if _, ok := a.Pos[f]; ok {
					d.ps.warnf(f, "ignored: SMTP is off, so no email or SMTP setting is written")
				}
			}
		} else if _, ok := a.Pos["users"]; ok {
			d.ps.warnf("users", "ignored: with SMTP on, the UI users are managed by email")
		}
	}
	return a, a.hidden.scrub(d.ps.done())
}

// The patterns for YAML errors are compiled when there is one, not on
// every start.
var yamlLineRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`line (\d+)`) })

// yamlQuoted is text a YAML error quotes from the file (an anchor's
// name, a tag): it may be a secret typed without quotes.
var yamlQuoted = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile("'[^']*'|`[^`]*`|\"[^\"]*\"") })

// yamlMessage is a YAML syntax error without anything it quotes from the
// file: `password: *Relay-Pass` is an alias to an unknown anchor, and the
// parser's message would print the password.
func yamlMessage(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if strings.Contains(msg, "unknown anchor") {
		line := ""
		if m := yamlLineRE().FindStringSubmatch(msg); m != nil {
			line = "line " + m[1] + ": "
		}
		return line + "a value starts with *, which YAML reads as an alias: put the value in quotes"
	}
	return yamlQuoted().ReplaceAllString(msg, "(…)")
}

type fields map[string]func(path string, n *yaml.Node)

type decoder struct {
	ps      *problemSet
	baseDir string
	hidden  hidden
}

func join(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

func (d *decoder) at(path string, n *yaml.Node) {
	d.ps.pos[path] = Pos{n.Line, n.Column}
}

// mapping walks a YAML mapping, dispatching known keys and reporting
// unknown and repeated ones.
func (d *decoder) mapping(n *yaml.Node, path string, fs fields) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.at(path, n)
		what := path
		if what == "" {
			what = "the answers file"
		}
		d.ps.errorf(path, "%s must be a mapping of keys to values", what)
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		p := join(path, k.Value)
		d.ps.pos[p] = Pos{k.Line, k.Column}
		fn, ok := fs[k.Value]
		switch {
		case !ok && d.ps.full():
			d.ps.dropped++ // no "did you mean" for what is not listed
		case !ok:
			d.ps.errorf(p, "unknown key %q%s", k.Value, didYouMean(k.Value, fs))
		case seen[k.Value]:
			d.ps.errorf(p, "%q is given twice", k.Value)
		default:
			seen[k.Value] = true
			fn(p, v)
		}
	}
}

// scalar returns a scalar's text with ${ENV} and file: references
// resolved, and the reference itself.
func (d *decoder) scalar(path string, n *yaml.Node) (value, ref string, ok bool) {
	// A value YAML takes for an alias, an anchor or a tag is refused
	// without being quoted back: it is often a secret typed without
	// quotes (password: *Relay-Pass), which would otherwise be echoed,
	// or silently become empty.
	switch {
	case n.Kind == yaml.AliasNode:
		d.ps.errorf(path, "starts with *, which YAML reads as an alias: put the value in quotes")
		return "", "", false
	case n.Kind != yaml.ScalarNode:
		d.ps.errorf(path, "must be a single value, not a list or mapping")
		return "", "", false
	case n.Anchor != "":
		d.ps.errorf(path, "starts with &, which YAML reads as an anchor: put the value in quotes")
		return "", "", false
	case n.Tag != "" && !strings.HasPrefix(n.Tag, "!!"):
		d.ps.errorf(path, "starts with !, which YAML reads as a tag: put the value in quotes")
		return "", "", false
	case n.Tag == "!!null":
		return "", "", true
	}
	v, ref, err := Resolve(n.Value, d.baseDir)
	if err != nil {
		d.ps.errorf(path, "%v", err)
		return "", ref, false
	}
	if ref != "" {
		d.hidden.hide(v, ref)
	}
	return v, ref, true
}

func (d *decoder) str(path string, n *yaml.Node) string {
	v, _, _ := d.scalar(path, n)
	return strings.TrimSpace(v)
}

func (d *decoder) secret(path string, n *yaml.Node) Secret {
	v, ref, _ := d.scalar(path, n)
	if ref == "" {
		d.hidden.hide(v, "********")
	}
	return Secret{Value: v, Ref: ref}
}

func (d *decoder) enum(path string, n *yaml.Node) string {
	return strings.ToLower(d.str(path, n))
}

func (d *decoder) int(path string, n *yaml.Node) int {
	v, _, ok := d.scalar(path, n)
	if !ok || v == "" {
		return 0
	}
	i, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		d.ps.errorf(path, "%q is not a whole number", v)
		return -1
	}
	return i
}

func (d *decoder) bool(path string, n *yaml.Node) bool {
	v, _, ok := d.scalar(path, n)
	if !ok {
		return false
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "yes", "on":
		return true
	case "false", "no", "off", "":
		return false
	}
	d.ps.errorf(path, "%q is not true or false", v)
	return false
}

func (d *decoder) smtp(path string, n *yaml.Node, s *SMTP) {
	d.mapping(n, path, fields{
		"enabled":   func(p string, n *yaml.Node) { s.Enabled = d.bool(p, n) },
		"auth":      func(p string, n *yaml.Node) { s.Auth = AuthMethod(d.enum(p, n)) },
		"server":    func(p string, n *yaml.Node) { s.Server = d.str(p, n) },
		"port":      func(p string, n *yaml.Node) { s.Port = d.int(p, n) },
		"security":  func(p string, n *yaml.Node) { s.Security = Security(d.enum(p, n)) },
		"ca_file":   func(p string, n *yaml.Node) { s.CAFile = d.path(p, n) },
		"ehlo_name": func(p string, n *yaml.Node) { s.EHLOName = d.str(p, n) },
		"username":  func(p string, n *yaml.Node) { s.Username = d.str(p, n) },
		"password":  func(p string, n *yaml.Node) { s.Password = d.secret(p, n) },
		"from":      func(p string, n *yaml.Node) { s.From = d.str(p, n) },
		"default_recipients": func(p string, n *yaml.Node) {
			s.DefaultRecipients = d.recipients(p, n)
		},
		"oauth": func(p string, n *yaml.Node) {
			s.OAuth = &OAuth{}
			d.oauth(p, n, s.OAuth)
		},
	})
}

// path resolves a file path relative to the answers file.
func (d *decoder) path(p string, n *yaml.Node) string {
	v := d.str(p, n)
	if v != "" && !filepath.IsAbs(v) && d.baseDir != "" {
		v = filepath.Join(d.baseDir, v)
	}
	return v
}

// filePath is a field that names a file: a plain path, file:PATH (the
// same path, for symmetry with secrets) or ${ENV} holding the path. The
// file is not read here; a relative path is taken relative to the answers
// file.
func (d *decoder) filePath(p string, n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(n.Value), "file:"); ok {
			if rest == "" {
				d.ps.errorf(p, "file: reference names no file")
				return ""
			}
			c := *n
			c.Value = rest
			n = &c
		}
	}
	v := d.path(p, n)
	if strings.Contains(v, "-----BEGIN") {
		d.ps.errorf(p, "give the path of the PEM file, not its contents")
		return ""
	}
	return v
}

func (d *decoder) oauth(path string, n *yaml.Node, o *OAuth) {
	d.mapping(n, path, fields{
		"cloud":                 func(p string, n *yaml.Node) { o.Cloud = Cloud(d.enum(p, n)) },
		"tenant_id":             func(p string, n *yaml.Node) { o.TenantID = d.str(p, n) },
		"client_id":             func(p string, n *yaml.Node) { o.ClientID = d.str(p, n) },
		"client_secret":         func(p string, n *yaml.Node) { o.ClientSecret = d.secret(p, n) },
		"client_secret_expires": func(p string, n *yaml.Node) { o.ClientSecretExpires = d.str(p, n) },
		"client_certificate":    func(p string, n *yaml.Node) { o.ClientCertificate = d.filePath(p, n) },
		"refresh_token":         func(p string, n *yaml.Node) { o.RefreshToken = d.secret(p, n) },
		"refresh_token_expires": func(p string, n *yaml.Node) { o.RefreshTokenExpires = d.str(p, n) },
		"token_url":             func(p string, n *yaml.Node) { o.TokenURL = d.str(p, n) },
		"scope":                 func(p string, n *yaml.Node) { o.Scope = d.str(p, n) },
		"mechanism":             func(p string, n *yaml.Node) { o.Mechanism = Mechanism(d.enum(p, n)) },
	})
}

func (d *decoder) user(path string, n *yaml.Node, u *UserAnswer) {
	d.mapping(n, path, fields{
		"username": func(p string, n *yaml.Node) { u.Username = d.str(p, n) },
		"password": func(p string, n *yaml.Node) { u.Password = d.secret(p, n) },
	})
}

// recipients accepts a YAML list or a comma-separated string.
func (d *decoder) recipients(path string, n *yaml.Node) []string {
	switch n.Kind {
	case yaml.SequenceNode:
		var out []string
		for i, item := range n.Content {
			p := indexPath(path, i)
			d.at(p, item)
			if v := d.str(p, item); v != "" {
				out = append(out, v)
			}
		}
		return out
	case yaml.ScalarNode:
		var out []string
		for i, a := range ParseRecipients(d.str(path, n)) {
			d.at(indexPath(path, i), n)
			out = append(out, a)
		}
		return out
	}
	d.ps.errorf(path, "must be a list of addresses or a comma-separated string")
	return nil
}

// didYouMean suggests the closest known key.
func didYouMean(key string, fs fields) string {
	best, bestDist := "", 3
	for k := range fs {
		dist := levenshtein(strings.ToLower(key), k)
		if dist < bestDist || (dist == bestDist && k < best) {
			best, bestDist = k, dist
		}
	}
	if best == "" {
		for k := range fs {
			if strings.Contains(k, strings.ToLower(key)) || strings.Contains(strings.ToLower(key), k) {
				best = k
			}
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
