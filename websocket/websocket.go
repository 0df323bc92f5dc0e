package websocket

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
	"weak"

	cws "github.com/coder/websocket"

	"github.com/webnet-go/webnet/blob"
	"github.com/webnet-go/webnet/internal/badport"
)

// ReadyState is the state of a WebSocket connection, with the spec's
// numbers. A WebSocket moves CONNECTING → OPEN → CLOSING → CLOSED, or
// CONNECTING → CLOSING → CLOSED (or CONNECTING → CLOSED) when the
// connection fails; it never goes back.
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-readystate
type ReadyState uint16

// The ready states.
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-connecting
const (
	// StateConnecting: the connection has not yet been established.
	StateConnecting ReadyState = 0
	// StateOpen: the connection is established and communication is
	// possible.
	StateOpen ReadyState = 1
	// StateClosing: the closing handshake is going on, or Close was called.
	StateClosing ReadyState = 2
	// StateClosed: the connection is closed or could not be opened.
	StateClosed ReadyState = 3
)

// String returns the spec's constant name: "CONNECTING", "OPEN",
// "CLOSING" or "CLOSED" (or "ReadyState(n)" for other values).
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-connecting
func (s ReadyState) String() string {
	switch s {
	case StateConnecting:
		return "CONNECTING"
	case StateOpen:
		return "OPEN"
	case StateClosing:
		return "CLOSING"
	case StateClosed:
		return "CLOSED"
	}
	return fmt.Sprintf("ReadyState(%d)", uint16(s))
}

// BinaryType says how binary messages are delivered in
// [MessageEvent.Data]: its values are the spec's strings.
//
// Spec: https://websockets.spec.whatwg.org/#enumdef-binarytype
type BinaryType string

// The binary types.
//
// Spec: https://websockets.spec.whatwg.org/#dom-binarytype-blob
const (
	// BinaryTypeBlob delivers binary messages as *blob.Blob (the default).
	BinaryTypeBlob BinaryType = "blob"
	// BinaryTypeArrayBuffer delivers binary messages as []byte.
	BinaryTypeArrayBuffer BinaryType = "arraybuffer"
)

// valid reports whether t is one of the enumeration's values; the
// binaryType setter ignores any other.
func (t BinaryType) valid() bool { return t == BinaryTypeBlob || t == BinaryTypeArrayBuffer }

// WebSocket is a client WebSocket connection with the browser's API: it is
// created CONNECTING and connects in the background, reports progress
// through the open, message, error and close events, queues outgoing
// messages ([WebSocket.Send]) without waiting for the network, and counts
// what is queued in [WebSocket.BufferedAmount].
//
// A WebSocket is made by [New] or [NewWithOptions] and is safe for
// concurrent use by multiple goroutines. It must not be copied.
//
// Dispatch contract: handlers run one at a time, in the spec's order, on
// the goroutine that owns the connection and reads from it. They are never
// called with an internal lock held, so a handler may remove itself or
// other handlers, add handlers, call Send or call Close. A slow handler
// delays later events, exactly like a busy JavaScript event loop, and the
// reading of the connection too: the peer's messages wait in the network
// buffers (TCP flow control is the backpressure), and so do its pings and
// close frame. Send never waits for a handler: the writer has its own
// goroutine (a small message sent while a handler runs is written at once
// instead, see [WebSocket.Send]). When Close returns, the close event has been dispatched, the
// WebSocket's goroutines have exited and no handler runs again; Close
// called from a handler returns at once instead (it cannot wait for its
// own goroutine), and the remaining events, the close event included,
// follow when the handler returns.
//
// Spec: https://websockets.spec.whatwg.org/#the-websocket-interface
type WebSocket struct {
	rec  urlRecord
	opts Options
	h    handlers

	// life bounds the connection: the handshake uses it, and the writer
	// and the heartbeat stop when it ends; it is cancelled only to tear
	// the connection down. Reads and writes use io instead, the caller's
	// ctx without its cancellation: one context for the connection's whole
	// life (coder/websocket closes the connection when the context of any
	// call ends), and one with no Done channel, for which coder/websocket
	// sets up no timer per frame. The connection is torn down by CloseNow.
	life       context.Context
	cancelLife context.CancelCauseFunc
	io         context.Context
	stopCtx    func() bool // stops watching the caller's ctx

	mu           sync.Mutex
	state        ReadyState
	binaryType   BinaryType
	protocol     string
	extensions   string
	closeStarted bool     // no data frame may be written any more
	closeQueued  bool     // a close item is in the writer's queue
	sentClose    outgoing // that close item
	failErr      error    // why this side failed the connection; first wins
	closeResult  error    // conn.Close's result, when closeDone
	closeDone    bool     // the writer or reader ran conn.Close
	closeClean   bool     // ... and it returned nil without an abort
	closeTimer   *time.Timer
	conn         *cws.Conn // set once the handshake has succeeded
	writing      bool      // the writer goroutine or a handler is writing
	inHandler    bool      // the WebSocket's goroutine is running handlers
	noInline     bool      // an inline write blocked once: queue everything
	// inlineWriting is set while a handler's Send writes inline; the
	// watch and rescue fields serve the watchdog of such writes and the
	// reading done meanwhile (see writeInline).
	inlineWriting bool
	inlineSeq     uint64 // counts inline writes
	watchSeq      uint64 // inlineSeq at the watchdog's last tick
	watching      bool   // the watchdog timer is armed
	rescueTimer   *time.Timer
	rescueDone    chan struct{}
	rescueStop    bool
	rescuedMsgs   []rescued
	rescueErr     error
	queue         []outgoing             // written in order by the writer goroutine
	spare         weak.Pointer[spareBuf] // a written copy, for the next SendBytes (see recycle)
	finished      bool                   // finish has run: spare stays nil
	unsent        []outgoing             // opts.retainUnsent: never written

	buffered atomic.Int64 // bytes queued by Send and not yet written

	rescuing   atomic.Bool    // a rescue goroutine is reading
	rescueMore chan struct{}  // cap 1: the rescue read a message
	wake       chan struct{}  // cap 1: the queue became non-empty
	ioWG       sync.WaitGroup // writer and heartbeat
	done       chan struct{}  // closed when every goroutine has exited
	dispatch   atomic.Uint64  // id of the goroutine running handlers
}

