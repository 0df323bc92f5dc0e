// Package textenc holds the byte- and string-level algorithms of the WHATWG
// standards that several webnet packages need: the Encoding Standard's UTF-8
// decode, WebIDL's USVString conversion, the URL Standard's percent-decode and
// the Fetch Standard's HTTP whitespace trimming. Packages url, formdata, blob,
// xhr, fetch and internal/dataurl call these instead of keeping their own
// copies, so the ill-formed-input rules live in one place.
//
// # Which function is which algorithm
//
//	Go                          spec algorithm
//	UTF8Decode(b)               Encoding: UTF-8 decode (a leading BOM is removed)
//	UTF8DecodeWithoutBOM(b)     Encoding: UTF-8 decode without BOM (a BOM stays U+FEFF)
//	USVString(s)                WebIDL: convert a JavaScript string to a USVString
//	PercentDecode(s)            URL: percent-decode (of a string's bytes)
//	PercentDecodeForm(s)        URL: "+" to space, then percent-decode (urlencoded parser)
//	Unhex(c)                    Infra: the value of an ASCII hex digit
//	TrimHTTPWhitespace(s)       Fetch: normalize (strip leading/trailing HTTP whitespace)
//
// Spec anchors:
//   - https://encoding.spec.whatwg.org/#utf-8-decode
//   - https://encoding.spec.whatwg.org/#utf-8-decode-without-bom
//   - https://encoding.spec.whatwg.org/#utf-8-decoder
//   - https://webidl.spec.whatwg.org/#es-USVString
//   - https://url.spec.whatwg.org/#percent-decode
//   - https://url.spec.whatwg.org/#concept-urlencoded-parser
//   - https://infra.spec.whatwg.org/#ascii-hex-digit
//   - https://fetch.spec.whatwg.org/#concept-header-value-normalize
//
// The two UTF-8 conversions differ on purpose. The Encoding Standard's
// decoder replaces each maximal subpart of an ill-formed sequence with one
// U+FFFD, so the 3-byte encoding of a surrogate (ED A0..BF 80..BF) gives
// three U+FFFD: ED only admits 80..9F after it. [USVString] instead reads a
// Go string as the JavaScript string it stands for, in which such a 3-byte
// sequence (WTF-8 or CESU-8) is one lone surrogate code unit, and WebIDL
// replaces a lone surrogate with one U+FFFD. Every other ill-formed sequence
// is replaced as the decoder does.
//
// Inputs that need no change come back as they are: valid UTF-8 strings and
// strings without "%" or surrounding whitespace are returned without
// allocating.
//
// # Deviations
//
//   - Strings are Go strings, that is byte sequences, which stand for the
//     specs' byte sequences and (when valid UTF-8) scalar value strings alike.
//   - [USVString] maps each encoded surrogate to U+FFFD even when a CESU-8
//     high and low surrogate stand next to each other; JavaScript would join
//     such a pair into one code point, but Go strings never hold it legally.
//
// # Concurrency
//
// The functions are safe for concurrent use; the package has no state.
package textenc
