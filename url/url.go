package url

import (
	"encoding/json"
	"strconv"
	"unsafe"
)

// URL is a parsed URL: what new URL(...) returns in JavaScript, exact to the
// URL Standard. Create one with [Parse], [ParseWithBase] or [URL.Parse];
// read its components with the getters ([URL.Href], [URL.Protocol],
// [URL.Host], [URL.Pathname], [URL.Search], [URL.Hash], ...); change them
// with the setters, which run the spec's setter algorithms.
//
// A URL keeps its serialization and the positions of the components inside
// it, so [URL.Href] and the getters do not allocate.
//
// Its query is live-linked to the [SearchParams] that [URL.SearchParams]
// returns: changing one changes the other, as in the browser.
//
// The zero value is an empty URL that is not valid: its getters return ""
// (and [URL.Origin] an opaque origin), its setters other than [URL.SetHref]
// do nothing. [URL.SetHref] and [URL.UnmarshalText] make it a real one.
//
// A URL is not safe for concurrent mutation (setters, SetHref,
// UnmarshalText, and changes through its SearchParams); concurrent getter
// calls are safe, except [URL.SearchParams], which creates the live
// SearchParams on first use and so counts as a mutation. Do not copy a URL
// by value: the copy would share the original's SearchParams. Use
// [URL.Clone].
//
// Spec: https://url.spec.whatwg.org/#url-class
type URL struct {
	_ urlNoCopy

	href string

	// Offsets into href. The scheme is href[:schemeEnd] (":" follows);
	// the port's digits are href[hostEnd+1:portEnd] when the port is
	// non-null (portEnd == hostEnd otherwise); queryStart and fragStart
	// point after the "?" and "#".
	schemeEnd            uint32
	userStart, userEnd   uint32
	passStart, passEnd   uint32
	hostStart, hostEnd   uint32
	portEnd              uint32
	pathStart, pathEnd   uint32
	queryStart, queryEnd uint32
	fragStart            uint32

	port  int32 // -1 is null
	flags uint8

	searchParams *SearchParams // created on first use
}

// urlNoCopy makes go vet's copylocks check flag copies of a URL.
type urlNoCopy struct{}

func (*urlNoCopy) Lock()   {}
func (*urlNoCopy) Unlock() {}

const (
	flagHasHost uint8 = 1 << iota
	flagOpaque
	flagHasQuery
	flagHasFragment
)

// Parse parses input as an absolute URL: new URL(input).
//
// On failure the error wraps [ErrInvalidURL] and names the validation error
// that made the parser fail, for example "missing-scheme-non-relative-URL"
// for a relative reference such as "/path".
//
// Deviation: bytes of input that are not valid UTF-8 are each replaced by
// U+FFFD before parsing (a JavaScript string cannot hold them).
//
// Spec: https://url.spec.whatwg.org/#dom-url-url
func Parse(input string) (*URL, error) { return parse(input, nil) }

// ParseWithBase parses input as a URL, relative to base when input is a
// relative reference: new URL(input, base). base itself must be an absolute
// URL; when it is not, the error says so.
//
// Spec: https://url.spec.whatwg.org/#dom-url-url
func ParseWithBase(input, base string) (*URL, error) {
	b := record{port: -1}
	if code := basicParse(cleanInput(base, true), nil, &b, stateNone); code != codeOK {
		return nil, invalidBaseError(base, code)
	}
	return parse(input, &b)
}

// Parse parses ref in the context of u: new URL(ref, u). ref may be
// absolute or relative; u is not modified. It mirrors net/url's
// (*URL).Parse.
//
// Spec: https://url.spec.whatwg.org/#dom-url-url
func (u *URL) Parse(ref string) (*URL, error) {
	var base *record
	if u != nil && u.href != "" {
		b := u.toRecord()
		base = &b
	}
	return parse(ref, base)
}