type outKind uint8

const (
	outText outKind = iota
	outBinary
	outBlob
	outClose
)

// outgoing is one item of the writer's queue.
type outgoing struct {
	kind outKind
	text string
	bin  []byte
	blob *blob.Blob
	// borrowed says bin is still the caller's: it must be copied (owned)
	// before it is kept past Send.
	borrowed bool
	code     int    // outClose: 0 means no status code
	reason   string // outClose
}

// textMessage, binaryMessage and blobMessage make the items of Send,
// SendBytes and SendBlob (of a WebSocket or a ReconnectingWebSocket).
// The binary item borrows data: it is copied only if it is kept.
func textMessage(data string) outgoing { return outgoing{kind: outText, text: toUSV(data)} }

func binaryMessage(data []byte) outgoing {
	return outgoing{kind: outBinary, bin: data, borrowed: true}
}

// blobMessage makes a nil b an empty Blob.
func blobMessage(b *blob.Blob) outgoing {
	if b == nil {
		b = blob.New(nil, nil)
	}
	return outgoing{kind: outBlob, blob: b}
}

// size returns the payload bytes it counts for in bufferedAmount: the
// UTF-8 length of a text, the length of a binary message, the size of a
// Blob, and nothing for a close.
func (it *outgoing) size() int64 {
	switch it.kind {
	case outText:
		return int64(len(it.text))
	case outBinary:
		return int64(len(it.bin))
	case outBlob:
		return it.blob.Size()
	}
	return 0
}

// New creates a WebSocket for url, offering the given subprotocols, and
// starts connecting in the background: it returns at once in the
// CONNECTING state, like JavaScript's new WebSocket(url, protocols). It
// is NewWithOptions with only Options.Protocols set.
//
// Handlers registered after New returns can miss the open event and early
// messages, since the connection may open before they are added; when
// that matters (it usually does), register them in [Options.Setup].
//
// ctx bounds the lifetime of the WebSocket: cancelling it while connecting
// fails the connection (error event, close event with code 1006), and
// cancelling it later is equivalent to a Close with status 1001 ("going
// away"), which the spec uses when a document goes away. The URL and the
// subprotocols are checked before any network I/O and reported as an
// [ErrSyntax] error.
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-websocket
func New(ctx context.Context, url string, protocols ...string) (*WebSocket, error) {
	return NewWithOptions(ctx, url, &Options{Protocols: protocols})
}

