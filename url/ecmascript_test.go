package url

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The expected strings were produced by Node's encodeURI and
// encodeURIComponent on the same input.
func TestEncodeURI(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, uri, component string }{
		{"rock and roll", "Rock&Roll", "Rock&Roll", "Rock%26Roll"},
		{"cyrillic path", "http://site.com/привет",
			"http://site.com/%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82",
			"http%3A%2F%2Fsite.com%2F%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82"},
		{"ipv6 brackets", "http://[2607:f8b0:4005:802::1007]/",
			"http://%5B2607:f8b0:4005:802::1007%5D/",
			"http%3A%2F%2F%5B2607%3Af8b0%3A4005%3A802%3A%3A1007%5D%2F"},
		{"ascii punctuation", " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
			"%20!%22#$%25&'()*+,-./:;%3C=%3E?@%5B%5C%5D%5E_%60%7B%7C%7D~",
			"%20!%22%23%24%25%26'()*%2B%2C-.%2F%3A%3B%3C%3D%3E%3F%40%5B%5C%5D%5E_%60%7B%7C%7D~"},
		{"non-ascii and controls", "💩é\x00\x7f", "%F0%9F%92%A9%C3%A9%00%7F", "%F0%9F%92%A9%C3%A9%00%7F"},
		{"unreserved only", "abcXYZ019", "abcXYZ019", "abcXYZ019"},
		{"empty", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			uri, err := EncodeURI(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.uri, uri)
			component, err := EncodeURIComponent(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.component, component)
		})
	}
}

// JavaScript throws a URIError for a lone surrogate; in a Go string its
// counterpart is ill-formed UTF-8, and both encoders report it with the
// byte offset.
func TestEncodeURIRejectsIllFormedUTF8(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, at string }{
		{"wtf-8 lone surrogate", "a\xed\xa0\x80b", "byte 1"},
		{"cesu-8 surrogate pair", "\xed\xa0\xbd\xed\xb2\xa9", "byte 0"},
		{"invalid byte", "ok\xff", "byte 2"},
		{"truncated sequence", "\xd0", "byte 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for name, encode := range map[string]func(string) (string, error){
				"EncodeURI": EncodeURI, "EncodeURIComponent": EncodeURIComponent,
			} {
				got, err := encode(tt.in)
				require.ErrorIs(t, err, ErrURIError, name)
				assert.Contains(t, err.Error(), tt.at, name)
				assert.Empty(t, got, name)
			}
		})
	}
}

// Every ASCII byte: EncodeURIComponent keeps exactly uriUnreserved, and
// EncodeURI that plus uriReserved and "#".
// The sets as ECMA-262 spells them: uriUnreserved (uriAlpha, DecimalDigit,
// uriMark) and uriReserved plus "#".
const (
	testURIUnreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()"
	testURIReserved   = ";/?:@&=+$,#"
)

func TestEncodeURISets(t *testing.T) {
	t.Parallel()
	const unreserved, reserved = testURIUnreserved, testURIReserved
	for c := range 128 {
		s := string(rune(c))
		component, err := EncodeURIComponent(s)
		require.NoError(t, err)
		uri, err := EncodeURI(s)
		require.NoError(t, err)
		keptComponent := component == s
		keptURI := uri == s
		assert.Equal(t, ecmaSetHas(unreserved, s), keptComponent, "EncodeURIComponent(%q)", s)
		assert.Equal(t, ecmaSetHas(unreserved+reserved, s), keptURI, "EncodeURI(%q)", s)
	}
}

func ecmaSetHas(set, s string) bool {
	for i := range len(set) {
		if set[i:i+1] == s {
			return true
		}
	}
	return false
}