// parse runs the basic URL parser on input, against base when it is not
// nil, and returns the new URL or an error naming input.
//
// Spec: https://url.spec.whatwg.org/#concept-basic-url-parser
func parse(input string, base *record) (*URL, error) {
	r := record{port: -1}
	in := cleanInput(input, true)
	if code := basicParse(in, base, &r, stateNone); code != codeOK {
		return nil, invalidURLError(input, code)
	}
	u := new(URL)
	u.setRecord(&r, in)
	return u, nil
}

// CanParse reports whether [Parse] would succeed: URL.canParse(input). It
// allocates less than Parse.
//
// Spec: https://url.spec.whatwg.org/#dom-url-canparse
func CanParse(input string) bool {
	r := record{port: -1}
	return basicParse(cleanInput(input, true), nil, &r, stateNone) == codeOK
}

// CanParseWithBase reports whether [ParseWithBase] would succeed:
// URL.canParse(input, base).
//
// Spec: https://url.spec.whatwg.org/#dom-url-canparse
func CanParseWithBase(input, base string) bool {
	b := record{port: -1}
	if basicParse(cleanInput(base, true), nil, &b, stateNone) != codeOK {
		return false
	}
	r := record{port: -1}
	return basicParse(cleanInput(input, true), &b, &r, stateNone) == codeOK
}

// Clone returns a deep copy of u with its own [SearchParams] (created
// afresh from the query on first use). It is the Go way to copy a URL;
// JavaScript writes new URL(u.href).
//
// Spec: https://url.spec.whatwg.org/#concept-url
func (u *URL) Clone() *URL {
	v := new(URL)
	v.href = u.href
	v.schemeEnd, v.userStart, v.userEnd = u.schemeEnd, u.userStart, u.userEnd
	v.passStart, v.passEnd, v.hostStart, v.hostEnd = u.passStart, u.passEnd, u.hostStart, u.hostEnd
	v.portEnd, v.pathStart, v.pathEnd = u.portEnd, u.pathStart, u.pathEnd
	v.queryStart, v.queryEnd, v.fragStart = u.queryStart, u.queryEnd, u.fragStart
	v.port, v.flags = u.port, u.flags
	return v
}

// setRecord makes u the serialization of r, laid out as the URL serializer
// writes it. When input already is that serialization (the common case of a
// normalized URL) u keeps input itself instead of a copy.
//
// Spec: https://url.spec.whatwg.org/#concept-url-serializer
func (u *URL) setRecord(r *record, input string) {
	var portBuf [8]byte
	portStr := []byte(nil)
	if r.port >= 0 {
		portStr = strconv.AppendInt(portBuf[:0], int64(r.port), 10)
	}
	n := len(r.scheme) + 1
	if r.hasHost {
		n += 2
		if r.includesCredentials() {
			n += len(r.username) + 1
			if r.password != "" {
				n += 1 + len(r.password)
			}
		}
		n += len(r.host)
		if r.port >= 0 {
			n += 1 + len(portStr)
		}
	}
	if r.needsDotPrefix() {
		n += 2
	}
	n += len(r.path)
	if r.hasQuery {
		n += 1 + len(r.query)
	}
	if r.hasFragment {
		n += 1 + len(r.fragment)
	}
	if n <= 256 {
		// Serialize on the stack; keep input when it is the serialization.
		var stack [256]byte
		b := u.serialize(stack[:0], r, portStr)
		if string(b) == input {
			u.href = input
		} else {
			u.href = string(b)
		}
		return
	}
	b := u.serialize(make([]byte, 0, n), r, portStr)
	// b was allocated for this URL alone and is never written again.
	u.href = unsafe.String(unsafe.SliceData(b), len(b))
}