// NewWithOptions is [New] with Go options: subprotocols, a base URL,
// handshake headers, the HTTP client, compression, the read limit, the
// heartbeat, and Setup to register handlers before anything can happen.
// opts is copied, never modified; nil means defaults.
//
// It parses url with the URL Standard's parser (against opts.Base when
// set), maps http: to ws: and https: to wss:, and returns an [ErrSyntax]
// error for any other scheme, a fragment (even an empty "#"), or an
// invalid or repeated subprotocol. Otherwise it calls opts.Setup, then
// starts connecting in the background and returns.
//
// A port on Fetch's bad-port list does not make NewWithOptions fail: as in
// browsers, the connection fails later with an error event and a close
// event with code 1006.
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-websocket
func NewWithOptions(ctx context.Context, url string, opts *Options) (*WebSocket, error) {
	o := opts.cloneWithDefaults()
	rec, err := getURLRecord(url, o.Base)
	if err != nil {
		return nil, err
	}
	if err := checkProtocols(o.Protocols); err != nil {
		return nil, err
	}
	ws := &WebSocket{
		rec:        rec,
		opts:       o,
		state:      StateConnecting,
		binaryType: o.BinaryType,
		wake:       make(chan struct{}, 1),
		rescueMore: make(chan struct{}, 1),
		done:       make(chan struct{}),
	}
	ws.io = context.WithoutCancel(ctx)
	ws.life, ws.cancelLife = context.WithCancelCause(ws.io)
	if o.Setup != nil {
		// Setup is treated like a handler: a Close there must not wait
		// for goroutines that have not started.
		ws.dispatch.Store(goid())
		o.Setup(ws)
		ws.dispatch.Store(0)
	}
	// Watch ctx before the goroutines start, so that they always find
	// stopCtx set; a ctx already done fails the connection at once.
	ws.stopCtx = context.AfterFunc(ctx, func() { ws.goingAway(context.Cause(ctx)) })
	if ctx.Err() != nil {
		// AfterFunc runs its function on another goroutine, which could
		// lose the race with the dial: fail now.
		ws.goingAway(context.Cause(ctx))
	}
	go ws.run()
	return ws, nil
}

// URL returns the URL the WebSocket connects to, serialized, after the
// http → ws and https → wss mapping.
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-url
func (ws *WebSocket) URL() string { return ws.rec.href }

// ReadyState returns the state of the connection.
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-readystate
func (ws *WebSocket) ReadyState() ReadyState {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	return ws.state
}

// BufferedAmount returns the number of bytes of application data (UTF-8
// text and binary payloads, without framing) that Send has queued and that
// have not yet been written to the network. It only grows after the close
// has started, since data sent then is counted but never sent.
//
// Deviation: the spec samples the value once per event-loop turn; here it
// is exact at the moment of the call, decreasing as soon as each message
// has been written to the socket.
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-bufferedamount
func (ws *WebSocket) BufferedAmount() uint64 { return uint64(ws.buffered.Load()) }

// Extensions returns the extensions the server selected, as in its
// Sec-WebSocket-Extensions header ("" until the open event, and when
// none).
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-extensions
func (ws *WebSocket) Extensions() string {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	return ws.extensions
}

// Protocol returns the subprotocol the server selected ("" until the open
// event, and when none).
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-protocol
func (ws *WebSocket) Protocol() string {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	return ws.protocol
}

// BinaryType returns how binary messages are delivered: "blob" (the
// default) or "arraybuffer".
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-binarytype
func (ws *WebSocket) BinaryType() BinaryType {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	return ws.binaryType
}

// SetBinaryType sets how binary messages dispatched from now on are
// delivered. A value other than "blob" and "arraybuffer" is ignored, as in
// browsers.
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-binarytype
func (ws *WebSocket) SetBinaryType(t BinaryType) {
	if !t.valid() {
		return
	}
	ws.mu.Lock()
	ws.binaryType = t
	ws.mu.Unlock()
}

// OnOpen adds a handler for the open event, fired once the connection is
// established (the ready state is OPEN when it runs). It returns a
// function that removes the handler; calling it again does nothing.
//
// Spec: https://websockets.spec.whatwg.org/#handler-websocket-onopen
func (ws *WebSocket) OnOpen(fn func()) (remove func()) { return ws.h.open.add(fn) }

