package textenc

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTrimHTTPWhitespace(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"nothing to trim", "a b", "a b"},
		{"all four", "\t\n\r a \t\n\r ", "a"},
		{"only whitespace", " \t\r\n", ""},
		{"inner whitespace kept", " a \t b ", "a \t b"},
		{"other controls kept", "\t a \x0b\r\n ", "a \x0b"},
		{"form feed is not HTTP whitespace", "\fa\f", "\fa\f"},
		{"NBSP is not HTTP whitespace", "\u00a0a\u00a0", "\u00a0a\u00a0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, TrimHTTPWhitespace(tt.in))
		})
	}
}