// serialize appends the URL serializer's output for r to b, recording the
// component offsets in u.
func (u *URL) serialize(b []byte, r *record, portStr []byte) []byte {
	b = append(b, r.scheme...)
	u.schemeEnd = uint32(len(b))
	b = append(b, ':')
	u.flags = 0
	if r.hasHost {
		u.flags |= flagHasHost
		b = append(b, "//"...)
		u.userStart = uint32(len(b))
		u.userEnd, u.passStart, u.passEnd = u.userStart, u.userStart, u.userStart
		if r.includesCredentials() {
			b = append(b, r.username...)
			u.userEnd = uint32(len(b))
			u.passStart, u.passEnd = u.userEnd, u.userEnd
			if r.password != "" {
				b = append(b, ':')
				u.passStart = uint32(len(b))
				b = append(b, r.password...)
				u.passEnd = uint32(len(b))
			}
			b = append(b, '@')
		}
		u.hostStart = uint32(len(b))
		b = append(b, r.host...)
		u.hostEnd = uint32(len(b))
		if r.port >= 0 {
			b = append(b, ':')
			b = append(b, portStr...)
		}
		u.portEnd = uint32(len(b))
	} else {
		e := uint32(len(b))
		u.userStart, u.userEnd, u.passStart, u.passEnd = e, e, e, e
		u.hostStart, u.hostEnd, u.portEnd = e, e, e
	}
	if r.needsDotPrefix() {
		b = append(b, "/."...)
	}
	u.pathStart = uint32(len(b))
	b = append(b, r.path...)
	u.pathEnd = uint32(len(b))
	if r.opaque {
		u.flags |= flagOpaque
	}
	u.queryStart, u.queryEnd = u.pathEnd, u.pathEnd
	if r.hasQuery {
		u.flags |= flagHasQuery
		b = append(b, '?')
		u.queryStart = uint32(len(b))
		b = append(b, r.query...)
		u.queryEnd = uint32(len(b))
	}
	u.fragStart = uint32(len(b))
	if r.hasFragment {
		u.flags |= flagHasFragment
		b = append(b, '#')
		u.fragStart = uint32(len(b))
		b = append(b, r.fragment...)
	}
	u.port = r.port
	return b
}

// toRecord returns u's URL record; its strings are substrings of u's href.
func (u *URL) toRecord() record {
	h := u.href
	r := record{
		scheme:      h[:u.schemeEnd],
		port:        u.port,
		hasHost:     u.flags&flagHasHost != 0,
		opaque:      u.flags&flagOpaque != 0,
		hasQuery:    u.flags&flagHasQuery != 0,
		hasFragment: u.flags&flagHasFragment != 0,
		path:        h[u.pathStart:u.pathEnd],
	}
	if r.hasHost {
		r.username = h[u.userStart:u.userEnd]
		r.password = h[u.passStart:u.passEnd]
		r.host = h[u.hostStart:u.hostEnd]
	}
	if r.hasQuery {
		r.query = h[u.queryStart:u.queryEnd]
	}
	if r.hasFragment {
		r.fragment = h[u.fragStart:]
	}
	return r
}

// Href returns the URL serialized: the href attribute. It does not allocate.
//
// Spec: https://url.spec.whatwg.org/#dom-url-href
func (u *URL) Href() string { return u.href }

// String returns [URL.Href], the URL's stringifier (url.toString()).
//
// Spec: https://url.spec.whatwg.org/#dom-url-href
func (u *URL) String() string { return u.href }

// Protocol returns the scheme followed by ":", for example "https:".
//
// Spec: https://url.spec.whatwg.org/#dom-url-protocol
func (u *URL) Protocol() string {
	if u.href == "" {
		return ""
	}
	return u.href[:u.schemeEnd+1]
}

// scheme returns the scheme without ":".
func (u *URL) scheme() string { return u.href[:u.schemeEnd] }

// Username returns the percent-encoded username, "" when there is none.
//
// Spec: https://url.spec.whatwg.org/#dom-url-username
func (u *URL) Username() string { return u.href[u.userStart:u.userEnd] }

// Password returns the percent-encoded password, "" when there is none.
//
// Spec: https://url.spec.whatwg.org/#dom-url-password
func (u *URL) Password() string { return u.href[u.passStart:u.passEnd] }

// Host returns the serialized host followed by ":" and the port when the
// port is not null, for example "example.com:8080" or "[::1]"; "" when the
// host is null.
//
// Spec: https://url.spec.whatwg.org/#dom-url-host
func (u *URL) Host() string { return u.href[u.hostStart:u.portEnd] }