// OnMessage adds a handler for the message event, fired for each message
// received while the ready state is OPEN. It returns a function that
// removes the handler.
//
// Spec: https://websockets.spec.whatwg.org/#handler-websocket-onmessage
func (ws *WebSocket) OnMessage(fn func(MessageEvent)) (remove func()) {
	return ws.h.message.add(fn)
}

// OnError adds a handler for the error event, fired just before the close
// event when the connection failed or was lost (the close event then says
// WasClean false, or reports the status this side failed it with). The
// error wraps [ErrFailed] and the cause. It returns a function that
// removes the handler.
//
// Deviation: the JavaScript error event carries no detail; here the
// handler gets the cause.
//
// Spec: https://websockets.spec.whatwg.org/#handler-websocket-onerror
func (ws *WebSocket) OnError(fn func(error)) (remove func()) { return ws.h.error.add(fn) }

// OnClose adds a handler for the close event, fired once when the
// connection is closed, whatever the cause; the ready state is CLOSED when
// it runs. It returns a function that removes the handler.
//
// Spec: https://websockets.spec.whatwg.org/#handler-websocket-onclose
func (ws *WebSocket) OnClose(fn func(CloseEvent)) (remove func()) { return ws.h.close.add(fn) }

// Send queues data as a text message. Invalid UTF-8 is replaced by U+FFFD
// first (JavaScript converts the string to a USVString the same way), and
// BufferedAmount grows by the UTF-8 length until the message is written.
//
// Send does not wait for the network: a writer goroutine writes queued
// messages in order. One exception saves a goroutine switch per message in
// request-response code (answering messages from the message handler):
// while a handler runs and nothing else is queued, a message of up to 1
// MiB is written at once by the calling goroutine. Such a write waits only
// if the peer has stopped reading; then another goroutine reads meanwhile
// (so the two sides cannot wait for each other), and from then on every
// Send of this connection is queued.
//
// While the WebSocket is CONNECTING, Send returns [ErrInvalidState]. After
// the close has started (CLOSING, CLOSED, or a close received from the
// peer) the data is not sent, but BufferedAmount still grows, as the spec
// says; Send returns nil then.
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-send
func (ws *WebSocket) Send(data string) error { return ws.enqueue(textMessage(data)) }

// SendBytes sends data as a binary message (JavaScript's send with an
// ArrayBuffer or a view). It does not keep data once it returns (what is
// queued is a copy), so the caller may reuse data at once. The rules of
// [WebSocket.Send] apply.
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-send
func (ws *WebSocket) SendBytes(data []byte) error {
	// The copy is made only if the message is queued: a message written
	// at once (see Send) is written from data itself.
	return ws.enqueue(binaryMessage(data))
}

// SendBlob queues b as a binary message; BufferedAmount grows by b.Size().
// The Blob's bytes are streamed by the writer goroutine when the message's
// turn comes, so a file-backed Blob is never loaded into memory whole; if
// reading it fails, the message cannot be completed and the connection
// fails (error event, close event with code 1006). A nil b sends an empty
// message. The rules of [WebSocket.Send] apply.
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-send
func (ws *WebSocket) SendBlob(b *blob.Blob) error { return ws.enqueue(blobMessage(b)) }

func (ws *WebSocket) enqueue(it outgoing) error { return ws.enqueueMaybeInline(it, true) }

// enqueueMaybeInline queues it, or writes it at once when inline allows and
// a handler is running with nothing else to write (see writeInline).
func (ws *WebSocket) enqueueMaybeInline(it outgoing, inline bool) error {
	ws.mu.Lock()
	if ws.state == StateConnecting {
		ws.mu.Unlock()
		return ErrInvalidState
	}
	size := it.size()
	ws.buffered.Add(size)
	if ws.closeStarted {
		if ws.opts.retainUnsent {
			ws.unsent = append(ws.unsent, it.owned())
		}
		ws.mu.Unlock()
		return nil
	}
	if inline && ws.inHandler && !ws.writing && !ws.noInline && len(ws.queue) == 0 && it.kind != outBlob &&
		size <= inlineMax && ws.opts.beforeWrite == nil {
		// Sent while a handler runs, with nothing else to write: write it
		// now, on this goroutine (see writeInline).
		ws.writing, ws.inlineWriting = true, true
		ws.inlineSeq++
		arm := !ws.watching
		ws.watching = true
		conn := ws.conn
		ws.mu.Unlock()
		if arm {
			ws.rescueTimer.Reset(rescueAfter)
		}
		ws.writeInline(conn, it)
		return nil
	}
	ws.queue = append(ws.queue, ws.own(it))
	idle := !ws.writing
	ws.mu.Unlock()
	if idle {
		ws.signalWriter()
	}
	return nil
}

