package recovery

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id cost parameters and output sizes.
type Params struct {
	// Memory is the memory cost in KiB (the PHC "m").
	Memory uint32
	// Time is the number of passes over the memory (the PHC "t").
	Time uint32
	// Threads is the degree of parallelism, in lanes (the PHC "p").
	Threads uint8
	// SaltLen is the length of the random salt in bytes.
	SaltLen uint32
	// KeyLen is the length of the derived hash in bytes.
	KeyLen uint32
}

// PasswordParams are used by Hash for the UI users' passwords: RFC 9106's
// second recommended option (section 4), argon2id with 64 MiB, 3 passes,
// 4 lanes, a 16-byte salt and a 32-byte hash.
//
// A password is chosen by a person and may be guessable, so its hash must be
// as slow as the systems that verify it can afford: OWASP's floor
// (m=19456 KiB, t=2, p=1) costs an attacker about a fifth of this per guess
// (memory times passes).
// A password is hashed once per wizard run or reset and verified once per
// login, so the cost (about 0.11 s and 64 MiB on a 2-core machine, see
// hash_bench_test.go) is paid rarely. Four lanes let a verifier use up to
// four cores; on fewer cores the same work simply takes longer.
var PasswordParams = Params{Memory: 64 * 1024, Time: 3, Threads: 4, SaltLen: 16, KeyLen: 32}

// CodeParams are used by HashCodes for recovery codes: argon2id with
// 19 MiB, 1 pass, 1 lane, a 16-byte salt and a 32-byte hash.
//
// A recovery code carries 80 random bits, so no hash speed makes guessing
// it practical: at 10^12 guesses a second, 2^80 guesses take over 38,000
// years. The slow hash is kept only so that codes share the password's
// format and verification path; its cost is set by usability instead. Ten
// codes are hashed in a row when a set is made, and a redemption verifies
// all ten stored hashes (see Match), so each must stay in the tens of
// milliseconds; the memory is OWASP's 19 MiB with a single pass: about
// 12 ms a code, 0.13 s for a set of ten, on a 2-core machine.
var CodeParams = Params{Memory: 19 * 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// Limits on parameters read from a PHC string. A tampered or corrupt file
// must not make Verify allocate gigabytes or spin for minutes, nor accept a
// hash so short that a guess can collide with it.
const (
	maxMemory  = 1 << 20 // KiB: 1 GiB
	maxTime    = 16
	maxThreads = 16
	minSaltLen = 8 // RFC 9106's minimum
	maxSaltLen = 64
	minKeyLen  = 16
	maxKeyLen  = 64
)

// ErrInvalidHash is returned (wrapped, with the reason) by Verify when the
// stored hash is not an argon2id PHC string that this package accepts:
// malformed, another algorithm or version, or parameters outside sane limits.
var ErrInvalidHash = errors.New("invalid argon2id hash")

// Hash hashes a password with PasswordParams and a fresh random salt and
// returns it as a PHC string:
//
//	$argon2id$v=19$m=65536,t=3,p=4$<salt>$<hash>
//
// with the salt and hash in unpadded standard base64.
//
// The hash's 64 MiB of argon2 memory is handed back to the operating
// system before Hash returns. Left to the collector, it would still be
// resident when the next hash allocates its own (the heap goal is twice
// the live heap, and nothing says the next buffer reuses the same
// pages), so an SMTP-off apply, which hashes two passwords and then the
// recovery codes, would peak at two hashes' memory (≈ 140–160 MiB)
// instead of one (≈ 80 MiB, see memory_linux_test.go at the top).
func Hash(secret string) (string, error) {
	h, err := HashWith(secret, PasswordParams)
	debug.FreeOSMemory()
	return h, err
}

// HashWith hashes secret with the given parameters and a fresh random salt
// and returns it as a PHC string. The parameters must be within the limits
// that Verify accepts.
func HashWith(secret string, p Params) (string, error) {
	if err := p.check(); err != nil {
		return "", fmt.Errorf("hash: %w", err)
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash: read random salt: %w", err)
	}
	key := argon2.IDKey([]byte(secret), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether secret matches the PHC string phc. The cost
// parameters come from phc itself, so hashes made with older parameters
// keep working. The comparison takes constant time. A phc that cannot be
// used returns false and an error wrapping ErrInvalidHash.
func Verify(phc, secret string) (bool, error) {
	p, salt, want, err := parsePHC(phc)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(secret), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// b64 is the PHC format's base64: standard alphabet, no padding, and
// strict so that one hash has exactly one spelling.
var b64 = base64.RawStdEncoding.Strict()

func parsePHC(phc string) (Params, []byte, []byte, error) {
	bad := func(format string, a ...any) (Params, []byte, []byte, error) {
		return Params{}, nil, nil, fmt.Errorf("%w: %s", ErrInvalidHash, fmt.Sprintf(format, a...))
	}
	// "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
	f := strings.Split(phc, "$")
	if len(f) != 6 || f[0] != "" {
		return bad("not a PHC string with version, parameters, salt and hash")
	}
	if f[1] != "argon2id" {
		return bad("algorithm %q, want argon2id", f[1])
	}
	if f[2] != "v="+strconv.Itoa(argon2.Version) {
		return bad("version %q, want v=%d", f[2], argon2.Version)
	}
	kv := strings.Split(f[3], ",")
	if len(kv) != 3 {
		return bad("parameters %q, want m=,t=,p=", f[3])
	}
	var vals [3]uint64
	for i, name := range []string{"m", "t", "p"} {
		v, ok := strings.CutPrefix(kv[i], name+"=")
		n, err := strconv.ParseUint(v, 10, 32)
		// Digits only, no sign or leading zero: one spelling per value.
		if !ok || err != nil || (len(v) > 1 && v[0] == '0') {
			return bad("parameter %q, want %s=<number>", kv[i], name)
		}
		vals[i] = n
	}
	salt, err := b64.DecodeString(f[4])
	if err != nil {
		return bad("salt is not base64")
	}
	key, err := b64.DecodeString(f[5])
	if err != nil {
		return bad("hash is not base64")
	}
	p := Params{Memory: uint32(vals[0]), Time: uint32(vals[1]), SaltLen: uint32(len(salt)), KeyLen: uint32(len(key))}
	if vals[2] > maxThreads {
		return bad("p=%d is more than %d", vals[2], maxThreads)
	}
	p.Threads = uint8(vals[2])
	if err := p.check(); err != nil {
		return Params{}, nil, nil, err
	}
	return p, salt, key, nil
}

// check keeps parameters within what Verify accepts. Its errors wrap
// ErrInvalidHash.
func (p Params) check() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalidHash, fmt.Sprintf(format, a...))
	}
	switch {
	case p.Threads < 1 || p.Threads > maxThreads:
		return bad("p=%d, want 1 to %d", p.Threads, maxThreads)
	case p.Time < 1 || p.Time > maxTime:
		return bad("t=%d, want 1 to %d", p.Time, maxTime)
	// argon2 needs 8 KiB per lane.
	case p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory:
		return bad("m=%d KiB, want %d to %d", p.Memory, 8*uint32(p.Threads), maxMemory)
	case p.SaltLen < minSaltLen || p.SaltLen > maxSaltLen:
		return bad("salt of %d bytes, want %d to %d", p.SaltLen, minSaltLen, maxSaltLen)
	case p.KeyLen < minKeyLen || p.KeyLen > maxKeyLen:
		return bad("hash of %d bytes, want %d to %d", p.KeyLen, minKeyLen, maxKeyLen)
	}
	return nil
}
