package recovery

import "fmt"

// HashCodes hashes each code, normalized, with CodeParams. The result is in
// the same order as codes and is what the site-config file stores.
func HashCodes(codes []string) ([]string, error) {
	hashes := make([]string, len(codes))
	for i, c := range codes {
		h, err := HashWith(Normalize(c), CodeParams)
		if err != nil {
			return nil, fmt.Errorf("hash recovery code %d: %w", i+1, err)
		}
		hashes[i] = h
	}
	return hashes, nil
}

// Match reports which of the stored hashes the typed code matches, after
// normalizing it. It verifies every hash even after a match, so the time it
// takes depends on the number of hashes and not on which one matched.
// A stored hash that cannot be used never matches. A code that does not
// have the shape of a recovery code (see Valid) is refused at once: its
// shape is no secret.
//
// The caller removes hashes[index] from the stored list, under its lock, so
// that the code works only once.
func Match(hashes []string, code string) (index int, ok bool) {
	if !Valid(code) {
		return -1, false
	}
	n := Normalize(code)
	index = -1
	for i, h := range hashes {
		if match, err := Verify(h, n); err == nil && match && index < 0 {
			index = i
		}
	}
	return index, index >= 0
}
