package websocket

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGetURLRecord(t *testing.T) {
	tests := []struct {
		name, input, base string
		href, origin      string
		port              int
		err               bool
	}{
		{name: "ws", input: "ws://example.com/chat", href: "ws://example.com/chat", origin: "ws://example.com", port: 80},
		{name: "wss with port", input: "wss://example.com:8443/", href: "wss://example.com:8443/", origin: "wss://example.com:8443", port: 8443},
		{name: "https mapped", input: "https://example.com/x?y", href: "wss://example.com/x?y", origin: "wss://example.com", port: 443},
		{name: "http default port kept null", input: "http://example.com:80/", href: "ws://example.com/", origin: "ws://example.com", port: 80},
		{name: "upper-case scheme", input: "WS://EXAMPLE.com", href: "ws://example.com/", origin: "ws://example.com", port: 80},
		{name: "idna host", input: "ws://bücher.example/", href: "ws://xn--bcher-kva.example/", origin: "ws://xn--bcher-kva.example", port: 80},
		{name: "relative with base", input: "/chat", base: "https://example.com/page", href: "wss://example.com/chat", origin: "wss://example.com", port: 443},
		{name: "relative without base", input: "/chat", err: true},
		{name: "empty fragment", input: "ws://example.com/#", err: true},
		{name: "fragment", input: "ws://example.com/#x", err: true},
		{name: "escaped hash is fine", input: "ws://example.com/%23", href: "ws://example.com/%23", origin: "ws://example.com", port: 80},
		{name: "file", input: "file:///tmp", err: true},
		{name: "javascript", input: "javascript:alert(1)", err: true},
		{name: "unparsable", input: "ws://[::1", err: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec, err := getURLRecord(tt.input, tt.base)
			if tt.err {
				assert.ErrorIs(t, err, ErrSyntax)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.href, rec.href)
			assert.Equal(t, tt.origin, rec.origin)
			assert.Equal(t, tt.port, rec.port)
		})
	}
}

func TestCheckProtocols(t *testing.T) {
	tests := []struct {
		name      string
		protocols []string
		ok        bool
	}{
		{"none", nil, true},
		{"one", []string{"chat"}, true},
		{"token characters", []string{"v1.chat+json", "a!#$%&'*+-.^_`|~z"}, true},
		{"empty", []string{""}, false},
		{"space", []string{"ec ho"}, false},
		{"separator", []string{"/echo"}, false},
		{"comma", []string{"a,b"}, false},
		{"non-ASCII", []string{"\u0080echo"}, false},
		{"control", []string{"a\tb"}, false},
		{"duplicate", []string{"echo", "echo"}, false},
		{"case-insensitive duplicate", []string{"echo", "eCho"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkProtocols(tt.protocols)
			if tt.ok {
				assert.NoError(t, err)
			} else {
				assert.ErrorIs(t, err, ErrSyntax)
			}
		})
	}
}
