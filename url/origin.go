package url

import "strconv"

// Origin is the origin of a URL: either a tuple (scheme, host, port) or an
// opaque origin. Only http, https, ws, wss and ftp URLs (and blob URLs
// wrapping an http or https URL) have tuple origins; every other URL,
// file URLs included, has an opaque origin, serialized as "null".
//
// An Origin is a small immutable value, safe to copy and to use from any
// goroutine. The zero value is an opaque origin.
//
// Deviation: the HTML Standard gives every opaque origin an identity, equal
// only to itself. A Go value cannot carry one, so [Origin.SameOrigin]
// reports false for any two opaque origins, even copies of one value.
//
// Spec: https://html.spec.whatwg.org/multipage/browsers.html#concept-origin
type Origin struct {
	scheme string // "" for an opaque origin
	host   string // serialized host
	port   int32  // -1 is null; meaningless for an opaque origin
}

// Opaque reports whether o is an opaque origin (serialized as "null").
//
// Spec: https://html.spec.whatwg.org/multipage/browsers.html#concept-origin-opaque
func (o Origin) Opaque() bool { return o.scheme == "" }

// Scheme returns the scheme of a tuple origin, such as "https"; "" when o
// is opaque.
//
// Spec: https://html.spec.whatwg.org/multipage/browsers.html#concept-origin-scheme
func (o Origin) Scheme() string { return o.scheme }

// Host returns the serialized host of a tuple origin ("example.com",
// "127.0.0.1", "[::1]"); "" when o is opaque.
//
// Spec: https://html.spec.whatwg.org/multipage/browsers.html#concept-origin-host
func (o Origin) Host() string { return o.host }

// Port returns the port of a tuple origin in decimal, or "" when it is null
// (the scheme's default port) or o is opaque.
//
// Spec: https://html.spec.whatwg.org/multipage/browsers.html#concept-origin-port
func (o Origin) Port() string {
	if o.scheme == "" || o.port < 0 {
		return ""
	}
	return strconv.Itoa(int(o.port))
}

// String returns the serialization of o: "null" for an opaque origin,
// otherwise scheme "://" host, followed by ":" port when the port is not
// null, for example "https://example.com:8443". It is what url.origin
// returns in JavaScript.
//
// Spec: https://html.spec.whatwg.org/multipage/browsers.html#ascii-serialisation-of-an-origin
func (o Origin) String() string {
	if o.scheme == "" {
		return "null"
	}
	s := o.scheme + "://" + o.host
	if o.port >= 0 {
		s += ":" + strconv.Itoa(int(o.port))
	}
	return s
}

// SameOrigin reports whether o and other are the same origin: both tuples
// with identical scheme, host and port. Opaque origins are never the same
// origin as anything (see the Deviation note on [Origin]).
//
// Spec: https://html.spec.whatwg.org/multipage/browsers.html#same-origin
func (o Origin) SameOrigin(other Origin) bool {
	return o.scheme != "" && o.scheme == other.scheme && o.host == other.host && o.port == other.port
}

// Origin returns the origin of u. For a string, as url.origin gives it in
// JavaScript, use u.Origin().String().
//
// Spec: https://url.spec.whatwg.org/#concept-url-origin
func (u *URL) Origin() Origin {
	if u.href == "" {
		return Origin{}
	}
	switch u.scheme() {
	case "blob":
		// The origin of the URL the path holds, when that is an http(s)
		// URL. A blob URL entry (a URL minted by URL.createObjectURL) does
		// not exist outside a browser.
		r := record{port: -1}
		if basicParse(cleanInput(u.Pathname(), true), nil, &r, stateNone) != codeOK {
			return Origin{}
		}
		if r.scheme == "http" || r.scheme == "https" {
			return Origin{scheme: r.scheme, host: r.host, port: r.port}
		}
		return Origin{}
	case "ftp", "http", "https", "ws", "wss":
		return Origin{scheme: u.scheme(), host: u.Hostname(), port: u.port}
	}
	// "file" is left to the implementation by the spec; like browsers,
	// it gets an opaque origin.
	return Origin{}
}
