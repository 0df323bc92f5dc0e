package blob

import (
	"strings"
	"unicode/utf8"
)

// utf8Decode is the Encoding Standard's "UTF-8 decode": a leading byte
// order mark is dropped, and each ill-formed sequence becomes U+FFFD (one
// per maximal subpart, as the UTF-8 decoder's error handling gives).
//
// Spec: https://encoding.spec.whatwg.org/#utf-8-decode
func utf8Decode[T string | []byte](b T) string {
	if len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF {
		b = b[3:]
	}
	if valid(b) {
		return string(b)
	}
	return replaceInvalid(b, false)
}

func valid[T string | []byte](b T) bool {
	switch v := any(b).(type) {
	case string:
		return utf8.ValidString(v)
	case []byte:
		return utf8.Valid(v)
	}
	return false
}

// usvString converts s as WebIDL converts a JavaScript string to a
// USVString, taking s's ill-formed UTF-8 as what a JavaScript string with
// lone surrogates turns into: the 3-byte encoding of a surrogate code
// point (ED A0..BF 80..BF, from WTF-8 or CESU-8) becomes one U+FFFD, as a
// lone surrogate does, and every other ill-formed sequence becomes U+FFFD
// as the UTF-8 decoder replaces it. Valid UTF-8 comes back unchanged and
// unallocated.
//
// Spec: https://webidl.spec.whatwg.org/#es-USVString
func usvString(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return replaceInvalid(s, true)
}

// replaceInvalid runs the UTF-8 decoder of the Encoding Standard over b
// with replacement error handling. With surrogates, an encoded surrogate
// counts as one error instead of the decoder's three.
//
// Spec: https://encoding.spec.whatwg.org/#utf-8-decoder
func replaceInvalid[T string | []byte](b T, surrogates bool) string {
	var out strings.Builder
	out.Grow(len(b) + 2*utf8.UTFMax)
	i := 0
	for i < len(b) {
		c := b[i]
		if c < utf8.RuneSelf {
			out.WriteByte(c)
			i++
			continue
		}
		if surrogates && c == 0xED && i+2 < len(b) && inRange(b[i+1], 0xA0, 0xBF) && inRange(b[i+2], 0x80, 0xBF) {
			out.WriteRune(utf8.RuneError)
			i += 3
			continue
		}
		// The decoder's "bytes needed" and the bounds of the first
		// continuation byte for this lead byte.
		var needed int
		lower, upper := byte(0x80), byte(0xBF)
		switch {
		case inRange(c, 0xC2, 0xDF):
			needed = 1
		case inRange(c, 0xE0, 0xEF):
			needed = 2
			switch c {
			case 0xE0:
				lower = 0xA0
			case 0xED:
				upper = 0x9F
			}
		case inRange(c, 0xF0, 0xF4):
			needed = 3
			switch c {
			case 0xF0:
				lower = 0x90
			case 0xF4:
				upper = 0x8F
			}
		default:
			out.WriteRune(utf8.RuneError)
			i++
			continue
		}
		j := i + 1
		for seen := 0; seen < needed; seen++ {
			if j >= len(b) || !inRange(b[j], lower, upper) {
				break
			}
			lower, upper = 0x80, 0xBF
			j++
		}
		if j-i == needed+1 {
			for _, c := range []byte(b[i:j]) {
				out.WriteByte(c)
			}
		} else {
			// The lead byte and the continuation bytes accepted so far
			// are one error; the byte that broke the sequence (if any)
			// is decoded afresh.
			out.WriteRune(utf8.RuneError)
		}
		i = j
	}
	return out.String()
}

func inRange(c, lo, hi byte) bool { return lo <= c && c <= hi }