func (ws *WebSocket) signalWriter() {
	select {
	case ws.wake <- struct{}{}:
	default:
	}
}

// Close starts closing the connection without a status code (the peer's
// close event reports 1005), then waits: when it returns, the close event
// has been dispatched and the WebSocket's goroutines have exited. Messages
// already queued by Send are written before the close frame, as browsers
// do. While CONNECTING, Close fails the connection instead: the error and
// close (code 1006) events follow. When CLOSING or CLOSED it only waits.
//
// Close called from a handler does not wait (see the dispatch contract on
// [WebSocket]). Close is idempotent and always returns nil; it implements
// io.Closer. The whole close is bounded by [Options.CloseTimeout].
//
// Deviation: JavaScript's close() returns at once; use it from a handler
// for that behaviour, or watch the close event.
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-close
func (ws *WebSocket) Close() error {
	ws.startClose(0, "", errClosedWhileConnecting)
	ws.wait()
	return nil
}

// CloseWith is JavaScript's close(code, reason): it checks the arguments,
// then closes like [WebSocket.Close] with the status code and reason in
// the close frame.
//
// code must be 1000 or in 3000-4999, else it returns an [ErrInvalidAccess]
// error (checked first); reason, after invalid UTF-8 is replaced by
// U+FFFD, must be at most 123 bytes long in UTF-8, else it returns an
// [ErrSyntax] error. Nothing happens when it returns an error.
//
// Deviation: Go has no optional arguments; close() is [WebSocket.Close],
// and close(code) is CloseWith(code, "").
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-close
func (ws *WebSocket) CloseWith(code int, reason string) error {
	reason, err := checkClose(code, reason)
	if err != nil {
		return err
	}
	ws.startClose(code, reason, errClosedWhileConnecting)
	ws.wait()
	return nil
}

// checkClose runs close()'s argument checks: the code first, then the
// reason, which it returns with invalid UTF-8 replaced by U+FFFD.
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-close (steps 1-2)
func checkClose(code int, reason string) (string, error) {
	if code != 1000 && (code < 3000 || code > 4999) {
		return "", fmt.Errorf("%w: got %d", ErrInvalidAccess, code)
	}
	reason = toUSV(reason)
	if len(reason) > 123 {
		return "", fmt.Errorf("%w: the close reason is %d bytes long in UTF-8, the limit is 123", ErrSyntax, len(reason))
	}
	return reason, nil
}

// wait blocks until every goroutine has exited, unless it is called from
// the dispatching goroutine (a handler), which it would deadlock.
func (ws *WebSocket) wait() {
	if ws.dispatch.Load() == goid() {
		return
	}
	<-ws.done
}

// goingAway is what cancelling the caller's ctx does: the spec's "make
// disappear", which closes with 1001 (or fails the connection while it is
// still being established).
//
// Spec: https://websockets.spec.whatwg.org/#make-disappear
func (ws *WebSocket) goingAway(cause error) {
	ws.startClose(int(cws.StatusGoingAway), "", cause)
}

// startClose runs the steps of close() after the argument checks. code 0
// means no status code. cause is the failure reported if the connection is
// still CONNECTING.
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-close (step 3)
func (ws *WebSocket) startClose(code int, reason string, cause error) {
	ws.mu.Lock()
	var drop *cws.Conn // to drop once unlocked
	defer func() {
		ws.mu.Unlock()
		if drop != nil {
			_ = drop.CloseNow()
		}
	}()
	switch {
	case ws.state == StateClosing || ws.state == StateClosed:
		// Do nothing.
	case ws.state == StateConnecting:
		// "If the WebSocket connection is not yet established: fail the
		// WebSocket connection and set readyState to CLOSING." The
		// connection counts as established once the open event runs, as
		// in browsers.
		ws.state = StateClosing
		ws.closeStarted = true
		if ws.failErr == nil {
			ws.failErr = cause
		}
		ws.cancelLife(cause) // stops the handshake
		drop = ws.conn       // or the connection, if the handshake just succeeded
	case ws.closeStarted:
		// The closing handshake has started (the peer's close frame came)
		// or the connection failed: only the state changes.
		ws.state = StateClosing
	default:
		// "Start the WebSocket closing handshake": after the messages
		// already queued, as browsers do.
		ws.state = StateClosing
		ws.closeStarted = true
		ws.closeQueued = true
		ws.sentClose = outgoing{kind: outClose, code: code, reason: reason}
		ws.queue = append(ws.queue, ws.sentClose)
		ws.closeTimer = time.AfterFunc(ws.opts.CloseTimeout, func() { ws.abort(errCloseTimeout) })
		ws.signalWriter()
	}
}

