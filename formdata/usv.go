package formdata

import (
	"strings"
	"unicode/utf8"
)

// usvString converts s as WebIDL converts a JavaScript string to a
// USVString, taking s's ill-formed UTF-8 as what a JavaScript string with
// lone surrogates turns into: the 3-byte encoding of a surrogate code
// point (ED A0..BF 80..BF, from WTF-8 or CESU-8) becomes one U+FFFD, as a
// lone surrogate does, and every other ill-formed sequence becomes U+FFFD
// as the Encoding Standard's UTF-8 decoder replaces it. Valid UTF-8 comes
// back unchanged and unallocated. (Package blob converts String parts the
// same way.)
//
// Spec: https://webidl.spec.whatwg.org/#es-USVString
func usvString(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return replaceInvalid(s, true)
}

// utf8DecodeWithoutBOM is the Encoding Standard's "UTF-8 decode without
// BOM": each ill-formed sequence becomes U+FFFD, a byte order mark is kept.
//
// Spec: https://encoding.spec.whatwg.org/#utf-8-decode-without-bom
func utf8DecodeWithoutBOM[T string | []byte](b T) string {
	if s, ok := any(b).(string); ok && utf8.ValidString(s) {
		return s
	}
	if v, ok := any(b).([]byte); ok && utf8.Valid(v) {
		return string(v)
	}
	return replaceInvalid(b, false)
}

// replaceInvalid runs the UTF-8 decoder of the Encoding Standard over b
// with replacement error handling (one U+FFFD per maximal subpart). With
// surrogates, an encoded surrogate counts as one error instead of three.
//
// Spec: https://encoding.spec.whatwg.org/#utf-8-decoder
func replaceInvalid[T string | []byte](b T, surrogates bool) string {
	var out strings.Builder
	out.Grow(len(b) + 2*utf8.UTFMax)
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			out.WriteByte(c)
			i++
			continue
		}
		if surrogates && c == 0xED && i+2 < len(b) && between(b[i+1], 0xA0, 0xBF) && between(b[i+2], 0x80, 0xBF) {
			out.WriteRune(utf8.RuneError)
			i += 3
			continue
		}
		needed := 0
		lower, upper := byte(0x80), byte(0xBF)
		switch {
		case between(c, 0xC2, 0xDF):
			needed = 1
		case between(c, 0xE0, 0xEF):
			needed = 2
			if c == 0xE0 {
				lower = 0xA0
			} else if c == 0xED {
				upper = 0x9F
			}
		case between(c, 0xF0, 0xF4):
			needed = 3
			if c == 0xF0 {
				lower = 0x90
			} else if c == 0xF4 {
				upper = 0x8F
			}
		default:
			out.WriteRune(utf8.RuneError)
			i++
			continue
		}
		j := i + 1
		for ; j <= i+needed; j++ {
			if j >= len(b) || !between(b[j], lower, upper) {
				break
			}
			lower, upper = 0x80, 0xBF
		}
		if j == i+needed+1 {
			out.WriteString(string(b[i:j]))
		} else {
			// The bytes accepted so far are one error; the byte that
			// broke the sequence is decoded afresh.
			out.WriteRune(utf8.RuneError)
		}
		i = j
	}
	return out.String()
}

func between(c, lo, hi byte) bool { return lo <= c && c <= hi }
