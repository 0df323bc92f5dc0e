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
