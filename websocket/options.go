package websocket

import (
	"context"
	"net/http"
	"time"

	cws "github.com/coder/websocket"
)

// Options configures a WebSocket made by [NewWithOptions]. The JavaScript
// constructor takes only a URL and subprotocols; everything else here is a
// Go extension with the browser's behaviour as its zero value where there
// is one. A nil *Options means all defaults. NewWithOptions copies the
// struct (and its slices and header) before applying defaults, so the
// caller may reuse or change it afterwards; it is never modified.
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-websocket
type Options struct {
	// Protocols lists the subprotocols to offer, in order of preference:
	// the constructor's second argument. Each must be an HTTP token, and no
	// two may be equal ASCII case-insensitively, else [ErrSyntax].
	Protocols []string

	// Base is the base URL relative URLs are resolved against, as a
	// browser resolves them against the document's URL ("/chat" on a page
	// at https://example.com/ means wss://example.com/chat). Empty means
	// no base: a relative URL is then an [ErrSyntax].
	Base string

	// Origin, when not empty, is sent as the Origin request header, which
	// servers use to decide whether to accept the connection. A browser
	// always sends its document's origin; a Go program has none, so the
	// default is to send no Origin header (coder/websocket's Accept allows
	// that).
	Origin string

	// Header holds extra request headers for the opening handshake, such as
	// Authorization or Cookie. The handshake's own headers (Upgrade,
	// Connection, Sec-WebSocket-*) cannot be overridden.
	Header http.Header

	// HTTPClient makes the opening handshake. Nil means a private client
	// with no cookie jar and no connection reuse. Its Jar, Transport,
	// Timeout (which bounds the handshake only) and proxy settings are
	// used; redirects are never followed, whatever its CheckRedirect says,
	// since Fetch establishes WebSockets with redirect mode "error". The
	// client is copied, never modified.
	HTTPClient *http.Client

	// Compression selects the permessage-deflate extension (RFC 7692).
	// The zero value, CompressionDisabled, offers none.
	//
	// Deviation: browsers always offer permessage-deflate; compression
	// costs CPU and memory per connection, so it is opt-in here.
	Compression Compression

	// ReadLimit is the largest message, in bytes, that is delivered to
	// message handlers; a longer one fails the connection with status 1009
	// and [ErrMessageTooBig]. Zero means 64 MiB; a negative value means no
	// limit.
	ReadLimit int64

	// BinaryType is the initial [WebSocket.BinaryType]; the zero value
	// means "blob", the spec's default.
	BinaryType BinaryType

	// PingInterval, when positive, turns on the heartbeat: a ping is sent
	// every PingInterval while the connection is open, and if its pong
	// does not arrive within PongTimeout, the connection fails with
	// [ErrPongTimeout] (an error event, then a close event with code 1006).
	// It detects peers that vanished without closing the TCP connection.
	// Pongs are read by the goroutine that runs the handlers, between
	// events, so PongTimeout must be longer than any handler runs.
	//
	// Deviation: browsers have no heartbeat (they only answer pings); this
	// is a Go extension and off by default.
	PingInterval time.Duration

	// PongTimeout is how long the heartbeat waits for each pong. Zero
	// means PingInterval.
	PongTimeout time.Duration

	// CloseTimeout bounds the close started by Close, CloseWith or ctx:
	// writing the messages still queued, then the closing handshake. When
	// it runs out the TCP connection is dropped and the close event has
	// code 1006 and WasClean false. Zero means 10 seconds.
	//
	// Deviation: the spec sets no limit; a Go program needs Close to
	// return even when the peer stops reading.
	CloseTimeout time.Duration

	// Setup, when not nil, is called by NewWithOptions with the new
	// WebSocket, on the caller's goroutine, before any connection work
	// starts. Register handlers there: JavaScript code sets ws.onopen
	// right after new WebSocket(...) and is sure not to miss the open
	// event, because events wait for the current task to end; a Go
	// program has no such task boundary, so handlers registered after New
	// returns may miss the open event and early messages. Setup receives
	// the WebSocket as an argument so handlers can capture it without a
	// data race.
	Setup func(ws *WebSocket)

	// beforeWrite, when set by a test, runs in the writer goroutine before
	// each data message is written, with the connection's lifetime
	// context.
	beforeWrite func(life context.Context)

	// retainUnsent keeps messages that were queued but never written (also
	// those sent after the close started), for ReconnectingWebSocket.
	retainUnsent bool
}

// Compression is the permessage-deflate mode of [Options.Compression].
//
// Spec: https://www.rfc-editor.org/rfc/rfc7692
type Compression int

// The compression modes, as coder/websocket's CompressionMode.
//
// Spec: https://www.rfc-editor.org/rfc/rfc7692#section-7
const (
	// CompressionDisabled offers no compression (the default).
	CompressionDisabled Compression = iota
	// CompressionContextTakeover compresses messages of 128 bytes or more,
	// keeping the 32 KiB window across messages: best ratio, more memory.
	CompressionContextTakeover
	// CompressionNoContextTakeover compresses messages of 512 bytes or more
	// with a fresh window each time: less memory, weaker compression.
	CompressionNoContextTakeover
)

func (c Compression) coder() cws.CompressionMode {
	switch c {
	case CompressionContextTakeover:
		return cws.CompressionContextTakeover
	case CompressionNoContextTakeover:
		return cws.CompressionNoContextTakeover
	default:
		return cws.CompressionDisabled
	}
}

const (
	defaultReadLimit    = 64 << 20
	defaultCloseTimeout = 10 * time.Second
)

// defaultClient makes handshakes when Options.HTTPClient is nil. It is
// never modified. Keep-alives are off: a successful handshake takes the
// connection over anyway, and a refused one should not leave an idle
// connection (and its goroutines) behind. HTTP/2 is off since WebSockets
// over HTTP/2 (RFC 8441) are not supported by coder/websocket.
var defaultClient = func() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DisableKeepAlives = true
	tr.ForceAttemptHTTP2 = false
	p := new(http.Protocols)
	p.SetHTTP1(true)
	tr.Protocols = p
	return &http.Client{Transport: tr}
}()

// cloneWithDefaults copies o (nil means the zero Options) and fills in the
// defaults, never touching the caller's struct.
func (o *Options) cloneWithDefaults() Options {
	var c Options
	if o != nil {
		c = *o
	}
	c.Protocols = append([]string(nil), c.Protocols...)
	c.Header = c.Header.Clone()
	if c.ReadLimit == 0 {
		c.ReadLimit = defaultReadLimit
	}
	if c.BinaryType != BinaryTypeArrayBuffer {
		c.BinaryType = BinaryTypeBlob
	}
	if c.PingInterval > 0 && c.PongTimeout <= 0 {
		c.PongTimeout = c.PingInterval
	}
	if c.CloseTimeout <= 0 {
		c.CloseTimeout = defaultCloseTimeout
	}
	return c
}

// handshakeClient returns the client for the opening handshake: a copy of
// the caller's (or the default) with redirects turned into a failure.
func (o *Options) handshakeClient() *http.Client {
	base := o.HTTPClient
	if base == nil {
		base = defaultClient
	}
	c := *base
	c.CheckRedirect = func(*http.Request, []*http.Request) error {
		// Returning the redirect response makes the handshake fail with
		// "expected 101", as Fetch's redirect mode "error" requires.
		return http.ErrUseLastResponse
	}
	return &c
}