// Expected results and URIErrors were checked against Node's decodeURI and
// decodeURIComponent.
func TestDecodeURI(t *testing.T) {
	t.Parallel()
	const uriError = "URIError"
	tests := []struct{ name, in, uri, component string }{
		{"reserved escapes", "%3B%2F%3F%3A%40%26%3D%2B%24%2C%23", "%3B%2F%3F%3A%40%26%3D%2B%24%2C%23", ";/?:@&=+$,#"},
		{"case of kept escapes", "%3b%2f%41%61", "%3b%2fAa", ";/Aa"},
		{"four-byte", "%F0%9F%92%A9", "💩", "💩"},
		{"plus stays", "a+b%20c", "a+b c", "a+b c"},
		{"replacement character itself", "%EF%BF%BD", "\uFFFD", "\uFFFD"},
		{"no escapes", "plain", "plain", "plain"},
		{"empty", "", "", ""},
		{"raw bytes copied", "\xed\xa0\x80%41\xff", "\xed\xa0\x80A\xff", "\xed\xa0\x80A\xff"},
		{"surrogate", "%ED%A0%80", uriError, uriError},
		{"lone percent", "%", uriError, uriError},
		{"one digit", "%4", uriError, uriError},
		{"not hex", "%zz", uriError, uriError},
		{"overlong", "%C0%AF", uriError, uriError},
		{"cut short escape", "%E0%A4%A", uriError, uriError},
		{"continuation not escaped", "%E0%A4A", uriError, uriError},
		{"continuation as lead", "%80", uriError, uriError},
		{"FF", "%FF", uriError, uriError},
		{"five-byte lead", "%F8%80%80%80%80", uriError, uriError},
		{"above U+10FFFF", "%F4%90%80%80", uriError, uriError},
		{"truncated at end", "%C2%A9%C2", uriError, uriError},
		{"truncated three-byte", "%E2%82%AC%E2%82", uriError, uriError},
		{"bad continuation escape", "%F0%9F%92A9", uriError, uriError},
		{"bad continuation byte", "%C2%41", uriError, uriError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			check := func(fn string, decode func(string) (string, error), want string) {
				got, err := decode(tt.in)
				if want == uriError {
					assert.ErrorIs(t, err, ErrURIError, "%s(%q)", fn, tt.in)
					assert.Empty(t, got)
					return
				}
				if assert.NoError(t, err, "%s(%q)", fn, tt.in) {
					assert.Equal(t, want, got, "%s(%q)", fn, tt.in)
				}
			}
			check("DecodeURI", DecodeURI, tt.uri)
			check("DecodeURIComponent", DecodeURIComponent, tt.component)
		})
	}
}

func TestDecodeURIErrorSaysWhy(t *testing.T) {
	t.Parallel()
	_, err := DecodeURIComponent("ab%E0%A4%A")
	require.ErrorIs(t, err, ErrURIError)
	assert.Equal(t,
		`url: URIError: URI malformed: decodeURIComponent: malformed escape at byte 8 ("%A")`,
		err.Error())
}

// Every escaped byte on its own: below 0x80 it decodes (or is preserved by
// DecodeURI for the reserved set); 0x80 and above is an incomplete or
// invalid sequence.
func TestDecodeEverySingleEscape(t *testing.T) {
	t.Parallel()
	const hex = "0123456789ABCDEF"
	for c := range 256 {
		esc := "%" + string(hex[c>>4]) + string(hex[c&15])
		got, err := DecodeURIComponent(esc)
		if c >= 0x80 {
			assert.ErrorIs(t, err, ErrURIError, esc)
			continue
		}
		if assert.NoError(t, err, esc) {
			assert.Equal(t, string(rune(c)), got, esc)
		}
		got, err = DecodeURI(esc)
		require.NoError(t, err, esc)
		if ecmaSetHas(";/?:@&=+$,#", string(rune(c))) {
			assert.Equal(t, esc, got)
		} else {
			assert.Equal(t, string(rune(c)), got, esc)
		}
	}
}

func TestEncodeDecodeRoundTrip(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "Rock&Roll", "a b+c", "%", "%41", "привет", "💩\x00#?", "\uFFFD", "\U0010FFFF"} {
		component, err := EncodeURIComponent(s)
		require.NoError(t, err)
		got, err := DecodeURIComponent(component)
		if assert.NoError(t, err) {
			assert.Equal(t, s, got)
		}
		uri, err := EncodeURI(s)
		require.NoError(t, err)
		got, err = DecodeURI(uri)
		if assert.NoError(t, err) {
			assert.Equal(t, s, got)
		}
	}
}
