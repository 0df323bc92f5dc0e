package textenc

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// refDecode transcribes the Encoding Standard's UTF-8 decoder step by step
// (code point, bytes seen, bytes needed, lower and upper boundary, "restore
// byte to ioQueue"), with replacement error handling, as the reference for
// the optimised decoder. With surrogates it adds WebIDL's USVString rule:
// a complete encoded surrogate, read where a new sequence starts, is one
// code unit and so one U+FFFD.
//
// Spec: https://encoding.spec.whatwg.org/#utf-8-decoder
func refDecode(in []byte, surrogates bool) string {
	var out []rune
	var cp rune
	seen, needed := 0, 0
	lower, upper := byte(0x80), byte(0xBF)
	i := 0
	for {
		if i == len(in) { // end-of-queue
			if needed != 0 {
				out = append(out, utf8.RuneError)
			}
			return string(out)
		}
		b := in[i]
		i++
		if needed == 0 {
			if surrogates && b == 0xED && i+1 < len(in) && 0xA0 <= in[i] && in[i] <= 0xBF && 0x80 <= in[i+1] && in[i+1] <= 0xBF {
				out = append(out, utf8.RuneError)
				i += 2
				continue
			}
			switch {
			case b <= 0x7F:
				out = append(out, rune(b))
			case 0xC2 <= b && b <= 0xDF:
				needed, cp = 1, rune(b&0x1F)
			case 0xE0 <= b && b <= 0xEF:
				if b == 0xE0 {
					lower = 0xA0
				}
				if b == 0xED {
					upper = 0x9F
				}
				needed, cp = 2, rune(b&0xF)
			case 0xF0 <= b && b <= 0xF4:
				if b == 0xF0 {
					lower = 0x90
				}
				if b == 0xF4 {
					upper = 0x8F
				}
				needed, cp = 3, rune(b&0x7)
			default:
				out = append(out, utf8.RuneError)
			}
			continue
		}
		if b < lower || b > upper {
			cp, needed, seen = 0, 0, 0
			lower, upper = 0x80, 0xBF
			i-- // restore byte to ioQueue
			out = append(out, utf8.RuneError)
			continue
		}
		lower, upper = 0x80, 0xBF
		cp = cp<<6 | rune(b&0x3F)
		seen++
		if seen == needed {
			out = append(out, cp)
			cp, needed, seen = 0, 0, 0
		}
	}
}

// refPercentDecode is the URL Standard's percent-decode, byte by byte.
//
// Spec: https://url.spec.whatwg.org/#percent-decode
func refPercentDecode(s string) string {
	const hex = "0123456789abcdef0123456789ABCDEF"
	val := func(c byte) int { return strings.IndexByte(hex, c) % 16 }
	var out []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && strings.IndexByte(hex, s[i+1]) >= 0 && strings.IndexByte(hex, s[i+2]) >= 0 {
			out = append(out, byte(val(s[i+1])<<4|val(s[i+2])))
			i += 2
			continue
		}
		out = append(out, s[i])
	}
	return string(out)
}

// FuzzTextenc compares every function with its straightforward reference
// and checks the properties the callers rely on: valid UTF-8 out, valid
// input unchanged, string and []byte inputs alike.
func FuzzTextenc(f *testing.F) {
	for _, s := range []string{
		"", "abc", "\xef\xbb\xbfx", "\xef\xbb", "\xe2\x82", "\xe2\x82A", "\xed\xa0\x80", "\xed\xa0",
		"\xed\xa0\xbd\xed\xb2\xa9", "\xf0\x90\x80", "\xf4\x90\x80\x80", "\xc0\x80", "\xff\xfe",
		"a%20b%zz%", "%E2%82%AC+%ED%A0%80", " \t x \r\n", "\U0001F600\u00e9",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s := string(b)
		wantPlain := refDecode(b, false)
		if got := UTF8DecodeWithoutBOM(b); got != wantPlain {
			t.Fatalf("UTF8DecodeWithoutBOM(%q) = %q, reference %q", b, got, wantPlain)
		}
		if got := UTF8DecodeWithoutBOM(s); got != wantPlain {
			t.Fatalf("UTF8DecodeWithoutBOM(string %q) = %q, reference %q", s, got, wantPlain)
		}
		noBOM, _ := strings.CutPrefix(s, "\xef\xbb\xbf")
		if got, want := UTF8Decode(b), refDecode([]byte(noBOM), false); got != want {
			t.Fatalf("UTF8Decode(%q) = %q, reference %q", b, got, want)
		}
		if got, want := UTF8Decode(s), UTF8Decode(b); got != want {
			t.Fatalf("UTF8Decode(string %q) = %q, bytes give %q", s, got, want)
		}
		usv := USVString(s)
		if want := refDecode(b, true); usv != want {
			t.Fatalf("USVString(%q) = %q, reference %q", s, usv, want)
		}
		for _, out := range []string{wantPlain, usv} {
			if !utf8.ValidString(out) {
				t.Fatalf("%q decoded to invalid UTF-8 %q", s, out)
			}
		}
		if utf8.ValidString(s) && (wantPlain != s || usv != s) {
			t.Fatalf("valid %q changed to %q / %q", s, wantPlain, usv)
		}
		if got, want := PercentDecode(s), refPercentDecode(s); got != want {
			t.Fatalf("PercentDecode(%q) = %q, reference %q", s, got, want)
		}
		if got, want := PercentDecodeForm(s), refPercentDecode(strings.ReplaceAll(s, "+", " ")); got != want {
			t.Fatalf("PercentDecodeForm(%q) = %q, reference %q", s, got, want)
		}
		if got, want := TrimHTTPWhitespace(s), strings.Trim(s, "\t\n\r "); got != want {
			t.Fatalf("TrimHTTPWhitespace(%q) = %q, reference %q", s, got, want)
		}
	})
}
