package fetch

import (
	"iter"
	"net/http"
	"slices"
	"strings"
	"sync"

	"golang.org/x/net/http/httpguts"

	"github.com/webnet-go/webnet/internal/httpmethod"
	"github.com/webnet-go/webnet/internal/mimetype"
	"github.com/webnet-go/webnet/internal/textenc"
)

// HeadersGuard is the guard of a [Headers]: which changes it accepts. The
// values are the spec's strings.
//
// Spec: https://fetch.spec.whatwg.org/#concept-headers-guard
type HeadersGuard string

// The guards.
const (
	// GuardNone accepts every valid header (the guard of NewHeaders).
	GuardNone HeadersGuard = "none"
	// GuardRequest silently ignores forbidden request headers (the guard of
	// a Request's headers).
	GuardRequest HeadersGuard = "request"
	// GuardRequestNoCORS keeps only no-CORS-safelisted request headers (a
	// Request with Mode ModeNoCORS).
	GuardRequestNoCORS HeadersGuard = "request-no-cors"
	// GuardResponse silently ignores forbidden response header names
	// (Set-Cookie, Set-Cookie2): the guard of NewResponse's headers.
	GuardResponse HeadersGuard = "response"
	// GuardImmutable refuses every change with an error wrapping
	// ErrTypeError (the headers of a fetched response).
	GuardImmutable HeadersGuard = "immutable"
)

// HeadersInit is what [NewHeaders], [RequestInit.Headers] and
// [ResponseInit.Headers] are filled from: any sequence of name/value pairs.
// [*Headers], [HeaderMap] and [HeaderList] implement it; for an [http.Header]
// use [HeadersFromHTTP].
//
// Spec: https://fetch.spec.whatwg.org/#typedefdef-headersinit
type HeadersInit interface {
	All() iter.Seq2[string, string]
}

// HeaderMap is a [HeadersInit] from a map, JavaScript's record<ByteString,
// ByteString> form ({"Content-Type": "text/plain"}). All yields the entries
// in sorted key order, so filling from a HeaderMap is deterministic.
//
// Spec: https://fetch.spec.whatwg.org/#typedefdef-headersinit
type HeaderMap map[string]string

// All yields the map's entries sorted by key.
//
// Spec: https://fetch.spec.whatwg.org/#concept-headers-fill
func (m HeaderMap) All() iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if !yield(k, m[k]) {
				return
			}
		}
	}
}

// HeaderList is a [HeadersInit] from name/value pairs in order,
// JavaScript's sequence<sequence<ByteString>> form ([["Accept", "*/*"]]).
// It may repeat a name.
//
// Spec: https://fetch.spec.whatwg.org/#typedefdef-headersinit
type HeaderList [][2]string

// All yields the pairs in order.
//
// Spec: https://fetch.spec.whatwg.org/#concept-headers-fill
func (l HeaderList) All() iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for _, p := range l {
			if !yield(p[0], p[1]) {
				return
			}
		}
	}
}

// header is one entry of a header list; name is lower case.
type header struct{ name, value string }

// Headers is an ordered, case-insensitive list of HTTP headers, the
// Fetch Standard's Headers class: the headers of a [Request] or [Response],
// or a list of your own from [NewHeaders].
//
// Names are compared case-insensitively and reported in lower case. Values
// have leading and trailing HTTP whitespace (tab, LF, CR, space) removed;
// a value containing NUL, CR or LF, or a name that is not an HTTP token, is
// refused with an error wrapping [ErrInvalidHeader] that names the header.
// The [HeadersGuard] decides which further changes are accepted; changes the
// guard forbids are ignored without error, as the spec says, except on an
// immutable Headers, which returns an error.
//
// The zero value is an empty Headers with guard [GuardNone]. Like
// [http.Header], a Headers is not safe for concurrent mutation; concurrent
// reads are safe.
//
// Deviation: names and values are Go strings, that is bytes: JavaScript's
// ByteString conversion (code points above U+00FF throw) has no Go
// counterpart, and a UTF-8 value is sent as its bytes.
//
// Spec: https://fetch.spec.whatwg.org/#headers-class
type Headers struct {
	guard HeadersGuard
	list  []header
	// hidden holds the forbidden request headers the "request" guard
	// ignored, so that a Client with AllowForbiddenHeaders can still send
	// them. They are invisible to every method.
	hidden []header
	// src, when non-nil, is the trusted source (a fetched response's
	// http.Header) of an immutable Headers: list is built from it on first
	// use, under once. It never changes.
	src  http.Header
	once sync.Once
}