// abort fails the connection: the TCP connection is dropped and the error
// and close (1006) events follow, with cause as the error's cause.
//
// Spec: https://websockets.spec.whatwg.org/#feedback-from-the-protocol
func (ws *WebSocket) abort(cause error) {
	ws.mu.Lock()
	if ws.failErr == nil {
		ws.failErr = cause
	}
	ws.closeStarted = true
	conn := ws.conn
	ws.mu.Unlock()
	ws.cancelLife(cause)
	if conn != nil {
		_ = conn.CloseNow()
	}
}

// run is the WebSocket's goroutine: it connects, then reads until the
// connection ends, and dispatches every event, in order, as it goes.
func (ws *WebSocket) run() {
	ws.dispatch.Store(goid())
	defer ws.finish()

	if badport.Blocked(ws.rec.port) {
		ws.abort(fmt.Errorf("port %d is a bad port (Fetch's port blocking)", ws.rec.port))
		ws.failed(nil)
		return
	}

	header := ws.opts.Header
	if header == nil {
		header = make(map[string][]string)
	}
	if ws.opts.Origin != "" {
		header.Set("Origin", ws.opts.Origin)
	}
	conn, resp, err := cws.Dial(ws.life, ws.rec.href, &cws.DialOptions{
		HTTPClient:      ws.opts.handshakeClient(),
		HTTPHeader:      header,
		Subprotocols:    ws.opts.Protocols,
		CompressionMode: ws.opts.Compression.coder(),
	})
	if err != nil {
		ws.failed(err)
		return
	}
	// The read limit is enforced by readMessage, which can then close with
	// 1009 through a complete closing handshake.
	conn.SetReadLimit(-1)

	ws.mu.Lock()
	if ws.closeStarted { // Close or ctx while the handshake completed
		ws.mu.Unlock()
		_ = conn.CloseNow()
		ws.failed(nil)
		return
	}
	ws.conn = conn
	ws.rescueTimer = time.AfterFunc(time.Hour, ws.watchdog)
	ws.rescueTimer.Stop()
	ws.mu.Unlock()

	ws.ioWG.Add(1)
	go ws.writeLoop(conn)
	hbCtx, stopHeartbeat := context.WithCancel(ws.life)
	defer stopHeartbeat()
	if ws.opts.PingInterval > 0 {
		ws.ioWG.Add(1)
		go ws.heartbeat(hbCtx, conn)
	}

	ws.opened(conn.Subprotocol(), resp.Header.Get("Sec-WebSocket-Extensions"))
	readErr := ws.readLoop(conn)
	stopHeartbeat()
	ws.closed(conn, readErr)
}

// failed dispatches the events of a connection that never opened: error,
// then close with 1006.
func (ws *WebSocket) failed(dialErr error) {
	ws.mu.Lock()
	ws.closeStarted = true
	cause := ws.failErr
	if cause == nil {
		cause = dialErr
		ws.failErr = dialErr
	}
	ws.mu.Unlock()
	ws.closeEvent(fmt.Errorf("%w: %w", ErrFailed, cause), CloseEvent{Type: "close", Code: int(cws.StatusAbnormalClosure)})
}

// errInvalidUTF8 is the cause when a text message is not UTF-8.
var errInvalidUTF8 = errors.New("websocket: text message is not valid UTF-8")

// readLoop reads messages and dispatches them until the connection ends,
// and returns the error that ended it.
func (ws *WebSocket) readLoop(conn *cws.Conn) error {
	hint := 512
	for {
		if ws.rescuing.Load() {
			if err := ws.takeBackReading(); err != nil {
				return err
			}
		}
		binary, data, err := ws.readOne(conn, &hint)
		if err != nil {
			return err
		}
		ws.message(binary, data)
	}
}

