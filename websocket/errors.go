package websocket

import "errors"

// The errors of this package. Each names the DOMException or condition the
// WebSockets Standard uses; test for them with errors.Is, since returned
// errors wrap them together with their cause.
var (
	// ErrSyntax is the spec's "SyntaxError" DOMException: [New] and
	// [NewWithOptions] return it for a URL that does not parse, has a
	// scheme other than ws, wss, http or https, or has a fragment (even an
	// empty "#"), and for a subprotocol that is not an HTTP token or is
	// repeated (ASCII case-insensitively); [WebSocket.CloseWith] returns it
	// for a reason longer than 123 bytes in UTF-8.
	//
	// Spec: https://websockets.spec.whatwg.org/#dom-websocket-websocket
	ErrSyntax = errors.New("websocket: SyntaxError")

	// ErrInvalidState is the spec's "InvalidStateError" DOMException: a
	// Send while the WebSocket is still CONNECTING.
	//
	// Spec: https://websockets.spec.whatwg.org/#dom-websocket-send
	ErrInvalidState = errors.New("websocket: InvalidStateError: still in CONNECTING state")

	// ErrInvalidAccess is the spec's "InvalidAccessError" DOMException:
	// [WebSocket.CloseWith] with a code other than 1000 or 3000 to 4999.
	//
	// Spec: https://websockets.spec.whatwg.org/#dom-websocket-close
	ErrInvalidAccess = errors.New("websocket: InvalidAccessError: close code must be 1000 or in 3000-4999")

	// ErrFailed is wrapped by every error passed to an error handler: the
	// user agent "failed the WebSocket connection" (handshake refused, bad
	// port, no route, closed while connecting, message too big, heartbeat
	// timeout) or the connection was lost without a closing handshake. The
	// cause is wrapped too, so errors.Is also matches it (for example
	// context.DeadlineExceeded, [ErrMessageTooBig], [ErrPongTimeout]).
	//
	// Spec: https://websockets.spec.whatwg.org/#feedback-from-the-protocol
	ErrFailed = errors.New("websocket: connection failed")

	// ErrMessageTooBig is the cause of the error event when the peer sends
	// a message longer than [Options.ReadLimit]: the connection is then
	// closed with status 1009.
	//
	// Spec: https://www.rfc-editor.org/rfc/rfc6455#section-7.4.1
	ErrMessageTooBig = errors.New("websocket: message too big")

	// ErrPongTimeout is the cause of the error event when the opt-in
	// heartbeat ([Options.PingInterval]) sent a ping and no pong came back
	// within [Options.PongTimeout].
	//
	// Deviation: browsers have no heartbeat; this is a Go extension.
	//
	// Spec: https://www.rfc-editor.org/rfc/rfc6455#section-5.5.2
	ErrPongTimeout = errors.New("websocket: no pong received in time")
)

// errClosedWhileConnecting is the cause when Close is called before the
// connection is established (the spec fails the connection then).
var errClosedWhileConnecting = errors.New("websocket: closed before the connection was established")

// errCloseTimeout is the cause when the closing handshake (flushing queued
// messages included) does not finish within Options.CloseTimeout.
var errCloseTimeout = errors.New("websocket: closing handshake timed out")

// errTornDown cancels the connection's lifetime context once it is over.
var errTornDown = errors.New("websocket: connection closed")
