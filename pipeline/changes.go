package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"go.yaml.in/yaml/v3"

	"sitecfg/config"
)

// ChangeKind says how the write changes one value of the saved file.
type ChangeKind string

// Change kinds.
const (
	Added   ChangeKind = "added"
	Changed ChangeKind = "changed"
	Removed ChangeKind = "removed"
)

// Masks the review shows instead of a secret, a hash or a code.
const (
	MaskStored = "••••"
	MaskNew    = "•••• (new)"
)

// Change is one difference between the saved file and what the write
// will put there, by field path of the site config. Secrets, hashes and
// codes are masked in Old and New.
type Change struct {
	Field string
	Kind  ChangeKind
	Old   string
	New   string
}

// Changes lists every difference the write of prepared answers makes to
// the file as this run read it — values on the form, and also values the
// write changes by itself: normalisation (an address lower-cased, a
// Microsoft 365 port set to 587) and migration from an older layout (the
// old keys removed, the new ones added). The order is the file's. On a
// first deploy there is nothing to compare with and Changes returns nil.
// newCodes says whether the write issues new recovery codes.
func (r *Run) Changes(a *config.Answers, newCodes bool) []Change {
	before := r.before()
	if before == nil {
		return nil
	}
	c := copyAnswers(a)
	c.KeepStored(r.Prev)
	site := c.Build(r.Prev, r.now(), "")
	after := flattenSite(site)
	// What Commit adds that Build leaves out: new password hashes and
	// new recovery codes.
	if !c.SMTP.Enabled {
		for role, u := range map[string]config.UserAnswer{"admin": c.Users.Admin, "support": c.Users.Support} {
			if u.Password.Value != "" {
				after.setSecret("users."+role+".password_hash", "new")
			}
		}
		if newCodes {
			after.setSecret("users.admin.recovery_codes", "new")
		}
	}
	var out []Change
	for _, k := range after.keys {
		nv, ncmp := after.vals[k], after.cmp[k]
		ov, had := before.vals[k]
		if config.IsSecretField(k) && nv != "" {
			nv = MaskNew
		}
		switch {
		case !had && nv != "":
			out = append(out, Change{Field: k, Kind: Added, New: nv})
		case had && nv == "" && ov != "":
			out = append(out, Change{Field: k, Kind: Removed, Old: ov})
		case had && before.cmp[k] != ncmp:
			out = append(out, Change{Field: k, Kind: Changed, Old: ov, New: nv})
		}
	}
	for _, k := range before.keys {
		if _, has := after.vals[k]; !has && before.vals[k] != "" {
			out = append(out, Change{Field: k, Kind: Removed, Old: before.vals[k]})
		}
	}
	return out
}

// before is the saved file flattened: the file as read (so that a
// migration shows), or, for a run started from a config the caller
// holds, that config.
func (r *Run) before() *flat {
	if r.read != nil {
		var doc yaml.Node
		if yaml.Unmarshal(r.read, &doc) == nil && len(doc.Content) > 0 {
			f := newFlat()
			f.walk("", doc.Content[0])
			return f
		}
	}
	if r.Prev == nil {
		return nil
	}
	return flattenSite(r.Prev)
}

func flattenSite(s *config.Site) *flat {
	f := newFlat()
	data, err := config.Marshal(s)
	if err != nil {
		return f
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) == nil && len(doc.Content) > 0 {
		f.walk("", doc.Content[0])
	}
	return f
}

// flat is a YAML document as field path → shown value, in document
// order. cmp holds what is compared: the value itself, or for a secret a
// digest of it, so that the review knows a secret changed without
// holding it.
type flat struct {
	keys []string
	vals map[string]string
	cmp  map[string]string
}

func newFlat() *flat { return &flat{vals: map[string]string{}, cmp: map[string]string{}} }

func (f *flat) set(k, v string) {
	if _, ok := f.vals[k]; !ok {
		f.keys = append(f.keys, k)
	}
	f.vals[k], f.cmp[k] = v, v
}

// setSecret records a secret: shown masked, compared by digest.
func (f *flat) setSecret(k, v string) {
	f.set(k, MaskStored)
	sum := sha256.Sum256([]byte(v))
	f.cmp[k] = hex.EncodeToString(sum[:])
}

func (f *flat) walk(path string, n *yaml.Node) {
	if path == "written" || strings.HasPrefix(path, "written.") {
		return // the stamp changes with every write
	}
	switch {
	case config.IsSecretField(path):
		if isEmpty(n) {
			f.set(path, "")
		} else {
			f.setSecret(path, strings.Join(append([]string{n.Value}, values(n)...), "\x00"))
		}
	case n.Kind == yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if path != "" {
				k = path + "." + k
			}
			f.walk(k, n.Content[i+1])
		}
	case n.Kind == yaml.SequenceNode:
		var items []string
		for _, c := range n.Content {
			items = append(items, c.Value)
		}
		f.set(path, strings.Join(items, ", "))
	default:
		f.set(path, n.Value)
	}
}

func values(n *yaml.Node) []string {
	var out []string
	for _, c := range n.Content {
		out = append(out, c.Value)
	}
	return out
}

func isEmpty(n *yaml.Node) bool {
	return (n.Kind == yaml.ScalarNode && n.Value == "") || (n.Kind == yaml.SequenceNode && len(n.Content) == 0)
}

func copyAnswers(a *config.Answers) *config.Answers {
	c := *a
	c.SMTP.DefaultRecipients = append([]string(nil), a.SMTP.DefaultRecipients...)
	if a.SMTP.OAuth != nil {
		o := *a.SMTP.OAuth
		c.SMTP.OAuth = &o
	}
	c.Pos = nil
	return &c
}
