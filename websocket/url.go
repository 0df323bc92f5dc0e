package websocket

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/net/http/httpguts"

	"github.com/webnet-go/webnet/url"
)

// urlRecord is the result of "get a URL record": the URL to connect to,
// already switched to ws or wss.
type urlRecord struct {
	href   string // the serialized URL, the url attribute
	origin string // the serialization of its origin, MessageEvent.origin
	port   int    // the port to connect to (the scheme's default if none)
}

// getURLRecord runs the spec's "get a URL record" on input and base (empty
// base: none).
//
// Spec: https://websockets.spec.whatwg.org/#get-a-url-record
func getURLRecord(input, base string) (urlRecord, error) {
	var (
		u   *url.URL
		err error
	)
	if base != "" {
		u, err = url.ParseWithBase(input, base)
	} else {
		u, err = url.Parse(input)
	}
	if err != nil {
		return urlRecord{}, fmt.Errorf("%w: %w", ErrSyntax, err)
	}
	switch u.Protocol() {
	case "http:":
		u.SetProtocol("ws")
	case "https:":
		u.SetProtocol("wss")
	case "ws:", "wss:":
	default:
		return urlRecord{}, fmt.Errorf("%w: the URL's scheme must be ws, wss, http or https, not %q",
			ErrSyntax, strings.TrimSuffix(u.Protocol(), ":"))
	}
	href := u.Href()
	// A fragment is non-null even when empty ("ws://h/#"), and Hash()
	// reports "" then, so look at the serialization: in a ws or wss URL
	// every other "#" is percent-encoded, so the first "#" starts the
	// fragment.
	if strings.IndexByte(href, '#') >= 0 {
		return urlRecord{}, fmt.Errorf("%w: a WebSocket URL cannot have a fragment: %q", ErrSyntax, href)
	}
	rec := urlRecord{href: href, origin: u.Origin().String()}
	if p := u.Port(); p != "" {
		rec.port, err = strconv.Atoi(p)
		if err != nil { // the URL parser only produces decimal ports
			return urlRecord{}, fmt.Errorf("%w: port %q", ErrSyntax, p)
		}
	} else if u.Protocol() == "wss:" {
		rec.port = 443
	} else {
		rec.port = 80
	}
	return rec, nil
}

// checkProtocols applies the constructor's subprotocol rules: each must be
// a token as the Sec-WebSocket-Protocol header requires, with no
// duplicates compared ASCII case-insensitively.
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-websocket (step 5)
func checkProtocols(protocols []string) error {
	for i, p := range protocols {
		// An RFC 9110 token (1*tchar), the grammar of a header name.
		//
		// Spec: https://www.rfc-editor.org/rfc/rfc9110#name-tokens
		if !httpguts.ValidHeaderFieldName(p) {
			return fmt.Errorf("%w: subprotocol %q is not a valid token", ErrSyntax, p)
		}
		for _, q := range protocols[:i] {
			if strings.EqualFold(p, q) {
				return fmt.Errorf("%w: subprotocol %q is repeated", ErrSyntax, p)
			}
		}
	}
	return nil
}

// badPorts is Fetch's list of ports a user agent refuses to connect to.
//
// Spec: https://fetch.spec.whatwg.org/#bad-port
var badPorts = map[int]bool{
	0: true, 1: true, 7: true, 9: true, 11: true, 13: true, 15: true, 17: true, 19: true,
	20: true, 21: true, 22: true, 23: true, 25: true, 37: true, 42: true, 43: true, 53: true,
	69: true, 77: true, 79: true, 87: true, 95: true, 101: true, 102: true, 103: true,
	104: true, 109: true, 110: true, 111: true, 113: true, 115: true, 117: true, 119: true,
	123: true, 135: true, 137: true, 139: true, 143: true, 161: true, 179: true, 389: true,
	427: true, 465: true, 512: true, 513: true, 514: true, 515: true, 526: true, 530: true,
	531: true, 532: true, 540: true, 548: true, 554: true, 556: true, 563: true, 587: true,
	601: true, 636: true, 989: true, 990: true, 993: true, 995: true, 1719: true, 1720: true,
	1723: true, 2049: true, 3659: true, 4045: true, 4190: true, 5060: true, 5061: true,
	6000: true, 6566: true, 6665: true, 6666: true, 6667: true, 6668: true, 6669: true,
	6679: true, 6697: true, 10080: true,
}
