package recovery

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// cheap keeps tests that hash many times fast; TestHashRealParams and the
// code tests in set_test.go use the product's parameters.
var cheap = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

var phcShape = regexp.MustCompile(`^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]{22})\$([A-Za-z0-9+/]{43})$`)

func TestHashRealParams(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		hash   func(string) (string, error)
		params Params
		secret string
	}{
		{"password", Hash, PasswordParams, "Correct-Horse-9"},
		{"code", func(s string) (string, error) { return HashWith(s, CodeParams) }, CodeParams, "7KQ2M9XD4TPAWR3C"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			phc, err := tt.hash(tt.secret)
			if err != nil {
				t.Fatal(err)
			}
			m := phcShape.FindStringSubmatch(phc)
			if m == nil {
				t.Fatalf("hash %q is not an argon2id PHC string with a 16-byte salt and 32-byte hash", phc)
			}
			if got, want := fmt.Sprintf("m=%s,t=%s,p=%s", m[1], m[2], m[3]), fmt.Sprintf("m=%d,t=%d,p=%d", tt.params.Memory, tt.params.Time, tt.params.Threads); got != want {
				t.Errorf("parameters %s, want %s", got, want)
			}
			if ok, err := Verify(phc, tt.secret); !ok || err != nil {
				t.Errorf("Verify(own hash) = %v, %v; want true, nil", ok, err)
			}
			if ok, err := Verify(phc, tt.secret+"x"); ok || err != nil {
				t.Errorf("Verify(wrong secret) = %v, %v; want false, nil", ok, err)
			}
		})
	}
}

func TestHashSaltsDiffer(t *testing.T) {
	a, err := HashWith("same", cheap)
	if err != nil {
		t.Fatal(err)
	}
	b, err := HashWith("same", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Errorf("two hashes of one secret are equal: %q", a)
	}
}

func TestVerify(t *testing.T) {
	phc, err := HashWith("Correct-Horse-9", cheap)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, secret string
		want         bool
	}{
		{"right secret", "Correct-Horse-9", true},
		{"wrong secret", "Correct-Horse-8", false},
		{"other case", "correct-horse-9", false},
		{"prefix", "Correct-Horse-", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := Verify(phc, tt.secret)
			if err != nil || ok != tt.want {
				t.Errorf("Verify(%q) = %v, %v; want %v, nil", tt.secret, ok, err, tt.want)
			}
		})
	}
}

// TestVerifyInterop checks hashes made by the reference argon2 command
// (Debian's argon2 package), so the PHC encoding matches other tools,
// including the interim parameters used before this package settled them.
func TestVerifyInterop(t *testing.T) {
	tests := []struct{ name, phc, secret string }{
		// echo -n Correct-Horse-9 | argon2 saltsalt16bytes! -id -t 2 -m 12 -p 2 -l 32 -e
		{"m=4096,t=2,p=2", "$argon2id$v=19$m=4096,t=2,p=2$c2FsdHNhbHQxNmJ5dGVzIQ$9v3IfBVdgST9PfC45muMEcD9qOP1Di6+GJZr97uN2jE", "Correct-Horse-9"},
		// echo -n 7KQ2M9XD4TPAWR3C | argon2 0123456789abcdef -id -t 1 -k 19456 -p 1 -l 32 -e
		{"CodeParams", "$argon2id$v=19$m=19456,t=1,p=1$MDEyMzQ1Njc4OWFiY2RlZg$BRlxJ4RHynuU2zq0QQ1A09MyAGB3O2bzhZvG4lOEgfQ", "7KQ2M9XD4TPAWR3C"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if ok, err := Verify(tt.phc, tt.secret); !ok || err != nil {
				t.Errorf("Verify = %v, %v; want true, nil", ok, err)
			}
		})
	}
}

func TestVerifyRejectsTamperedHash(t *testing.T) {
	const secret = "Correct-Horse-9"
	phc, err := HashWith(secret, cheap)
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Split(phc, "$")
	flip := func(s string) string { // change the first character, keep the shape
		if s[0] == 'A' {
			return "B" + s[1:]
		}
		return "A" + s[1:]
	}
	join := func(salt, hash, params string) string {
		return strings.Join([]string{"", "argon2id", "v=19", params, salt, hash}, "$")
	}
	tests := []struct{ name, phc string }{
		{"hash changed", join(f[4], flip(f[5]), f[3])},
		{"salt changed", join(flip(f[4]), f[5], f[3])},
		{"memory changed", join(f[4], f[5], "m=72,t=1,p=1")},
		{"time changed", join(f[4], f[5], "m=64,t=2,p=1")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if ok, err := Verify(tt.phc, secret); ok || err != nil {
				t.Errorf("Verify(%q) = %v, %v; want false, nil", tt.phc, ok, err)
			}
		})
	}
}