// Hostname returns the serialized host without the port: a domain in ASCII
// (Punycode for internationalized labels), an IPv4 address in dotted
// decimal, an IPv6 address in brackets, or an opaque host; "" when the host
// is null or empty.
//
// Spec: https://url.spec.whatwg.org/#dom-url-hostname
func (u *URL) Hostname() string { return u.href[u.hostStart:u.hostEnd] }

// Port returns the port in decimal, or "" when it is null, which includes
// the scheme's default port (new URL("https://a:443/").port is "").
//
// Spec: https://url.spec.whatwg.org/#dom-url-port
func (u *URL) Port() string {
	if u.portEnd == u.hostEnd {
		return ""
	}
	return u.href[u.hostEnd+1 : u.portEnd]
}

// Pathname returns the serialized path: "/"-separated percent-encoded
// segments, or the opaque path of a URL such as "mailto:x@example.com".
//
// Spec: https://url.spec.whatwg.org/#dom-url-pathname
func (u *URL) Pathname() string { return u.href[u.pathStart:u.pathEnd] }

// Search returns "?" followed by the percent-encoded query, or "" when the
// query is null or empty.
//
// Spec: https://url.spec.whatwg.org/#dom-url-search
func (u *URL) Search() string {
	if u.queryEnd == u.queryStart {
		return ""
	}
	return u.href[u.queryStart-1 : u.queryEnd]
}

// Hash returns "#" followed by the percent-encoded fragment, or "" when the
// fragment is null or empty.
//
// Spec: https://url.spec.whatwg.org/#dom-url-hash
func (u *URL) Hash() string {
	if int(u.fragStart) == len(u.href) {
		return ""
	}
	return u.href[u.fragStart-1:]
}

// query returns the query, "" when it is null.
func (u *URL) query() string {
	if u.flags&flagHasQuery == 0 {
		return ""
	}
	return u.href[u.queryStart:u.queryEnd]
}

// SearchParams returns the URL's query as a live [SearchParams]: the same
// object on every call, updated when the query changes through the URL's
// setters, and changing the URL's query when it is modified (an empty
// result removes the "?").
//
// The object is created on the first call, which therefore counts as a
// mutation of u for concurrency purposes.
//
// Spec: https://url.spec.whatwg.org/#dom-url-searchparams
func (u *URL) SearchParams() *SearchParams {
	if u.searchParams == nil {
		u.searchParams = newSearchParamsForURL(u, u.query())
	}
	return u.searchParams
}

// updateFromSearchParams is the URLSearchParams update steps, called by the
// live SearchParams after each change with its serialization: an empty
// serialization sets the query to null.
//
// Spec: https://url.spec.whatwg.org/#concept-urlsearchparams-update
func (u *URL) updateFromSearchParams(serialized string) {
	if u.href == "" {
		return
	}
	r := u.toRecord()
	r.query, r.hasQuery = serialized, serialized != ""
	u.setRecord(&r, "")
}

// queryChanged re-reads the live SearchParams' list after the query was
// changed through the URL; input is what the list is parsed from.
func (u *URL) queryChanged(input string) {
	if u.searchParams != nil {
		u.searchParams.replaceFromQuery(input)
	}
}

// MarshalJSON encodes the URL as a JSON string of its href: url.toJSON().
//
// Spec: https://url.spec.whatwg.org/#dom-url-tojson
func (u *URL) MarshalJSON() ([]byte, error) { return json.Marshal(u.href) }

// MarshalText returns the href, so a URL works as a text field in any
// encoding (JSON, XML, flags).
//
// Spec: https://url.spec.whatwg.org/#dom-url-href
func (u *URL) MarshalText() ([]byte, error) { return []byte(u.href), nil }

// UnmarshalText parses text as an absolute URL and makes u that URL, like
// [URL.SetHref]. On failure u is unchanged and the error wraps
// [ErrInvalidURL].
//
// Spec: https://url.spec.whatwg.org/#dom-url-href
func (u *URL) UnmarshalText(text []byte) error { return u.SetHref(string(text)) }
