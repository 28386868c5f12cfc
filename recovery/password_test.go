package recovery

import (
	"strings"
	"testing"
)

func TestCheckPassword(t *testing.T) {
	const ok = "Xk#9vq2L" // 8 characters, every kind, not common
	tests := []struct {
		name, username, password string
		want                     []string // one substring per expected problem, in order
	}{
		{"acceptable", "siteadmin", ok, nil},
		{"7 characters", "", "Xk#9vq2", []string{"at least 8 characters long (it has 7)"}},
		{"8 characters", "", ok, nil},
		{"128 characters", "", ok + strings.Repeat("ab", 60), nil},
		{"129 characters", "", ok + strings.Repeat("ab", 60) + "c", []string{"at most 128 characters long (it has 129)"}},
		{"length counts characters not bytes", "", "Éé1!ßàç", []string{"at least 8 characters long (it has 7)"}},
		{"no lower-case letter", "", "XK#9VQ2L", []string{"needs a lower-case letter"}},
		{"no upper-case letter", "", "xk#9vq2l", []string{"needs an upper-case letter"}},
		{"no digit", "", "Xk#gvqzL", []string{"needs a digit"}},
		{"no special character", "", "Xk99vq2L", []string{"needs a special character"}},
		{"space is special", "", "Xk 9vq2L", nil},
		{"nothing but lower case", "", "xkqvmwpz", []string{"needs an upper-case letter", "needs a digit", "needs a special character"}},
		{"empty", "", "", []string{"at least 8", "needs a lower-case", "needs an upper-case", "needs a digit", "needs a special"}},
		{"control character", "", ok + "\t", []string{"control characters"}},
		{"invalid UTF-8", "", ok + "\xff", []string{"not valid UTF-8"}},
		{"username", "Ops.Admin-7", "Ops.Admin-7", []string{"must not be the username"}},
		{"username in another case", "Ops.Admin-7", "oPS.aDMIN-7", []string{"must not be the username"}},
		{"username with digits added", "siteadmin", "Siteadmin1!", []string{"the username with only"}},
		{"username inside a longer password is fine", "bob", "Bob-likes-9-Trains", nil},
		{"common password", "", "password", []string{"needs an upper-case", "needs a digit", "needs a special", "is a common password"}},
		{"common password in capitals", "", "P@SSW0RD", []string{"needs a lower-case", "is a common password"}},
		{"common with every kind: Password1!", "", "Password1!", []string{`too close to the common password "password"`}},
		{"common with every kind: Welcome1!", "", "Welcome1!", []string{`"welcome"`}},
		{"common with every kind: P@ssw0rd", "", "P@ssw0rd", []string{"is a common password"}},
		{"common with every kind: Qwerty123!", "", "Qwerty123!", []string{`"qwerty"`}},
		{"common with every kind: Summer2024!", "", "Summer2024!", []string{`"summer"`}},
		{"common with look-alikes and suffix: Pa$$w0rd!", "", "Pa$$w0rd!", []string{"too close to the common password"}},
		{"common with a prefix: #1Welcome", "", "#1Welcome", []string{`"welcome"`}},
		{"short stem is not looked up", "", "Zoo-98431", nil},
		{"unicode letters", "", "Ünïcødé1!", nil},
		{"cyrillic", "", "Пароль123!", nil},
		{"unicode without upper case", "", "ünïcødé1!", []string{"needs an upper-case letter"}},
		{"letters without case are neither", "", "密码密码密码1!", []string{"needs a lower-case", "needs an upper-case"}},
		{"combining mark is not special", "", "Cafe\u0301Bar1", []string{"needs a special character"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CheckPassword(tt.username, tt.password)
			if len(got) != len(tt.want) {
				t.Fatalf("CheckPassword(%q, %q) = %q, want %d problems like %q", tt.username, tt.password, got, len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("problem %d = %q, want it to contain %q", i, got[i], w)
				}
			}
			for _, p := range got {
				if p == "" || p != strings.TrimSpace(p) || strings.HasSuffix(p, ".") {
					t.Errorf("problem %q is not a plain phrase", p)
				}
			}
		})
	}
}

func TestStrength(t *testing.T) {
	// In increasing order of strength.
	tests := []struct {
		password  string
		score     int
		hintStart string
	}{
		{"", 0, "very weak"},
		{"Ab1!", 0, "too short"},
		{"Password1!", 0, "very weak: a common password"},
		{"xkqvmwpzrt", 1, "weak: add an upper-case letter"},
		{"Xkqvmwpzrt", 1, "weak: add a digit"},
		{"Xk#9vq2L", 2, "fair"},
		{"Xk#9vq2Lm!", 3, "good"},
		{"Xk#9vq2Lm!pT7z", 4, "strong"},
		{"correct horse Battery 9", 4, "strong"},
	}
	prev := 0
	for _, tt := range tests {
		t.Run(tt.password, func(t *testing.T) {
			score, hint := Strength(tt.password)
			if score != tt.score || !strings.HasPrefix(hint, tt.hintStart) {
				t.Errorf("Strength(%q) = %d, %q; want %d, %q...", tt.password, score, hint, tt.score, tt.hintStart)
			}
			if score < prev {
				t.Errorf("Strength(%q) = %d, lower than the weaker password before it (%d)", tt.password, score, prev)
			}
			prev = score
		})
	}
}

// TestStrengthAgreesWithRules checks that a password the rules refuse never
// looks good in the wizard.
func TestStrengthAgreesWithRules(t *testing.T) {
	for _, pw := range []string{"Password1!", "Welcome1!", "xkqvmwpzrtxkqvmwpzrt", "XKQVMWPZRT99!!", strings.Repeat("Ab1!", 33)} {
		if score, hint := Strength(pw); score > 1 {
			t.Errorf("Strength(%q) = %d, %q for a refused password (%q)", pw, score, hint, CheckPassword("", pw))
		}
	}
}

func TestStrengthRepeatsDoNotCount(t *testing.T) {
	a, _ := Strength("Xk#9vq2L")
	b, _ := Strength("Xk#9vq2LLLLLLLLLLLLLLL")
	if b != a {
		t.Errorf("repeating the last character moved the score from %d to %d", a, b)
	}
}
