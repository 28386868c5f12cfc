package loopback

import "testing"

func TestHost(t *testing.T) {
	tests := []struct {
		host string
		want bool
	}{
		{"localhost", true},
		{"LocalHost", true},
		{"localhost.", true},
		{"127.0.0.1", true},
		{"127.1.2.3", true},
		{"::1", true},
		{"[::1]", true},
		{"::ffff:127.0.0.1", true},
		{"0:0:0:0:0:0:0:1", true},
		{"idp.localhost", false},
		{"localhost.example.com", false},
		{"mylocalhost", false},
		{"", false},
		{"[]", false},
		{"10.0.0.1", false},
		{"::", false},
		{"0.0.0.0", false},
		{"[127.0.0.1", false},
		{"smtp.example.com", false},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			if got := Host(tt.host); got != tt.want {
				t.Errorf("Host(%q) = %v, want %v", tt.host, got, tt.want)
			}
		})
	}
}
