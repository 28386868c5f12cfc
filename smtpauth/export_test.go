package smtpauth

// SetQuickAck turns the TCP_QUICKACK workaround on or off (benchmarks
// measure the stall it removes) and returns a function that restores it.
func SetQuickAck(on bool) (restore func()) {
	was := quickAck
	quickAck = on
	return func() { quickAck = was }
}
