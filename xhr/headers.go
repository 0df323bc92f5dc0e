package xhr

import (
	"iter"
	"slices"
	"strings"

	"golang.org/x/net/http/httpguts"

	"github.com/webnet-go/webnet/fetch"
	"github.com/webnet-go/webnet/internal/textenc"
)

// isHeaderName reports whether name is a header name: an HTTP token.
//
// Spec: https://fetch.spec.whatwg.org/#header-name
func isHeaderName(name string) bool {
	return name != "" && httpguts.ValidHeaderFieldName(name)
}

// isHeaderValue reports whether v, already normalized, is a header value:
// no NUL, CR or LF (leading and trailing whitespace were removed).
//
// Spec: https://fetch.spec.whatwg.org/#header-value
func isHeaderValue(v string) bool {
	return !strings.ContainsAny(v, "\x00\r\n")
}

// headerList is the author request headers: an ordered list of (name,
// value) pairs whose names are unique ignoring case, as "combine" keeps
// them.
//
// Spec: https://fetch.spec.whatwg.org/#concept-header-list
type headerList [][2]string

// index returns the position of name, ignoring case, or -1.
func (l headerList) index(name string) int {
	return slices.IndexFunc(l, func(h [2]string) bool { return strings.EqualFold(h[0], name) })
}

// combine appends value to the header named name with ", ", or adds the
// header.
//
// Spec: https://fetch.spec.whatwg.org/#concept-header-list-combine
func (l *headerList) combine(name, value string) {
	if i := l.index(name); i >= 0 {
		(*l)[i][1] += ", " + value
		return
	}
	*l = append(*l, [2]string{name, value})
}

// set replaces the value of the header named name, or adds it.
//
// Spec: https://fetch.spec.whatwg.org/#concept-header-list-set
func (l *headerList) set(name, value string) {
	if i := l.index(name); i >= 0 {
		(*l)[i][1] = value
		return
	}
	*l = append(*l, [2]string{name, value})
}

// get returns the value of the header named name.
//
// Spec: https://fetch.spec.whatwg.org/#concept-header-list-get
func (l headerList) get(name string) (string, bool) {
	if i := l.index(name); i >= 0 {
		return l[i][1], true
	}
	return "", false
}

// sortAndCombine is the Fetch Standard's "sort and combine" over a raw
// header list: names lower-cased, the values of same-named headers joined
// with ", " in order, sorted by name. Set-Cookie and Set-Cookie2 are left
// out (the filtered response XMLHttpRequest sees has none). Values are
// taken as they are: the input may be fetch.Headers.All's already combined
// list, whose values ("" and "" combine to ", ") must not be normalized
// again, which is why this is not built on fetch.Headers.
//
// Spec: https://fetch.spec.whatwg.org/#concept-header-list-sort-and-combine
func sortAndCombine(headers iter.Seq2[string, string]) [][2]string {
	var out [][2]string
	index := map[string]int{}
	for name, value := range headers {
		if fetch.IsForbiddenResponseHeaderName(name) {
			continue
		}
		lower := textenc.LowerASCII(name)
		if i, ok := index[lower]; ok {
			out[i][1] += ", " + value
			continue
		}
		index[lower] = len(out)
		out = append(out, [2]string{lower, value})
	}
	slices.SortFunc(out, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	return out
}

// byteUppercase upper-cases the ASCII lower-case letters of s.
//
// Spec: https://infra.spec.whatwg.org/#byte-uppercase
func byteUppercase(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - ('a' - 'A')
		}
	}
	return string(b)
}

// allResponseHeaders is the body of getAllResponseHeaders(): the combined
// headers sorted by their byte-uppercased names ("legacy-uppercased-byte
// less than"), each as "name: value\r\n".
//
// Spec: https://xhr.spec.whatwg.org/#dom-xmlhttprequest-getallresponseheaders
func allResponseHeaders(headers iter.Seq2[string, string]) string {
	combined := sortAndCombine(headers)
	slices.SortStableFunc(combined, func(a, b [2]string) int {
		return strings.Compare(byteUppercase(a[0]), byteUppercase(b[0]))
	})
	var b strings.Builder
	for _, h := range combined {
		b.WriteString(h[0])
		b.WriteString(": ")
		b.WriteString(h[1])
		b.WriteString("\r\n")
	}
	return b.String()
}
