package textenc

// TrimHTTPWhitespace removes the leading and trailing HTTP whitespace bytes
// (tab, LF, CR, space) of s: the Fetch Standard's "normalize" of a header
// value. Other bytes, other control bytes included, are kept. The result is
// a substring of s; nothing is allocated.
//
// Spec: https://fetch.spec.whatwg.org/#concept-header-value-normalize
func TrimHTTPWhitespace(s string) string {
	i, j := 0, len(s)
	for i < j && isHTTPWhitespace(s[i]) {
		i++
	}
	for j > i && isHTTPWhitespace(s[j-1]) {
		j--
	}
	return s[i:j]
}

// isHTTPWhitespace reports whether c is an HTTP whitespace byte.
//
// Spec: https://fetch.spec.whatwg.org/#http-whitespace-byte
func isHTTPWhitespace(c byte) bool { return c == '\t' || c == '\n' || c == '\r' || c == ' ' }