// readOne reads one whole message. An error ends the connection: a read
// error, the peer's close (a CloseError), or a message this side refuses
// (too big, or text that is not UTF-8), after failing the connection with
// the status that says why.
func (ws *WebSocket) readOne(conn *cws.Conn, hint *int) (binary bool, data []byte, err error) {
	typ, r, err := conn.Reader(ws.io)
	if err != nil {
		return false, nil, err
	}
	data, err = readMessage(r, ws.opts.ReadLimit, *hint)
	if err != nil {
		if errors.Is(err, ErrMessageTooBig) {
			return false, nil, ws.failWithStatus(conn, cws.StatusMessageTooBig, "message too big",
				fmt.Errorf("%w: the limit is %d bytes", ErrMessageTooBig, ws.opts.ReadLimit))
		}
		return false, nil, err
	}
	// The next buffer fits a message of the same size with no growth
	// (capped, so that one huge message does not make every later one
	// allocate as much).
	*hint = min(max(len(data)+1, 512), 4<<20)
	if typ == cws.MessageText && !utf8.Valid(data) {
		return false, nil, ws.failWithStatus(conn, cws.StatusInvalidFramePayloadData, "invalid UTF-8", errInvalidUTF8)
	}
	return typ == cws.MessageBinary, data, nil
}

// failWithStatus fails the connection from the reader with a close frame
// carrying code (1009, 1007): the closing handshake runs to its end so the
// peer reliably gets the status. It returns cause, which ends the read
// loop.
//
// Spec: https://www.rfc-editor.org/rfc/rfc6455#section-7.1.7
func (ws *WebSocket) failWithStatus(conn *cws.Conn, code cws.StatusCode, reason string, cause error) error {
	ws.mu.Lock()
	if ws.failErr == nil {
		ws.failErr = cause
	}
	ws.closeStarted = true
	if ws.closeQueued { // the writer is already closing: let it finish
		ws.mu.Unlock()
		return cause
	}
	ws.sentClose = outgoing{kind: outClose, code: int(code), reason: reason}
	ws.mu.Unlock()

	ws.closeHandshake(conn, int(code), reason)
	return cause
}

// closed runs once the reader has stopped: it winds down the writer and
// the heartbeat, works out the close event and sends it (after an error
// event when the connection failed).
//
// Spec: https://websockets.spec.whatwg.org/#feedback-from-the-protocol
func (ws *WebSocket) closed(conn *cws.Conn, readErr error) {
	var peer cws.CloseError
	peerClosed := errors.As(readErr, &peer)

	ws.mu.Lock()
	ws.closeStarted = true
	closeQueued := ws.closeQueued
	ws.mu.Unlock()

	if peerClosed {
		// "When the WebSocket closing handshake is started", after the
		// messages received before it, the ready state becomes CLOSING.
		ws.mu.Lock()
		if ws.state == StateOpen {
			ws.state = StateClosing
		}
		ws.mu.Unlock()
	}
	if !closeQueued {
		// Nothing more can be written: stop the writer, even in the
		// middle of a write.
		ws.cancelLife(errTornDown)
		_ = conn.CloseNow()
	}
	// With a close queued, the writer either runs the closing handshake
	// or stops at its first failed write; CloseTimeout bounds both.
	ws.ioWG.Wait()
	_ = conn.CloseNow()

	ws.mu.Lock()
	failErr := ws.failErr
	sent := ws.sentClose
	res, resOK, clean := ws.closeResult, ws.closeDone, ws.closeClean
	ws.mu.Unlock()

	ev := CloseEvent{Type: "close", Code: int(cws.StatusAbnormalClosure)}
	var resClose cws.CloseError
	switch {
	case peerClosed:
		ev.Code, ev.Reason, ev.WasClean = int(peer.Code), peer.Reason, true
	case resOK && errors.As(res, &resClose):
		// The peer answered with a different status than ours.
		ev.Code, ev.Reason, ev.WasClean = int(resClose.Code), resClose.Reason, true
	case resOK && clean:
		// coder/websocket's Close read the peer's close frame itself and
		// found the status we sent: it does not report the reason.
		ev.Code, ev.Reason, ev.WasClean = sent.code, sent.reason, true
		if sent.code == 0 {
			ev.Code = int(cws.StatusNoStatusRcvd)
		}
	}

	var errEv error
	switch {
	case failErr != nil:
		errEv = fmt.Errorf("%w: %w", ErrFailed, failErr)
	case !ev.WasClean:
		errEv = fmt.Errorf("%w: connection lost: %w", ErrFailed, readErr)
	}
	if !ev.WasClean {
		ev.Code, ev.Reason = int(cws.StatusAbnormalClosure), ""
	}
	ws.closeEvent(errEv, ev)
}

