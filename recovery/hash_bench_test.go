package recovery

import "testing"

// Run with: go test -run '^$' -bench . -benchtime 20x ./recovery
// argon2-MiB is the memory argon2 fills per hash; B/op counts it too.

func BenchmarkHashPassword(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Hash("Correct-Horse-9"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(PasswordParams.Memory)/1024, "argon2-MiB")
}

func BenchmarkHashCode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := HashWith("7KQ2M9XD4TPAWR3C", CodeParams); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(CodeParams.Memory)/1024, "argon2-MiB")
}

// BenchmarkHashSetOfTen is making a set of codes: what the wizard and
// recovery-codes wait for.
func BenchmarkHashSetOfTen(b *testing.B) {
	codes, err := Generate(DefaultCount)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := HashCodes(codes); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(CodeParams.Memory)/1024, "argon2-MiB")
}

// BenchmarkVerifySetOfTen is one redemption: Match verifies all ten stored
// hashes whether or not, and wherever, the code matches.
func BenchmarkVerifySetOfTen(b *testing.B) {
	codes, err := Generate(DefaultCount)
	if err != nil {
		b.Fatal(err)
	}
	hashes, err := HashCodes(codes)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := Match(hashes, codes[0]); !ok {
			b.Fatal("no match")
		}
	}
	b.ReportMetric(float64(CodeParams.Memory)/1024, "argon2-MiB")
}

// BenchmarkVerifyPassword is one login against a stored password hash.
func BenchmarkVerifyPassword(b *testing.B) {
	phc, err := Hash("Correct-Horse-9")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if ok, err := Verify(phc, "Correct-Horse-9"); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
	b.ReportMetric(float64(PasswordParams.Memory)/1024, "argon2-MiB")
}