// NewHeaders returns a Headers with guard [GuardNone] filled from init (nil
// for none). The first invalid name or value is returned as an error
// wrapping [ErrInvalidHeader].
//
// Spec: https://fetch.spec.whatwg.org/#dom-headers
func NewHeaders(init HeadersInit) (*Headers, error) {
	h := &Headers{guard: GuardNone}
	if err := h.fill(init); err != nil {
		return nil, err
	}
	return h, nil
}

// HeadersFromHTTP returns a Headers holding the entries of h, names lower
// cased and values normalized, each added as by [Headers.Append] under guard
// (so GuardRequest drops forbidden request headers and GuardResponse drops
// Set-Cookie), except that GuardImmutable is applied after filling. Entries
// that Append would refuse (an invalid name or value) are skipped. Keys are
// taken in sorted order; the values of one key keep their order. h is not
// retained.
//
// Deviation: a Go extension, the bridge from net/http.
//
// Spec: https://fetch.spec.whatwg.org/#concept-headers-fill
func HeadersFromHTTP(h http.Header, guard HeadersGuard) *Headers {
	out := &Headers{guard: guard}
	if guard == GuardImmutable || guard == "" {
		out.guard = GuardNone
	}
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			_ = out.Append(k, v) // an invalid entry is skipped, as documented
		}
	}
	if guard == GuardImmutable {
		out.guard = GuardImmutable
	}
	return out
}

// trustedHeaders wraps the http.Header of a response that net/http parsed
// (and validated) without copying it; the list is built on first use. The
// guard must be GuardImmutable.
func trustedHeaders(h http.Header, guard HeadersGuard) *Headers {
	return &Headers{guard: guard, src: h}
}

// load builds list from src on first use; it is safe for concurrent use.
func (h *Headers) load() {
	if h.src != nil {
		h.once.Do(h.build)
	}
}

// loaded returns the list, loaded.
func (h *Headers) loaded() []header {
	h.load()
	return h.list
}

func (h *Headers) build() {
	src := h.src
	keys := make([]string, 0, len(src))
	n := 0
	for k, vs := range src {
		keys = append(keys, k)
		n += len(vs)
	}
	slices.Sort(keys)
	h.list = make([]header, 0, n)
	for _, k := range keys {
		name := textenc.LowerASCII(k)
		for _, v := range src[k] {
			h.list = append(h.list, header{name, textenc.TrimHTTPWhitespace(v)})
		}
	}
}

// fill appends every pair of init.
//
// Spec: https://fetch.spec.whatwg.org/#concept-headers-fill
func (h *Headers) fill(init HeadersInit) error {
	if init == nil {
		return nil
	}
	if o, ok := init.(*Headers); ok && o == nil {
		return nil
	}
	// Filling a Headers from itself is safe: Headers.All iterates over a
	// snapshot.
	for name, value := range init.All() {
		if err := h.Append(name, value); err != nil {
			return err
		}
	}
	return nil
}

// clone returns a copy with the same guard.
func (h *Headers) clone() *Headers {
	h.load()
	return &Headers{guard: h.Guard(), list: slices.Clone(h.list), hidden: slices.Clone(h.hidden)}
}

// Guard returns the guard ([GuardNone] for the zero value).
//
// Spec: https://fetch.spec.whatwg.org/#concept-headers-guard
func (h *Headers) Guard() HeadersGuard {
	if h.guard == "" {
		return GuardNone
	}
	return h.guard
}

