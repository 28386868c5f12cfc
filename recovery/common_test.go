package recovery

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestCommonListFile keeps the embedded file as documented: 30,000
// entries, lower case, one per line, no repeats, at least minCore long.
func TestCommonListFile(t *testing.T) {
	if !strings.HasSuffix(commonList, "\n") {
		t.Error("list does not end with a newline")
	}
	lines := strings.Split(strings.TrimSuffix(commonList, "\n"), "\n")
	if len(lines) != 30000 {
		t.Errorf("list has %d entries, want 30000 (update commonpasswords/README.md and the docs if this changes)", len(lines))
	}
	seen := map[string]bool{}
	for i, w := range lines {
		switch {
		case w != strings.ToLower(w):
			t.Errorf("line %d %q is not lower case", i+1, w)
		case w != strings.TrimSpace(w) || w == "":
			t.Errorf("line %d %q has spaces around it or is empty", i+1, w)
		case utf8.RuneCountInString(w) < minCore:
			t.Errorf("line %d %q is shorter than %d", i+1, w, minCore)
		case seen[w]:
			t.Errorf("line %d %q is repeated", i+1, w)
		}
		seen[w] = true
	}
	if len(common()) != len(lines) {
		t.Errorf("set has %d entries, file %d", len(common()), len(lines))
	}
	for _, w := range []string{"password", "qwerty", "welcome", "p@ssw0rd", "pic's"} {
		if !seen[w] {
			t.Errorf("list lacks %q", w)
		}
	}
}

func TestVariants(t *testing.T) {
	tests := []struct {
		password string
		want     []string // must be among the variants
		not      []string // must not be
	}{
		{"Password1!", []string{"password1!", "password"}, nil},
		{"P@ssw0rd", []string{"p@ssw0rd", "password"}, nil},
		{"#1Welcome", []string{"welcome"}, nil},
		{"He11o-W0rld", []string{"hello-world"}, nil},
		{"Adm1n2024!", []string{"admin"}, nil},
		{"Bob12345!", nil, []string{"bob"}}, // shorter than minCore
	}
	for _, tt := range tests {
		t.Run(tt.password, func(t *testing.T) {
			got := variants(tt.password)
			if got[0] != strings.ToLower(tt.password) {
				t.Errorf("variants(%q)[0] = %q, want the password lower-cased", tt.password, got[0])
			}
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("variants(%q) = %q, lacks %q", tt.password, got, w)
				}
			}
			for _, w := range tt.not {
				if slices.Contains(got, w) {
					t.Errorf("variants(%q) = %q, has %q", tt.password, got, w)
				}
			}
		})
	}
}