// opened dispatches the open event, unless Close came first.
//
// Spec: https://websockets.spec.whatwg.org/#feedback-from-the-protocol
func (ws *WebSocket) opened(protocol, extensions string) {
	ws.mu.Lock()
	if ws.state != StateConnecting {
		ws.mu.Unlock()
		return
	}
	ws.state = StateOpen
	ws.protocol, ws.extensions = protocol, extensions
	ws.inHandler = true
	ws.mu.Unlock()
	ws.h.fireOpen()
	ws.handlersDone()
}

// message dispatches a message event if the ready state is still OPEN,
// with the data type BinaryType says at this moment.
//
// Spec: https://websockets.spec.whatwg.org/#feedback-from-the-protocol
func (ws *WebSocket) message(binary bool, data []byte) {
	ws.mu.Lock()
	state, bt := ws.state, ws.binaryType
	ws.inHandler = state == StateOpen
	ws.mu.Unlock()
	if state != StateOpen {
		return
	}
	me := MessageEvent{Type: "message", Origin: ws.rec.origin}
	switch {
	case !binary:
		me.Data = bytesToString(data)
	case bt == BinaryTypeArrayBuffer:
		me.Data = data
	default:
		me.Data = blob.FromReaderAt(bytes.NewReader(data), int64(len(data)), nil)
	}
	ws.h.fireMessage(me)
	ws.handlersDone()
}

// handlersDone marks the end of an event's handlers. Under ws.mu, so that
// a rescue (which only starts while handlers run) either has started, and
// the reader sees it, or never will.
func (ws *WebSocket) handlersDone() {
	ws.mu.Lock()
	ws.inHandler = false
	ws.mu.Unlock()
}

// closeEvent makes the ready state CLOSED and dispatches the error event
// (when err is not nil) and the close event.
//
// Spec: https://websockets.spec.whatwg.org/#feedback-from-the-protocol
func (ws *WebSocket) closeEvent(err error, ev CloseEvent) {
	ws.mu.Lock()
	ws.state = StateClosed
	ws.mu.Unlock()
	if err != nil {
		ws.h.fireError(err)
	}
	ws.h.fireClose(ev)
}

// finish releases what is left once the close event has been dispatched
// and the writer and heartbeat have stopped, and tells Close.
func (ws *WebSocket) finish() {
	ws.stopCtx()
	ws.mu.Lock()
	if ws.closeTimer != nil {
		ws.closeTimer.Stop()
	}
	if ws.rescueTimer != nil {
		ws.rescueTimer.Stop()
	}
	ws.noInline = true // the watchdog does not re-arm
	ws.spare, ws.finished = weak.Pointer[spareBuf]{}, true
	ws.mu.Unlock()
	ws.cancelLife(errTornDown)
	close(ws.done)
}

// closeHandshake runs coder/websocket's closing handshake (code 0 sends a
// close frame without a status) and records how it ended.
func (ws *WebSocket) closeHandshake(conn *cws.Conn, code int, reason string) {
	status := cws.StatusCode(code)
	if code == 0 {
		status = cws.StatusNoStatusRcvd // an empty close frame
	}
	err := conn.Close(status, reason)
	// Close maps "the connection was closed meanwhile" to nil; an abort
	// (close timeout, heartbeat) is such a close, and not a clean one.
	clean := err == nil && ws.life.Err() == nil
	ws.mu.Lock()
	ws.closeResult, ws.closeDone, ws.closeClean = err, true, clean
	ws.mu.Unlock()
}

// takeUnsent returns the messages that were never written, once the
// WebSocket is done (only kept with opts.retainUnsent).
func (ws *WebSocket) takeUnsent() []outgoing {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	u := ws.unsent
	ws.unsent = nil
	return u
}

// toUSV replaces invalid UTF-8 with U+FFFD, as WebIDL's USVString
// conversion replaces lone surrogates.
func toUSV(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}
