package url

import neturl "net/url"

// FromNetURL converts a net/url URL by serializing it with its String method
// and parsing the result as an absolute WHATWG URL, so the result is exactly
// what new URL(u.String()) gives in a browser: the host goes through IDNA,
// the path is normalized and percent-encoded by the URL Standard's rules.
// A relative u (no scheme) is an error wrapping [ErrInvalidURL]; resolve it
// first with (*net/url.URL).ResolveReference or use [URL.Parse] on a base.
//
// Spec: https://url.spec.whatwg.org/#concept-url-parser
func FromNetURL(u *neturl.URL) (*URL, error) {
	return Parse(u.String())
}

// NetURL converts u to a new *net/url.URL with the same components, for APIs
// such as net/http that take one. The scheme and port carry over as they
// are; the host, path, fragment and userinfo are stored decoded, as net/url
// keeps them, with the raw forms in RawPath and RawFragment; the query goes
// to RawQuery as it is. A URL with an opaque path (such as
// "mailto:a@example.com") gets it in Opaque.
//
// The result means the same as u. Its String is u's href wherever net/url
// can write the same bytes; where it cannot (it escapes some code points
// the URL Standard leaves alone, such as "" in a non-special path, and
// rejects malformed escapes in RawPath) it writes an equivalent encoding.
//
// Deviation: net/url cannot express an empty fragment ("https://a/#") or an
// empty host with an empty path ("sc://"): NetURL drops the empty fragment
// and the empty host in those cases. An empty query ("https://a/?") is kept
// with ForceQuery.
//
// Spec: https://url.spec.whatwg.org/#concept-url
func (u *URL) NetURL() *neturl.URL {
	if u.href == "" {
		return &neturl.URL{}
	}
	r := u.toRecord()
	n := &neturl.URL{Scheme: r.scheme}
	if r.opaque {
		n.Opaque = r.path
	} else {
		if r.needsDotPrefix() {
			r.path = "/." + r.path // as the URL serializer writes it
		}
		// net/url keeps the decoded path and, when it is a valid encoding
		// of it, the raw one (EscapedPath picks it).
		n.Path = percentDecode(r.path)
		if n.Path != r.path {
			n.RawPath = r.path
		}
	}
	if r.hasHost {
		// net/url holds the host decoded and escapes it when serializing.
		n.Host = percentDecode(u.Host())
		if r.includesCredentials() {
			if r.password != "" {
				n.User = neturl.UserPassword(percentDecode(r.username), percentDecode(r.password))
			} else {
				n.User = neturl.User(percentDecode(r.username))
			}
		}
	} else if !r.opaque {
		n.OmitHost = true
	}
	if r.hasQuery {
		n.RawQuery = r.query
		n.ForceQuery = r.query == ""
	}
	if r.hasFragment && r.fragment != "" {
		n.Fragment = percentDecode(r.fragment)
		n.RawFragment = r.fragment
	}
	return n
}
