// Package websocket is the browser's WebSocket API for Go: the WebSockets
// Standard's WebSocket interface, with its ready states, events,
// bufferedAmount, binaryType and close semantics, on top of
// github.com/coder/websocket for the protocol (RFC 6455 and
// permessage-deflate).
//
// A [WebSocket] is created CONNECTING by [New] or [NewWithOptions], which
// check the URL and subprotocols at once and connect in the background.
// Handlers registered with OnOpen, OnMessage, OnError and OnClose report
// what happens; handlers that must not miss the open event are registered
// in [Options.Setup], which runs before the connection starts:
//
//	ws, err := websocket.NewWithOptions(ctx, "wss://example.com/chat", &websocket.Options{
//		Setup: func(ws *websocket.WebSocket) {
//			ws.OnOpen(func() { ws.Send("My name is John") })
//			ws.OnMessage(func(e websocket.MessageEvent) { fmt.Println(e.Data) })
//			ws.OnClose(func(e websocket.CloseEvent) { fmt.Println(e.Code, e.Reason, e.WasClean) })
//		},
//	})
//	if err != nil { ... } // a SyntaxError: bad URL or subprotocol
//	defer ws.Close()
//
// [WebSocket.Send] queues a message for the connection's writer goroutine
// and returns at once; [WebSocket.BufferedAmount] counts the bytes queued
// and not yet written, for throttling. [WebSocket.Close] and
// [WebSocket.CloseWith] run the closing handshake and wait for the close
// event.
//
// Two Go extensions are opt-in: a heartbeat ([Options.PingInterval]) that
// detects a peer gone silent, and [ReconnectingWebSocket], which
// reconnects with backoff and re-sends what was never written.
//
// # JavaScript to Go
//
//	JavaScript                                  Go
//	new WebSocket(url)                          websocket.New(ctx, url)
//	new WebSocket(url, ["soap", "wamp"])        websocket.New(ctx, url, "soap", "wamp")
//	new WebSocket(url); ws.onopen = ...         websocket.NewWithOptions(ctx, url, &websocket.Options{Setup: ...})
//	ws.url, ws.protocol, ws.extensions          ws.URL(), ws.Protocol(), ws.Extensions()
//	ws.readyState, WebSocket.OPEN               ws.ReadyState(), websocket.StateOpen
//	ws.bufferedAmount                           ws.BufferedAmount()
//	ws.binaryType = "arraybuffer"               ws.SetBinaryType(websocket.BinaryTypeArrayBuffer)
//	ws.send("text")                             ws.Send("text")
//	ws.send(arrayBuffer or view)                ws.SendBytes(b)
//	ws.send(blob)                               ws.SendBlob(b)
//	ws.close()                                  ws.Close()
//	ws.close(1000, "Work complete")             ws.CloseWith(1000, "Work complete")
//	ws.onopen = () => ...                       ws.OnOpen(func() { ... })
//	ws.onmessage = (event) => event.data        ws.OnMessage(func(e websocket.MessageEvent) { e.Data })
//	ws.onerror = (event) => ...                 ws.OnError(func(err error) { ... })
//	ws.onclose = (e) => e.code, e.reason, ...   ws.OnClose(func(e websocket.CloseEvent) { e.Code, e.Reason, e.WasClean })
//	ws.removeEventListener("message", f)        remove := ws.OnMessage(f); remove()
//	event.data: string / Blob / ArrayBuffer     e.Data: string / *blob.Blob / []byte
//	SyntaxError                                 websocket.ErrSyntax
//	InvalidStateError                           websocket.ErrInvalidState
//	InvalidAccessError                          websocket.ErrInvalidAccess
//
// # Deviations from the WebSockets Standard
//
//   - Errors are Go errors: the constructor's and close()'s DOMExceptions
//     are returned ([ErrSyntax], [ErrInvalidAccess]), Send while
//     CONNECTING returns [ErrInvalidState], and error handlers receive the
//     cause (wrapping [ErrFailed]); the JavaScript error event has none.
//   - Events can fire as soon as New returns: a Go program has no "end of
//     the current task" to wait for. Register handlers in Options.Setup.
//   - close() has no optional arguments in Go: close() is Close, close(code,
//     reason) is CloseWith, close(code) is CloseWith(code, ""). Close
//     waits for the close event (except in a handler), where JavaScript's
//     close() returns at once. The close is bounded by
//     [Options.CloseTimeout] (10 s by default).
//   - Close while CONNECTING counts the connection as established only
//     once the open event is dispatched (as browsers do): until then it
//     fails the connection (error, then close with 1006).
//   - ctx is the document's lifetime: when it ends, the WebSocket closes
//     with 1001, as the spec's "make disappear" does, or fails if still
//     connecting. Unlike a document going away, the events still fire.
//   - [WebSocket.BufferedAmount] is exact at each call (the spec samples it
//     once per event-loop turn).
//   - Strings are UTF-8 bytes: invalid UTF-8 in Send and in a close reason
//     is replaced by U+FFFD, as JavaScript's USVString conversion replaces
//     lone surrogates. JavaScript's coercions (send(null), close(NaN)) do
//     not exist.
//   - A relative URL needs [Options.Base] (a Go program has no document
//     URL). No Origin header is sent unless [Options.Origin] is set; no
//     cookies are sent unless [Options.HTTPClient] has a Jar.
//   - permessage-deflate is offered only when [Options.Compression] asks
//     for it; messages longer than [Options.ReadLimit] (64 MiB by default)
//     fail the connection with status 1009.
//   - When this side starts the close and coder/websocket's closing
//     handshake reads the peer's close frame itself (when no read is
//     pending, for example while a handler runs), the close event reports
//     the status the peer echoed but the reason this side sent (see
//     [CloseEvent]).
//   - The heartbeat and [ReconnectingWebSocket] are Go extensions.
//
// # Concurrency
//
// A [WebSocket] and a [ReconnectingWebSocket] are safe for concurrent use
// by multiple goroutines. Each WebSocket owns two goroutines while it is
// connected (plus one for the heartbeat when enabled): one connects, reads
// and dispatches every event, in order; the other writes the queued
// messages, so Send does not wait for the network (a small message sent
// while a handler runs is written at once instead, see
// [WebSocket.Send]). Handlers run one at a time, never with a lock held,
// and may call any method, Close included; a slow handler also holds up
// reading (TCP flow control pushes back on the peer). Reads and writes use
// one context for the connection's whole life, never one per call
// (coder/websocket closes the connection when a call's context ends).
// When Close returns (outside a handler), all of them have exited.
// Answering messages from the message handler, as JavaScript code does,
// is the fastest pattern: no goroutine switch at all. Sending from another
// goroutine costs one hand-off to the writer goroutine, and waiting there
// for the reply one more, from the reading goroutine, as it does in any Go
// program that reads while it writes (the benchmarks measure both shapes
// against raw coder/websocket). [Options] and [ReconnectOptions] are copied by the constructors and never
// modified; the event structs are values.
//
// Spec: https://websockets.spec.whatwg.org/
package websocket
