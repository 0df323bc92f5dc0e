package fetch

import (
	"net"
	"strings"

	"github.com/webnet-go/webnet/url"
)

// determineReferrer returns the Referer header value for a request from
// referrer (a serialized URL) to target under policy, or "" for none. It
// runs again on every redirect hop, as the spec's HTTP-redirect fetch does.
//
// Spec: https://w3c.github.io/webappsec-referrer-policy/#determine-requests-referrer
func determineReferrer(referrer string, policy ReferrerPolicy, target *url.URL) string {
	ref, err := parseURL(referrer)
	if err != nil {
		return ""
	}
	full, ok := stripForReferrer(ref, false)
	if !ok {
		return ""
	}
	origin, _ := stripForReferrer(ref, true)
	if len(full) > 4096 {
		full = origin
	}
	downgrade := isTrustworthy(ref) && !isTrustworthy(target)
	same := sameOrigin(ref, target)
	switch policy {
	case ReferrerPolicyNoReferrer:
		return ""
	case ReferrerPolicyOrigin:
		return origin
	case ReferrerPolicyUnsafeURL:
		return full
	case ReferrerPolicyStrictOrigin:
		if downgrade {
			return ""
		}
		return origin
	case ReferrerPolicySameOrigin:
		if same {
			return full
		}
		return ""
	case ReferrerPolicyOriginWhenCrossOrigin:
		if same {
			return full
		}
		return origin
	case ReferrerPolicyNoReferrerWhenDowngrade:
		if downgrade {
			return ""
		}
		return full
	default: // "" and strict-origin-when-cross-origin
		if same {
			return full
		}
		if downgrade {
			return ""
		}
		return origin
	}
}

// stripForReferrer serializes u for use as a referrer: without
// credentials and fragment, and with originOnly without path and query.
// ok is false for local schemes (about, blob, data).
//
// Spec: https://w3c.github.io/webappsec-referrer-policy/#strip-url
func stripForReferrer(u *url.URL, originOnly bool) (string, bool) {
	switch urlScheme(u) {
	case "about", "blob", "data":
		return "", false
	}
	if originOnly {
		o := urlOrigin(u)
		if o == "null" {
			return "", false
		}
		return o + "/", true
	}
	s := stripFragment(urlHref(u))
	if urlHasCredentials(u) {
		// scheme://user:pass@host... : drop everything between "//" and "@".
		if i := strings.Index(s, "//"); i >= 0 {
			if j := strings.IndexByte(s[i+2:], '@'); j >= 0 {
				s = s[:i+2] + s[i+2+j+1:]
			}
		}
	}
	return s, true
}

// isTrustworthy is the spec's "potentially trustworthy URL", for the
// schemes and hosts fetch can reach: https and wss, and the loopback
// hosts.
//
// Spec: https://w3c.github.io/webappsec-secure-contexts/#is-url-trustworthy
func isTrustworthy(u *url.URL) bool {
	switch urlScheme(u) {
	case "https", "wss":
		return true
	case "http", "ws":
		h := strings.Trim(u.Hostname(), "[]")
		if h == "localhost" || strings.HasSuffix(h, ".localhost") {
			return true
		}
		ip := net.ParseIP(h)
		return ip != nil && ip.IsLoopback()
	}
	return false
}
