package recovery

import "time"

const (
	// freeFailures is how many wrong codes in a row cost nothing: typos.
	freeFailures = 2
	// MaxDelay caps the wait that Delay asks for.
	MaxDelay = 30 * time.Second
)

// Delay is how long to wait before accepting another recovery code after
// failures wrong codes in a row: nothing for the first two, then 1 s, 2 s,
// 4 s and so on, doubling up to MaxDelay. The caller keeps the count
// (across processes) and resets it after a success.
func Delay(failures int) time.Duration {
	n := failures - freeFailures
	if n <= 0 {
		return 0
	}
	// Past 2^5 s the cap applies; stopping the shift there avoids overflow.
	return min(time.Second<<min(n-1, 5), MaxDelay)
}
