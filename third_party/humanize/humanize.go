/*
Package humanize converts boring ugly numbers to human-friendly strings and back.

Durations can be turned into strings such as "3 days ago", numbers
representing sizes like 82854982 into useful strings like, "83 MB" or
"79 MiB" (whichever you prefer).
*/
package humanize

// sitecfg patch: upstream's bigbytes.go (BigBytes, BigIBytes,
// ParseBigBytes and the BigByte … BigQiByte values) is left out. Its
// package-level big.Int values are computed during package initialisation
// (about sixty allocations) in every program that links the package, and
// a program cannot read them lazily; sitecfg links the package through
// bubbles' file picker, which only calls Bytes. Without the file, a use of
// them would not compile, so leaving it out cannot change behaviour
// silently. big.go's helpers stay for BigComma.
