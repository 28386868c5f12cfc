package recovery

import (
	"strings"
	"testing"
)

// newSet makes a set of codes and their hashes with the product's
// CodeParams.
func newSet(t *testing.T) (codes, hashes []string) {
	t.Helper()
	codes, err := Generate(DefaultCount)
	if err != nil {
		t.Fatal(err)
	}
	hashes, err = HashCodes(codes)
	if err != nil {
		t.Fatal(err)
	}
	if len(hashes) != len(codes) {
		t.Fatalf("HashCodes gave %d hashes for %d codes", len(hashes), len(codes))
	}
	return codes, hashes
}

func TestHashCodes(t *testing.T) {
	t.Parallel()
	codes, hashes := newSet(t)
	for i, h := range hashes {
		if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=1,p=1$") {
			t.Errorf("hash %d = %q, want CodeParams", i, h)
		}
		if strings.Contains(h, Normalize(codes[i])) {
			t.Errorf("hash %d contains its code", i)
		}
	}
}

func TestMatch(t *testing.T) {
	t.Parallel()
	codes, hashes := newSet(t)
	// Each form is tried on a different code, the first and last included,
	// so the right index has to come back.
	tests := []struct {
		name  string
		index int
		typed func(string) string
	}{
		{"as shown", 0, func(c string) string { return c }},
		{"lower case", 3, strings.ToLower},
		{"no dashes", 6, func(c string) string { return strings.ReplaceAll(c, "-", "") }},
		{"spaces", DefaultCount - 1, func(c string) string { return " " + strings.ReplaceAll(c, "-", " ") + " " }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			typed := tt.typed(codes[tt.index])
			got, ok := Match(hashes, typed)
			if !ok || got != tt.index {
				t.Errorf("Match(%q) = %d, %v; want %d, true", typed, got, ok, tt.index)
			}
		})
	}
}

func TestMatchRejects(t *testing.T) {
	t.Parallel()
	old, oldHashes := newSet(t)
	_, hashes := newSet(t) // regenerated: the stored list is replaced
	i, ok := Match(oldHashes, old[2])
	if !ok {
		t.Fatalf("old code does not match its own set")
	}
	used := append(oldHashes[:i:i], oldHashes[i+1:]...) // the caller removes a used code
	tests := []struct {
		name   string
		hashes []string
		code   string
	}{
		{"code of the set before regeneration", hashes, old[0]},
		{"code already used", used, old[2]},
		{"code never issued", hashes, "7KQ2-M9XD-4TPA-WR3C"},
		{"not shaped like a code", hashes, "hunter2"},
		{"empty code", hashes, ""},
		{"no codes left", nil, old[0]},
		{"unusable stored hash", []string{"garbage", "$argon2id$v=19$m=1048577,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}, old[0]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, ok := Match(tt.hashes, tt.code); ok || got != -1 {
				t.Errorf("Match(%q) = %d, %v; want -1, false", tt.code, got, ok)
			}
		})
	}
}

func TestMatchSkipsUnusableHash(t *testing.T) {
	t.Parallel()
	codes, hashes := newSet(t)
	mixed := append([]string{"not a hash"}, hashes...)
	if got, ok := Match(mixed, codes[3]); !ok || got != 4 {
		t.Errorf("Match = %d, %v; want 4, true", got, ok)
	}
}