// validate is the spec's "validate" of (name, value) for h: an error when
// either is invalid or h is immutable; false when the guard forbids the
// header (the caller then ignores it).
//
// Spec: https://fetch.spec.whatwg.org/#headers-validate
func (h *Headers) validate(name, value string) (bool, error) {
	if !httpguts.ValidHeaderFieldName(name) {
		return false, errorf(ErrInvalidHeader, "header name %q is not a token", name)
	}
	if !validHeaderValue(value) {
		return false, errorf(ErrInvalidHeader, "header %q: value %q contains NUL, CR or LF", name, value)
	}
	switch h.Guard() {
	case GuardImmutable:
		return false, errorf(ErrTypeError, "header %q: headers are immutable", name)
	case GuardRequest:
		if IsForbiddenRequestHeader(name, value) {
			return false, nil
		}
	case GuardResponse:
		if IsForbiddenResponseHeaderName(name) {
			return false, nil
		}
	}
	return true, nil
}

// Append adds a header, keeping any existing ones of the same name (Get
// then combines them). It returns an error wrapping [ErrInvalidHeader] for
// an invalid name or value, or [ErrTypeError] for an immutable Headers; a
// header the guard forbids is ignored.
//
// Spec: https://fetch.spec.whatwg.org/#dom-headers-append
func (h *Headers) Append(name, value string) error {
	value = textenc.TrimHTTPWhitespace(value)
	ok, err := h.validate(name, value)
	if err != nil {
		return err
	}
	lname := textenc.LowerASCII(name)
	if !ok {
		if h.Guard() == GuardRequest {
			h.hidden = append(h.hidden, header{lname, value})
		}
		return nil
	}
	h.load()
	if h.Guard() == GuardRequestNoCORS {
		temp := value
		if v, ok := h.get(lname); ok {
			temp = v + ", " + value
		}
		if !isNoCORSSafelistedRequestHeader(lname, temp) {
			return nil
		}
	}
	h.list = append(h.list, header{lname, value})
	if h.Guard() == GuardRequestNoCORS {
		h.removePrivilegedNoCORS()
	}
	return nil
}

// Set replaces every header of that name with one (name, value), in the
// position of the first. Errors and guards are as for [Headers.Append].
//
// Spec: https://fetch.spec.whatwg.org/#dom-headers-set
func (h *Headers) Set(name, value string) error {
	value = textenc.TrimHTTPWhitespace(value)
	ok, err := h.validate(name, value)
	if err != nil {
		return err
	}
	lname := textenc.LowerASCII(name)
	if !ok {
		if h.Guard() == GuardRequest {
			h.hidden = setHeader(h.hidden, lname, value)
		}
		return nil
	}
	if h.Guard() == GuardRequestNoCORS && !isNoCORSSafelistedRequestHeader(lname, value) {
		return nil
	}
	h.load()
	h.list = setHeader(h.list, lname, value)
	h.hidden = deleteHeader(h.hidden, lname)
	if h.Guard() == GuardRequestNoCORS {
		h.removePrivilegedNoCORS()
	}
	return nil
}

// setHeader sets lname to value in list: the first entry of that name gets
// the value and the others are removed; with none, the pair is appended.
//
// Spec: https://fetch.spec.whatwg.org/#concept-header-list-set
func setHeader(list []header, lname, value string) []header {
	i := slices.IndexFunc(list, func(e header) bool { return e.name == lname })
	if i < 0 {
		return append(list, header{lname, value})
	}
	list[i].value = value
	out := list[:i+1]
	for _, e := range list[i+1:] {
		if e.name != lname {
			out = append(out, e)
		}
	}
	clear(list[len(out):])
	return out
}

// deleteHeader removes every entry named lname.
func deleteHeader(list []header, lname string) []header {
	return slices.DeleteFunc(list, func(e header) bool { return e.name == lname })
}

// removePrivilegedNoCORS removes the privileged no-CORS request headers
// (Range) from a request-no-cors Headers.
//
// Spec: https://fetch.spec.whatwg.org/#concept-headers-remove-privileged-no-cors-request-headers
func (h *Headers) removePrivilegedNoCORS() {
	h.list = deleteHeader(h.list, "range")
}

