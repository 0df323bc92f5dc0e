package fetch

import (
	neturl "net/url"

	"github.com/webnet-go/webnet/url"
)

// The URL operations fetch needs, kept in one place.

// parseURL parses an absolute URL with the URL Standard's parser.
//
// Spec: https://url.spec.whatwg.org/#concept-url-parser
func parseURL(s string) (*url.URL, error) { return url.Parse(s) }

// resolveURL parses ref against base (a redirect's Location).
//
// Spec: https://fetch.spec.whatwg.org/#concept-response-location-url
func resolveURL(base *url.URL, ref string) (*url.URL, error) { return base.Parse(ref) }

// urlHref serializes u.
func urlHref(u *url.URL) string { return u.Href() }

// urlScheme returns u's scheme without the colon.
func urlScheme(u *url.URL) string {
	p := u.Protocol()
	return p[:len(p)-1]
}

// urlHasCredentials reports a URL with a username or a password.
//
// Spec: https://url.spec.whatwg.org/#include-credentials
func urlHasCredentials(u *url.URL) bool { return u.Username() != "" || u.Password() != "" }

// sameOrigin reports whether a and b have the same origin.
//
// Spec: https://html.spec.whatwg.org/multipage/browsers.html#same-origin
func sameOrigin(a, b *url.URL) bool { return a.Origin().SameOrigin(b.Origin()) }

// urlOrigin serializes u's origin ("null" when opaque).
func urlOrigin(u *url.URL) string { return u.Origin().String() }

// urlPort returns u's port ("" for the scheme's default).
func urlPort(u *url.URL) string { return u.Port() }

// netURL converts u for net/http.
func netURL(u *url.URL) *neturl.URL { return u.NetURL() }
