package config

import "fmt"

// BecameReferences says, one sentence per SMTP secret, where the saved
// config prev stored the secret itself and the answers' section next
// gives a reference instead: from then on the secret lives in the
// environment variable or file the reference names, and every run that
// reads the config (check, the daily timer, the wizard) needs it there.
// Nothing when prev is nil.
func BecameReferences(prev *Site, next *SMTP) []string {
	if prev == nil || !prev.SMTP.Enabled || !next.Enabled {
		return nil
	}
	var out []string
	for _, f := range secretFields {
		if f.in == nil {
			continue
		}
		old, cur := f.in(&prev.SMTP), f.in(next)
		if old == nil || cur == nil || old.Ref != "" || old.Value == "" || cur.Ref == "" {
			continue
		}
		where := "the environment variable " + cur.Ref[2:len(cur.Ref)-1]
		if key, val := refKey(cur.Ref); key == "file" {
			where = "the file " + val
		}
		out = append(out, fmt.Sprintf("%s: the saved config held the secret itself; it now holds the reference %s, "+
			"so every run that reads the config (check, its daily timer, the wizard) needs %s: set it there, "+
			"or give the value itself in the answers to keep storing it", f.path, cur.Ref, where))
	}
	return out
}

// UnresolvedRef is the reference the saved config prev holds for the
// secret at field ("smtp.password", …) when it did not resolve here
// (ResolveSecrets left no value): a front end must ask for the secret
// rather than keep it. "" otherwise.
func UnresolvedRef(prev *Site, field string) string {
	f, ok := secretFieldAt(field)
	if prev == nil || !ok || f.in == nil {
		return ""
	}
	if p := f.in(&prev.SMTP); p != nil && p.Ref != "" && p.Value == "" {
		return p.Ref
	}
	return ""
}