// Delete removes every header of that name. It returns an error wrapping
// [ErrInvalidHeader] for an invalid name or [ErrTypeError] for an immutable
// Headers; a name the guard protects is left alone.
//
// Spec: https://fetch.spec.whatwg.org/#dom-headers-delete
func (h *Headers) Delete(name string) error {
	ok, err := h.validate(name, "")
	if err != nil {
		return err
	}
	lname := textenc.LowerASCII(name)
	h.hidden = deleteHeader(h.hidden, lname)
	if !ok {
		return nil
	}
	if h.Guard() == GuardRequestNoCORS && !isNoCORSSafelistedRequestHeaderName(lname) && lname != "range" {
		return nil
	}
	h.load()
	h.list = deleteHeader(h.list, lname)
	return nil
}

// get returns the combined value of lname, list loaded.
//
// Spec: https://fetch.spec.whatwg.org/#concept-header-list-get
func (h *Headers) get(lname string) (string, bool) {
	var (
		first string
		b     []byte
		n     int
	)
	for _, e := range h.list {
		if e.name != lname {
			continue
		}
		switch n {
		case 0:
			first = e.value
		case 1:
			b = append(b, first...)
			fallthrough
		default:
			b = append(b, ", "...)
			b = append(b, e.value...)
		}
		n++
	}
	switch n {
	case 0:
		return "", false
	case 1:
		return first, true
	}
	return string(b), true
}

// Get returns the values of the headers named name, combined with ", " in
// order, and whether there is any. An invalid name has no value.
//
// Deviation: JavaScript's get returns null for a missing header and throws
// for an invalid name; Go returns ("", false) for both.
//
// Spec: https://fetch.spec.whatwg.org/#dom-headers-get
func (h *Headers) Get(name string) (string, bool) {
	if !httpguts.ValidHeaderFieldName(name) {
		return "", false
	}
	if h.src != nil {
		// Fast path on a response's headers: no need to build the list.
		// net/http stores every token name under its canonical key.
		vs, ok := h.src[http.CanonicalHeaderKey(name)]
		if !ok {
			return "", false
		}
		if len(vs) == 1 {
			return textenc.TrimHTTPWhitespace(vs[0]), true
		}
	}
	h.load()
	return h.get(textenc.LowerASCII(name))
}

// Has reports whether there is a header named name (false for an invalid
// name).
//
// Deviation: JavaScript's has throws for an invalid name.
//
// Spec: https://fetch.spec.whatwg.org/#dom-headers-has
func (h *Headers) Has(name string) bool {
	_, ok := h.Get(name)
	return ok
}

// GetSetCookie returns the values of the Set-Cookie headers, each on its
// own (they cannot be combined with commas), in order; nil when there are
// none.
//
// Spec: https://fetch.spec.whatwg.org/#dom-headers-getsetcookie
func (h *Headers) GetSetCookie() []string {
	h.load()
	var out []string
	for _, e := range h.list {
		if e.name == "set-cookie" {
			out = append(out, e.value)
		}
	}
	return out
}

// sortAndCombine returns the spec's "sort and combine" of the list: names
// in lower case and byte order, each with its combined value, except that
// every Set-Cookie header is its own entry.
//
// Spec: https://fetch.spec.whatwg.org/#concept-header-list-sort-and-combine
func (h *Headers) sortAndCombine() []header {
	h.load()
	names := make([]string, 0, len(h.list))
	for _, e := range h.list {
		names = append(names, e.name)
	}
	slices.Sort(names)
	names = slices.Compact(names)
	out := make([]header, 0, len(h.list))
	for _, name := range names {
		if name == "set-cookie" {
			for _, e := range h.list {
				if e.name == name {
					out = append(out, e)
				}
			}
			continue
		}
		v, _ := h.get(name)
		out = append(out, header{name, v})
	}
	return out
}