func TestVerifyRejectsInvalidHash(t *testing.T) {
	const (
		salt = "MDEyMzQ1Njc4OWFiY2RlZg"                      // 16 bytes
		key  = "BRlxJ4RHynuU2zq0QQ1A09MyAGB3O2bzhZvG4lOEgfQ" // 32 bytes
	)
	phc := func(params string) string { return "$argon2id$v=19$" + params + "$" + salt + "$" + key }
	tests := []struct{ name, phc string }{
		{"empty", ""},
		{"plain text", "Correct-Horse-9"},
		{"argon2i", "$argon2i$v=19$m=19456,t=1,p=1$" + salt + "$" + key},
		{"bcrypt", "$2b$10$abcdefghijklmnopqrstuu5E8K3G3yH3aJw1z0O2QbXvGk3i1rYbm"},
		{"old version", "$argon2id$v=16$m=19456,t=1,p=1$" + salt + "$" + key},
		{"no version", "$argon2id$m=19456,t=1,p=1$" + salt + "$" + key},
		{"missing hash", "$argon2id$v=19$m=19456,t=1,p=1$" + salt},
		{"extra field", phc("m=19456,t=1,p=1") + "$x"},
		{"parameters out of order", phc("t=1,m=19456,p=1")},
		{"extra parameter", phc("m=19456,t=1,p=1,keyid=x")},
		{"negative memory", phc("m=-1,t=1,p=1")},
		{"leading zero", phc("m=019456,t=1,p=1")},
		{"signed", phc("m=+19456,t=1,p=1")},
		{"memory over 1 GiB", phc("m=1048577,t=1,p=1")},
		{"memory overflows uint32", phc("m=4294967296,t=1,p=1")},
		{"memory below 8 KiB a lane", phc("m=31,t=1,p=4")},
		{"zero time", phc("m=19456,t=0,p=1")},
		{"absurd time", phc("m=19456,t=1000000,p=1")},
		{"zero lanes", phc("m=19456,t=1,p=0")},
		{"absurd lanes", phc("m=19456,t=1,p=255")},
		{"salt not base64", phc("m=19456,t=1,p=1")[:len("$argon2id$v=19$m=19456,t=1,p=1$")] + "!!!!$" + key},
		{"padded base64", phc("m=19456,t=1,p=1") + "="},
		{"short salt", "$argon2id$v=19$m=19456,t=1,p=1$c2FsdA$" + key},
		{"short hash", "$argon2id$v=19$m=19456,t=1,p=1$" + salt + "$AAAA"},
		{"empty hash", "$argon2id$v=19$m=19456,t=1,p=1$" + salt + "$"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := Verify(tt.phc, "7KQ2M9XD4TPAWR3C")
			if ok || !errors.Is(err, ErrInvalidHash) {
				t.Errorf("Verify(%q) = %v, %v; want false, ErrInvalidHash", tt.phc, ok, err)
			}
		})
	}
}

func TestHashWithRejectsAbsurdParams(t *testing.T) {
	tests := []struct {
		name string
		p    Params
	}{
		{"zero value", Params{}},
		{"memory over 1 GiB", Params{Memory: 1<<20 + 1, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}},
		{"short key", Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 4}},
		{"short salt", Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 4, KeyLen: 32}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := HashWith("x", tt.p); !errors.Is(err, ErrInvalidHash) {
				t.Errorf("HashWith(%+v) error = %v, want ErrInvalidHash", tt.p, err)
			}
		})
	}
}

// TestParamsAreSane keeps the product's parameters within what Verify
// accepts and at least as costly as OWASP's argon2id floor.
func TestParamsAreSane(t *testing.T) {
	for name, p := range map[string]Params{"PasswordParams": PasswordParams, "CodeParams": CodeParams} {
		if err := p.check(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if p.SaltLen != 16 || p.KeyLen != 32 {
			t.Errorf("%s: salt %d and hash %d bytes, want 16 and 32", name, p.SaltLen, p.KeyLen)
		}
	}
	if work := uint64(PasswordParams.Memory) * uint64(PasswordParams.Time); work < 19456*2 {
		t.Errorf("PasswordParams cost %d KiB-passes, below OWASP's m=19456,t=2", work)
	}
}
