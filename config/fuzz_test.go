package config

import (
	"testing"
	"time"
)

// FuzzAnswers feeds arbitrary bytes through answers parsing and every rule:
// nothing may panic, and every problem must say something.
func FuzzAnswers(f *testing.F) {
	for _, seed := range []string{basicOn, msOn, oauth2On, usersOff, "", "version: 1", "smtp: [", "a: *b", "? [a]\n: b\n"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, ps := ParseAnswers(data, "")
		if a == nil {
			t.Fatal("nil answers")
		}
		a.ApplyDefaults()
		ps = append(ps, a.Validate(time.Now())...)
		for _, p := range ps {
			if p.Message == "" || p.Line < 0 || p.Column < 0 {
				t.Fatalf("malformed problem: %#v", p)
			}
		}
		// A config built from answers that pass must encode and decode.
		if !ps.HasErrors() {
			site := a.Build(nil, fixedNow, "fuzz")
			b, err := Marshal(site)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := Parse(b); err != nil {
				t.Fatalf("written config does not load: %v\n%s", err, b)
			}
		}
	})
}