// All yields every header as (lower-case name, value) in the spec's sort
// and combine order: names sorted, the values of one name combined with
// ", ", but every Set-Cookie header yielded on its own. It iterates over a
// snapshot, so the loop body may modify h. It is JavaScript's
// entries()/forEach and for..of.
//
// Spec: https://fetch.spec.whatwg.org/#concept-headers-iterator
func (h *Headers) All() iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for _, e := range h.sortAndCombine() {
			if !yield(e.name, e.value) {
				return
			}
		}
	}
}

// Keys yields the names of [Headers.All], one per entry (so a name repeats
// only for Set-Cookie).
//
// Spec: https://fetch.spec.whatwg.org/#concept-headers-iterator
func (h *Headers) Keys() iter.Seq[string] {
	return func(yield func(string) bool) {
		for _, e := range h.sortAndCombine() {
			if !yield(e.name) {
				return
			}
		}
	}
}

// Values yields the values of [Headers.All]: every header's combined value,
// unlike [http.Header.Values], which gives the values of one key.
//
// Spec: https://fetch.spec.whatwg.org/#concept-headers-iterator
func (h *Headers) Values() iter.Seq[string] {
	return func(yield func(string) bool) {
		for _, e := range h.sortAndCombine() {
			if !yield(e.value) {
				return
			}
		}
	}
}

// HTTPHeader returns a new [http.Header] holding the headers, one value per
// entry in order (not combined), with canonical keys. The forbidden request
// headers a "request" guard ignored are not included.
//
// Deviation: a Go extension, the bridge to net/http.
//
// Spec: https://fetch.spec.whatwg.org/#concept-header-list
func (h *Headers) HTTPHeader() http.Header {
	if h.src != nil {
		return h.src.Clone()
	}
	return toHTTPHeader(0, h.list)
}

// toHTTPHeader converts header lists, in order, to a new http.Header with
// canonical keys and one value per entry, leaving room for extra more keys.
func toHTTPHeader(extra int, lists ...[]header) http.Header {
	n := extra
	for _, list := range lists {
		n += len(list)
	}
	out := make(http.Header, n)
	for _, list := range lists {
		for _, e := range list {
			k := http.CanonicalHeaderKey(e.name)
			out[k] = append(out[k], e.value)
		}
	}
	return out
}

// contains reports whether lname (lower case) is in the list.
func (h *Headers) contains(lname string) bool {
	h.load()
	for _, e := range h.list {
		if e.name == lname {
			return true
		}
	}
	return false
}

// mimeType is the spec's "extract a MIME type" over the Content-Type
// headers, or nil on failure.
//
// Spec: https://fetch.spec.whatwg.org/#concept-header-extract-mime-type
func (h *Headers) mimeType() *mimetype.MIMEType {
	h.load()
	var values []string
	for _, e := range h.list {
		if e.name == "content-type" {
			values = append(values, e.value)
		}
	}
	if values == nil {
		return nil
	}
	m, ok := mimetype.Extract(values)
	if !ok {
		return nil
	}
	return m
}

// validHeaderValue reports the spec's header value: no leading or trailing
// HTTP tab or space, and no NUL, CR or LF. Unlike
// httpguts.ValidHeaderFieldValue, other control bytes are allowed.
//
// Spec: https://fetch.spec.whatwg.org/#header-value
func validHeaderValue(v string) bool {
	if v != "" && (v[0] == ' ' || v[0] == '\t' || v[len(v)-1] == ' ' || v[len(v)-1] == '\t') {
		return false
	}
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case 0, '\r', '\n':
			return false
		}
	}
	return true
}

// forbiddenRequestHeaderNames are the forbidden request-header names
// (lower case), without the prefix and method-override rules.
var forbiddenRequestHeaderNames = map[string]bool{
	"accept-charset":                 true,
	"accept-encoding":                true,
	"access-control-request-headers": true,
	"access-control-request-method":  true,
	"connection":                     true,
	"content-length":                 true,
	"cookie":                         true,
	"cookie2":                        true,
	"date":                           true,
	"dnt":                            true,
	"expect":                         true,
	"host":                           true,
	"keep-alive":                     true,
	"origin":                         true,
	"referer":                        true,
	"set-cookie":                     true,
	"te":                             true,
	"trailer":                        true,
	"transfer-encoding":              true,
	"upgrade":                        true,
	"via":                            true,
}

