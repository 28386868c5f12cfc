// INTERIM stand-in written by the lead so other packages compile while the
// real recovery package is being written. Whoever writes the real files:
// DELETE THIS FILE (it will clash with yours).

package recovery

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"golang.org/x/crypto/argon2"
)

const DefaultCount = 10

const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

func Generate(n int) ([]string, error) {
	out := make([]string, 0, n)
	for range n {
		b := make([]byte, 16)
		if _, err := rand.Read(b); err != nil {
			return nil, err
		}
		var s strings.Builder
		for i, x := range b {
			if i > 0 && i%4 == 0 {
				s.WriteByte('-')
			}
			s.WriteByte(alphabet[x&31])
		}
		out = append(out, s.String())
	}
	return out, nil
}

func Normalize(code string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(code) {
		switch r {
		case '-', ' ', '\t':
			continue
		case 'O':
			r = '0'
		case 'I', 'L':
			r = '1'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func Hash(secret string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	k := argon2.IDKey([]byte(secret), salt, 2, 19456, 1, 32)
	return fmt.Sprintf("$argon2id$v=19$m=19456,t=2,p=1$%s$%s", base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(k)), nil
}

func Verify(phc, secret string) (bool, error) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("not an argon2id PHC string")
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, err
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, err
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(secret), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

func HashCodes(codes []string) ([]string, error) {
	out := make([]string, len(codes))
	for i, c := range codes {
		h, err := Hash(Normalize(c))
		if err != nil {
			return nil, err
		}
		out[i] = h
	}
	return out, nil
}

func Match(hashes []string, code string) (int, bool) {
	n := Normalize(code)
	found := -1
	for i, h := range hashes {
		if ok, _ := Verify(h, n); ok && found < 0 {
			found = i
		}
	}
	return found, found >= 0
}

func CheckPassword(username, password string) []string {
	var p []string
	n := len([]rune(password))
	if n < 8 || n > 128 {
		p = append(p, "must be 8 to 128 characters long")
	}
	var lo, up, dg, sp bool
	for _, r := range password {
		switch {
		case unicode.IsLower(r):
			lo = true
		case unicode.IsUpper(r):
			up = true
		case unicode.IsDigit(r):
			dg = true
		default:
			sp = true
		}
	}
	if !lo || !up || !dg || !sp {
		p = append(p, "needs a lower-case letter, an upper-case letter, a digit and a special character")
	}
	if strings.EqualFold(username, password) {
		p = append(p, "must not be the username")
	}
	if strings.EqualFold(password, "Password1!") {
		p = append(p, "is a common password")
	}
	return p
}

func Strength(password string) (int, string) {
	if len(CheckPassword("", password)) > 0 {
		return 0, "weak"
	}
	return 3, "good"
}

func Delay(failures int) time.Duration {
	if failures < 3 {
		return 0
	}
	return min(time.Duration(1<<min(failures-3, 5))*time.Second, 30*time.Second)
}
