package textenc

import (
	"testing"
	"unicode/utf8"
	"unsafe"

	"github.com/stretchr/testify/assert"
)

// decodeTests are UTF-8 decoder cases (no BOM handling): one U+FFFD per
// maximal subpart of an ill-formed sequence.
var decodeTests = []struct {
	name, in, want string
}{
	{"empty", "", ""},
	{"ASCII", "abc", "abc"},
	{"valid multi-byte", "h\u00e9llo \u3072\U0001F600", "h\u00e9llo \u3072\U0001F600"},
	{"U+D7FF", "\xed\x9f\xbf", "\ud7ff"},
	{"U+10FFFF", "\xf4\x8f\xbf\xbf", "\U0010FFFF"},
	{"BOM is kept", "\xef\xbb\xbfa", "\uFEFFa"},
	{"lone continuation", "a\x80b", "a\uFFFDb"},
	{"two continuations", "\x80\xbf", "\uFFFD\uFFFD"},
	{"truncated 2-byte at end", "\xc2\xa9\xc2", "©\uFFFD"},
	{"truncated 3-byte", "\xe2\x82", "\uFFFD"},
	{"truncated 3-byte then ASCII", "\xe2\x82A", "\uFFFDA"},
	{"lead then ASCII", "\xe2A", "\uFFFDA"},
	{"truncated 4-byte", "\xf0\x90\x80", "\uFFFD"},
	{"truncated 4-byte then lead", "\xf0\x90\x80\xf0\x9f\x98\x80", "\uFFFD\U0001F600"},
	{"overlong 2-byte", "\xc0\x80", "\uFFFD\uFFFD"},
	{"overlong C1", "\xc1\xbf", "\uFFFD\uFFFD"},
	{"overlong 3-byte", "\xe0\x80\x80", "\uFFFD\uFFFD\uFFFD"},
	{"overlong 4-byte", "\xf0\x80\x80\x80", "\uFFFD\uFFFD\uFFFD\uFFFD"},
	{"surrogate is three errors", "\xed\xa0\x80", "\uFFFD\uFFFD\uFFFD"},
	{"low surrogate is three errors", "\xed\xbf\xbf", "\uFFFD\uFFFD\uFFFD"},
	{"above U+10FFFF", "\xf4\x90\x80\x80", "\uFFFD\uFFFD\uFFFD\uFFFD"},
	{"F5", "\xf5\x80", "\uFFFD\uFFFD"},
	{"FF", "\xff", "\uFFFD"},
	{"FE FF", "\xfe\xff", "\uFFFD\uFFFD"},
}

func TestUTF8DecodeWithoutBOM(t *testing.T) {
	t.Parallel()
	for _, tt := range decodeTests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, UTF8DecodeWithoutBOM(tt.in), "string %q", tt.in)
			assert.Equal(t, tt.want, UTF8DecodeWithoutBOM([]byte(tt.in)), "bytes %q", tt.in)
		})
	}
}

func TestUTF8Decode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"no BOM", "abc", "abc"},
		{"BOM removed", "\xef\xbb\xbfx", "x"},
		{"BOM only", "\xef\xbb\xbf", ""},
		{"only the first BOM", "\xef\xbb\xbf\xef\xbb\xbfx", "\uFEFFx"},
		{"BOM then ill-formed", "\xef\xbb\xbf\xe2\x82", "\uFFFD"},
		{"partial BOM is an error", "\xef\xbb", "\uFFFD"},
		{"partial BOM then ASCII", "\xef\xbbx", "\uFFFDx"},
		{"BOM not at the start", "x\xef\xbb\xbf", "x\uFEFF"},
		{"surrogate after BOM", "\xef\xbb\xbf\xed\xa0\x80", "\uFFFD\uFFFD\uFFFD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, UTF8Decode(tt.in), "string %q", tt.in)
			assert.Equal(t, tt.want, UTF8Decode([]byte(tt.in)), "bytes %q", tt.in)
		})
	}
}

func TestUSVString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"valid", "plain \u00e9\U0001F600", "plain \u00e9\U0001F600"},
		{"lone high surrogate (WTF-8)", "\xed\xa0\xbdx", "\uFFFDx"},
		{"lone low surrogate", "x\xed\xb1\x93", "x\uFFFD"},
		{"first surrogate", "\xed\xa0\x80", "\uFFFD"},
		{"last surrogate", "\xed\xbf\xbf", "\uFFFD"},
		{"CESU-8 pair is not joined", "\xed\xa0\xbd\xed\xb2\xa9", "\uFFFD\uFFFD"},
		{"truncated surrogate: decoder rules", "\xed\xa0", "\uFFFD\uFFFD"},
		{"surrogate with a bad third byte", "\xed\xa0A", "\uFFFD\uFFFDA"},
		{"U+D7FF stays", "\xed\x9f\xbf", "\ud7ff"},
		{"other ill-formed as the decoder", "\xe2\x82|\xff\xfe|\xf0\x90\x80", "\uFFFD|\uFFFD\uFFFD|\uFFFD"},
		{"BOM is kept", "\xef\xbb\xbfa", "\uFEFFa"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := USVString(tt.in)
			assert.Equal(t, tt.want, got, "%q", tt.in)
			assert.True(t, utf8.ValidString(got))
		})
	}
}

// TestValidInputNotCopied checks that inputs needing no change are
// returned as they are: the same bytes, and no allocation.
func TestValidInputNotCopied(t *testing.T) {
	s := "h\u00e9llo, w\u00f6rld \U0001F600"
	withBOM := "\xef\xbb\xbf" + s
	padded := " \t" + s + "\r\n"
	same := func(a, b string) bool { return unsafe.StringData(a) == unsafe.StringData(b) }
	assert.True(t, same(s, UTF8DecodeWithoutBOM(s)))
	assert.True(t, same(withBOM[3:], UTF8Decode(withBOM)))
	assert.True(t, same(s, USVString(s)))
	assert.True(t, same(s, PercentDecode(s)))
	assert.True(t, same(padded[2:], TrimHTTPWhitespace(padded)))

	tests := []struct {
		name string
		fn   func()
	}{
		{"UTF8DecodeWithoutBOM", func() { _ = UTF8DecodeWithoutBOM(s) }},
		{"UTF8Decode", func() { _ = UTF8Decode(withBOM) }},
		{"USVString", func() { _ = USVString(s) }},
		{"PercentDecode", func() { _ = PercentDecode(s) }},
		{"TrimHTTPWhitespace", func() { _ = TrimHTTPWhitespace(padded) }},
	}
	for _, tt := range tests {
		assert.Equal(t, 0.0, testing.AllocsPerRun(100, tt.fn), tt.name)
	}
	// Valid bytes cost the one string they become.
	assert.Equal(t, 1.0, testing.AllocsPerRun(100, func() { _ = UTF8DecodeWithoutBOM([]byte(s)) }))
	// Ill-formed input costs one allocation, the result.
	bad := "a\xffb\xed\xa0\x80c"
	assert.Equal(t, 1.0, testing.AllocsPerRun(100, func() { _ = UTF8DecodeWithoutBOM(bad) }))
	assert.Equal(t, 1.0, testing.AllocsPerRun(100, func() { _ = USVString(bad) }))
}