// IsForbiddenRequestHeader reports whether (name, value) is a forbidden
// request header, one that only the user agent may set: a name on the
// spec's list (Accept-Charset … Via), any name starting with "Proxy-" or
// "Sec-", or X-HTTP-Method, X-HTTP-Method-Override or X-Method-Override
// whose value names a forbidden method (CONNECT, TRACE, TRACK) in any of its
// comma-separated parts. Names are compared case-insensitively.
//
// Spec: https://fetch.spec.whatwg.org/#forbidden-request-header
func IsForbiddenRequestHeader(name, value string) bool {
	lname := textenc.LowerASCII(name)
	if forbiddenRequestHeaderNames[lname] || strings.HasPrefix(lname, "proxy-") || strings.HasPrefix(lname, "sec-") {
		return true
	}
	switch lname {
	case "x-http-method", "x-http-method-override", "x-method-override":
		for m := range mimetype.SplitHeaderValue(value) {
			if httpmethod.Forbidden(m) {
				return true
			}
		}
	}
	return false
}

// IsForbiddenResponseHeaderName reports whether name is Set-Cookie or
// Set-Cookie2 (case-insensitively), which a "response" guard ignores.
//
// Spec: https://fetch.spec.whatwg.org/#forbidden-response-header-name
func IsForbiddenResponseHeaderName(name string) bool {
	switch textenc.LowerASCII(name) {
	case "set-cookie", "set-cookie2":
		return true
	}
	return false
}

// isNoCORSSafelistedRequestHeaderName reports the names a request-no-cors
// guard may keep.
//
// Spec: https://fetch.spec.whatwg.org/#no-cors-safelisted-request-header-name
func isNoCORSSafelistedRequestHeaderName(lname string) bool {
	switch lname {
	case "accept", "accept-language", "content-language", "content-type":
		return true
	}
	return false
}

// isNoCORSSafelistedRequestHeader reports a header a request-no-cors guard
// keeps.
//
// Spec: https://fetch.spec.whatwg.org/#no-cors-safelisted-request-header
func isNoCORSSafelistedRequestHeader(lname, value string) bool {
	return isNoCORSSafelistedRequestHeaderName(lname) && isCORSSafelistedRequestHeader(lname, value)
}

// isCORSSafelistedRequestHeader reports the CORS-safelisted request
// headers (Range is not needed here: it is never no-CORS-safelisted).
//
// Spec: https://fetch.spec.whatwg.org/#cors-safelisted-request-header
func isCORSSafelistedRequestHeader(lname, value string) bool {
	if len(value) > 128 {
		return false
	}
	switch lname {
	case "accept":
		return !hasCORSUnsafeByte(value)
	case "accept-language", "content-language":
		for i := 0; i < len(value); i++ {
			c := value[i]
			ok := '0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' ||
				strings.IndexByte(" *,-.;=", c) >= 0
			if !ok {
				return false
			}
		}
		return true
	case "content-type":
		if hasCORSUnsafeByte(value) {
			return false
		}
		m, ok := mimetype.Parse(value)
		if !ok {
			return false
		}
		switch m.Essence() {
		case "application/x-www-form-urlencoded", "multipart/form-data", "text/plain":
			return true
		}
	}
	return false
}

// hasCORSUnsafeByte reports a CORS-unsafe request-header byte in v.
//
// Spec: https://fetch.spec.whatwg.org/#cors-unsafe-request-header-byte
func hasCORSUnsafeByte(v string) bool {
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < 0x20 && c != '\t' || c == 0x7f || strings.IndexByte("\"():<>?@[\\]{}", c) >= 0 {
			return true
		}
	}
	return false
}
