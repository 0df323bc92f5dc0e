package textenc

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPercentDecode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want, form string // form: PercentDecodeForm's result when it differs
	}{
		{"empty", "", "", ""},
		{"no escapes", "abc", "abc", ""},
		{"space", "a%20b", "a b", ""},
		{"upper and lower hex", "%4a%4A%ff%FF", "JJ\xff\xff", ""},
		{"not hex", "%zz", "%zz", ""},
		{"one hex digit", "%4", "%4", ""},
		{"one hex digit then not hex", "%4g", "%4g", ""},
		{"lone percent at end", "a%", "a%", ""},
		{"percent before escape", "%%41", "%A", ""},
		{"escaped percent stays decoded once", "%2541", "%41", ""},
		{"adjacent escapes", "%41%42%43", "ABC", ""},
		{"UTF-8 escapes", "%E2%82%AC", "\u20ac", ""},
		{"invalid UTF-8 is bytes", "%ED%A0%80", "\xed\xa0\x80", ""},
		{"plus", "a+b%2B", "a+b+", "a b+"},
		{"only plus", "++", "++", "  "},
		{"plus does not join an escape", "%+41", "%+41", "% 41"},
		{"non-ASCII passes", "\u00e9%20\xff", "\u00e9 \xff", ""},
		{"mixed", "a b%zz%\u20ac%E2%82%AC+", "a b%zz%\u20ac\u20ac+", "a b%zz%\u20ac\u20ac "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, PercentDecode(tt.in))
			form := tt.form
			if form == "" {
				form = tt.want
			}
			assert.Equal(t, form, PercentDecodeForm(tt.in))
		})
	}
}

func TestPercentDecodeAllocations(t *testing.T) {
	assert.Equal(t, 1.0, testing.AllocsPerRun(100, func() { _ = PercentDecode("a%20b%zz%E2%82%AC") }))
	assert.Equal(t, 1.0, testing.AllocsPerRun(100, func() { _ = PercentDecodeForm("a+b%zz%E2%82%AC") }))
	assert.Equal(t, 0.0, testing.AllocsPerRun(100, func() { _ = PercentDecodeForm("plain") }))
}

func TestUnhex(t *testing.T) {
	t.Parallel()
	const digits = "0123456789abcdef"
	for c := range 256 {
		want := strings.IndexByte(digits, byte(c))
		if 'A' <= c && c <= 'F' {
			want = c - 'A' + 10
		}
		got, ok := Unhex(byte(c))
		assert.Equal(t, want >= 0, ok, "%q", c)
		if want >= 0 {
			assert.Equal(t, byte(want), got, "%q", c)
		}
	}
}
