package url

import (
	"github.com/webnet-go/webnet/internal/textenc"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

// Expected outputs were checked against Node's URLSearchParams.
func TestParseURLEncoded(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     [][2]string
	}{
		{"empty", "", nil},
		{"only separators", "&&&", nil},
		{"pairs", "a=b&c=d", [][2]string{{"a", "b"}, {"c", "d"}}},
		{"question mark kept", "?a=b", [][2]string{{"?a", "b"}}},
		{"lone equals", "=", [][2]string{{"", ""}}},
		{"second equals in value", "==", [][2]string{{"", "="}}},
		{"empty sequences skipped", "a==b&&&c", [][2]string{{"a", "=b"}, {"c", ""}}},
		{"plus and escapes", "a+b=c%20d%2Be", [][2]string{{"a b", "c d+e"}}},
		{"bad escapes kept", "%zz%4", [][2]string{{"%zz%4", ""}}},
		{"lower and upper hex", "%e2%82%ac+%E2%82%AC", [][2]string{{"€ €", ""}}},
		{"truncated sequence is one U+FFFD", "%E2%82x=%E2%82", [][2]string{{"\uFFFDx", "\uFFFD"}}},
		{"surrogate bytes are three U+FFFD", "%ED%A0%80", [][2]string{{"\uFFFD\uFFFD\uFFFD", ""}}},
		{"overlong", "%C0%AF", [][2]string{{"\uFFFD\uFFFD", ""}}},
		{"above U+10FFFF", "%F4%90%80%80", [][2]string{{"\uFFFD\uFFFD\uFFFD\uFFFD", ""}}},
		{"truncated 4-byte at end", "%F0%9F%92%A9%F0%9F", [][2]string{{"💩\uFFFD", ""}}},
		{"raw invalid byte", "a=\xff", [][2]string{{"a", "\uFFFD"}}},
		{"raw bytes join escaped ones", "\xe2%82%ac", [][2]string{{"€", ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, ParseURLEncoded(tt.in))
		})
	}
}

func TestSerializeURLEncoded(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		pairs [][2]string
		want  string
	}{
		{"none", nil, ""},
		{"empty pair", [][2]string{{"", ""}}, "="},
		{"order kept", [][2]string{{"z", "1"}, {"a", "2"}}, "z=1&a=2"},
		{"every ASCII punctuation", [][2]string{{"a b&c=d", "~!*()'-._ é€💩\n%+"}},
			"a+b%26c%3Dd=%7E%21*%28%29%27-._+%C3%A9%E2%82%AC%F0%9F%92%A9%0A%25%2B"},
		{"NUL", [][2]string{{"a", "b\x00c"}}, "a=b%00c"},
		{"invalid UTF-8 as U+FFFD", [][2]string{{"\xff", "\xe2\x82"}}, "%EF%BF%BD=%EF%BF%BD"},
		{"WTF-8 surrogate as one U+FFFD", [][2]string{{"x\xed\xa0\xbd", "y"}}, "x%EF%BF%BD=y"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, SerializeURLEncoded(tt.pairs))
		})
	}
}

// Every byte value must serialize as itself exactly when the
// application/x-www-form-urlencoded percent-encode set leaves it alone.
func TestFormIsSafeMatchesSpecSet(t *testing.T) {
	t.Parallel()
	for c := range 256 {
		b := byte(c)
		isAlnum := 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
		want := isAlnum || strings.IndexByte("*-._", b) >= 0
		assert.Equal(t, want, formIsSafe(b), "byte %#x", b)
	}
}

func TestFormDecodeUTF8(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"", ""},
		{"abc", "abc"},
		{"\xef\xbb\xbfa", "\uFEFFa"}, // no BOM stripping
		{"\xe2\x82", "\uFFFD"},
		{"\xe2\x82A", "\uFFFDA"},
		{"\xe2A", "\uFFFDA"},
		{"\xe0\x80\x80", "\uFFFD\uFFFD\uFFFD"},
		{"\xed\x9f\xbf", "\ud7ff"},
		{"\xed\xa0\x80", "\uFFFD\uFFFD\uFFFD"},
		{"\xf0\x90\x80", "\uFFFD"},
		{"\xf4\x8f\xbf\xbf", "\U0010FFFF"},
		{"\xf5\x80", "\uFFFD\uFFFD"},
		{"\x80\xbf", "\uFFFD\uFFFD"},
		{"\xc1\xbf", "\uFFFD\uFFFD"},
		{"\xc2\xa9\xc2", "©\uFFFD"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, textenc.UTF8DecodeWithoutBOM(tt.in), "%q", tt.in)
		assert.Equal(t, tt.want, textenc.UTF8DecodeWithoutBOM([]byte(tt.in)), "%q as bytes", tt.in)
	}
}

func TestFormUSVString(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"\xed\xa0\xbdx", "\uFFFDx"},                 // lone high surrogate (WTF-8)
		{"x\xed\xb1\x93", "x\uFFFD"},                 // lone low surrogate
		{"\xed\xa0\xbd\xed\xb2\xa9", "\uFFFD\uFFFD"}, // CESU-8 pair: not joined
		{"\xed\xa0", "\uFFFD\uFFFD"},                 // truncated: decoder rules
		{"\xff\xfe", "\uFFFD\uFFFD"},
	}
	for _, tt := range tests {
		got := textenc.USVString(tt.in)
		assert.Equal(t, tt.want, got, "%q", tt.in)
		assert.True(t, utf8.ValidString(got))
	}
}

func TestParseURLEncodedAllocations(t *testing.T) {
	// A query without escapes needs only the result slice: names and
	// values are substrings of the input.
	allocs := testing.AllocsPerRun(100, func() {
		_ = ParseURLEncoded("a=b&cc=dd&eee=fff")
	})
	assert.Equal(t, 1.0, allocs)
}

func TestSerializeAllocatesOnce(t *testing.T) {
	p := NewSearchParamsFromPairs([][2]string{{"q", "test me!"}, {"city", "Москва"}, {"a&b", "100%"}})
	allocs := testing.AllocsPerRun(100, func() { _ = p.String() })
	assert.Equal(t, 1.0, allocs)
	assert.Equal(t, len(p.String()), formEncodedLen("q")+formEncodedLen("test me!")+
		formEncodedLen("city")+formEncodedLen("Москва")+formEncodedLen("a&b")+formEncodedLen("100%")+5)
}
