package websocket

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/webnet-go/webnet/blob"
)

// ReconnectOptions configures [NewReconnecting]. A nil *ReconnectOptions
// means all defaults; the struct is copied, never modified.
//
// Deviation: browsers do not reconnect WebSockets; this is a Go extension.
//
// Spec: https://websockets.spec.whatwg.org/#the-websocket-interface
type ReconnectOptions struct {
	// Options applies to every connection. Its Setup, when set, runs for
	// each new connection with that connection; handlers for the
	// reconnecting socket belong in ReconnectOptions.Setup instead.
	Options Options

	// Setup, when not nil, is called by NewReconnecting with the new
	// ReconnectingWebSocket before the first connection starts: register
	// handlers there so that the first open event is not missed.
	Setup func(rws *ReconnectingWebSocket)

	// InitialDelay is the wait before the first reconnection attempt after
	// a close; zero means 500 ms. Each further failed attempt multiplies
	// it by Multiplier (zero means 2), up to MaxDelay (zero means 30 s).
	// The delay starts over once a connection opens.
	InitialDelay time.Duration
	MaxDelay     time.Duration
	Multiplier   float64

	// Jitter, between 0 and 1, shortens each delay by a random fraction of
	// up to Jitter, so that many clients dropped at once do not come back
	// at once. Zero means no jitter.
	Jitter float64

	// MaxRetries is how many reconnection attempts in a row may fail
	// before it gives up; zero means no limit.
	MaxRetries int

	// ShouldReconnect decides, after each close event, whether to
	// reconnect. Nil means: after a close that was not clean (a lost or
	// refused connection, code 1006) or that has code 1001 (going away),
	// 1011 (internal error), 1012 (service restart), 1013 (try again
	// later) or 1014 (bad gateway). It is never asked after Close,
	// CloseWith, or the end of ctx.
	ShouldReconnect func(CloseEvent) bool
}

// ReconnectingWebSocket is a [WebSocket] that reconnects, with exponential
// backoff, when its connection closes, and keeps the messages that were
// not sent: those queued while no connection is open and those a closed
// connection never wrote are sent, in order, once the next connection
// opens. A message that was written to a connection that then broke is
// not sent again, so a message can be lost with its connection but is
// never sent twice.
//
// Its handlers see every connection's events: open for each connection,
// then its messages, then (when it failed) error, then close; a close
// event is followed by the next open event when a reconnection succeeds.
// ReadyState is CONNECTING while connecting or waiting to reconnect, OPEN
// while a connection is open, CLOSING after Close, and CLOSED once it has
// stopped for good.
//
// A ReconnectingWebSocket is safe for concurrent use by multiple
// goroutines and follows the dispatch contract of [WebSocket]: handlers
// run one at a time, never under a lock, and may call Send, Close or the
// removers; Close waits for everything to stop, except when called from a
// handler.
//
// Deviation: browsers do not reconnect WebSockets; this is a Go extension.
// Unlike a WebSocket, Send while CONNECTING queues the message instead of
// returning ErrInvalidState.
//
// Spec: https://websockets.spec.whatwg.org/#the-websocket-interface
type ReconnectingWebSocket struct {
	ctx  context.Context
	url  string
	opts ReconnectOptions
	h    handlers

	mu         sync.Mutex
	state      ReadyState
	binaryType BinaryType
	cur        *WebSocket // the connection of the moment, nil between them
	pending    []outgoing // waiting for the next open connection
	pendingLen int64      // their bytes
	lost       int64      // bytes sent after it stopped
	stopped    bool       // Close, CloseWith or ctx: no more connections
	reconnect  bool       // the last close event's decision
	attempts   int        // failed reconnection attempts in a row
	closeCode  int        // for a Close before a connection exists
	closeWhy   string

	stop  chan struct{} // closed when stopped
	done  chan struct{} // closed when the run loop has exited
	setup atomic.Uint64 // goroutine running Setup, if any
}

// NewReconnecting creates a [ReconnectingWebSocket] for url and starts its
// first connection in the background. The URL and subprotocols are
// checked first, as by [NewWithOptions], with the same errors. ctx bounds
// its whole life: when ctx ends, the connection of the moment closes with
// 1001 and no reconnection follows.
//
// Deviation: browsers do not reconnect WebSockets; this is a Go extension.
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-websocket
func NewReconnecting(ctx context.Context, url string, opts *ReconnectOptions) (*ReconnectingWebSocket, error) {
	var o ReconnectOptions
	if opts != nil {
		o = *opts
	}
	o.Options = o.Options.cloneWithDefaults()
	o.Options.retainUnsent = true
	if o.InitialDelay <= 0 {
		o.InitialDelay = 500 * time.Millisecond
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = 30 * time.Second
	}
	if o.Multiplier <= 0 {
		o.Multiplier = 2
	}
	o.Jitter = min(max(o.Jitter, 0), 1)
	if o.ShouldReconnect == nil {
		o.ShouldReconnect = defaultShouldReconnect
	}
	rec, err := getURLRecord(url, o.Options.Base)
	if err != nil {
		return nil, err
	}
	if err := checkProtocols(o.Options.Protocols); err != nil {
		return nil, err
	}
	r := &ReconnectingWebSocket{
		ctx:        ctx,
		url:        rec.href,
		opts:       o,
		state:      StateConnecting,
		binaryType: o.Options.BinaryType,
		stop:       make(chan struct{}),
		done:       make(chan struct{}),
	}
	if o.Setup != nil {
		r.setup.Store(goid())
		o.Setup(r)
		r.setup.Store(0)
	}
	go r.run()
	return r, nil
}

func defaultShouldReconnect(e CloseEvent) bool {
	switch e.Code {
	case 1001, 1011, 1012, 1013, 1014:
		return true
	}
	return !e.WasClean
}

// run makes one connection after another until it has stopped.
func (r *ReconnectingWebSocket) run() {
	defer close(r.done)
	for {
		ws := r.connect()
		<-ws.done
		unsent := ws.takeUnsent()

		r.mu.Lock()
		r.cur = nil
		var n int64
		for _, it := range unsent {
			n += it.size()
		}
		r.pending = append(unsent, r.pending...)
		r.pendingLen += n
		if !r.reconnect || r.stopped {
			r.stopForGood()
			r.mu.Unlock()
			return
		}
		delay := r.delay(r.attempts)
		r.attempts++
		r.mu.Unlock()

		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-r.stop:
		case <-r.ctx.Done():
		}
		t.Stop()
		r.mu.Lock()
		if r.stopped || r.ctx.Err() != nil {
			r.stopForGood()
			r.mu.Unlock()
			return
		}
		r.mu.Unlock()
	}
}

// stopForGood makes the state CLOSED for good: what still waits for a
// connection is never sent, and stays counted in BufferedAmount. r.mu is
// held.
func (r *ReconnectingWebSocket) stopForGood() {
	r.state = StateClosed
	r.stopped = true
	r.lost += r.pendingLen
	r.pending, r.pendingLen = nil, 0
}

// connect starts one connection whose events are forwarded.
func (r *ReconnectingWebSocket) connect() *WebSocket {
	o := r.opts.Options
	r.mu.Lock()
	o.BinaryType = r.binaryType
	r.mu.Unlock()
	user := o.Setup
	o.Setup = func(ws *WebSocket) {
		ws.OnOpen(func() { r.opened(ws) })
		ws.OnMessage(r.h.fireMessage)
		ws.OnError(r.h.fireError)
		ws.OnClose(r.closed)
		r.mu.Lock()
		r.cur = ws
		stopped, code, why := r.stopped, r.closeCode, r.closeWhy
		r.mu.Unlock()
		if stopped { // Close came first: this connection fails at once
			ws.startClose(code, why, errClosedWhileConnecting)
		}
		if user != nil {
			user(ws)
		}
	}
	// The URL and protocols were checked by NewReconnecting, so this
	// cannot fail.
	ws, err := NewWithOptions(r.ctx, r.url, &o)
	if err != nil {
		panic(fmt.Sprintf("websocket: reconnect: %v", err))
	}
	return ws
}

// opened runs on the connection's dispatcher when it opens: the pending
// messages go first, then the handlers run.
func (r *ReconnectingWebSocket) opened(ws *WebSocket) {
	r.mu.Lock()
	if r.stopped {
		r.mu.Unlock()
		return
	}
	r.state = StateOpen
	r.attempts = 0
	for _, it := range r.pending {
		// OPEN: queued (never written under r.mu), or kept as unsent if
		// the connection closes first.
		_ = ws.enqueueMaybeInline(it, false)
	}
	r.pending, r.pendingLen = nil, 0
	r.mu.Unlock()
	r.h.fireOpen()
}

// closed runs on the connection's dispatcher for its close event: it
// decides whether to reconnect before the handlers run, so ReadyState is
// already CONNECTING or CLOSED in them.
func (r *ReconnectingWebSocket) closed(e CloseEvent) {
	r.mu.Lock()
	r.reconnect = !r.stopped && r.ctx.Err() == nil &&
		(r.opts.MaxRetries == 0 || r.attempts < r.opts.MaxRetries) &&
		r.opts.ShouldReconnect(e)
	if r.reconnect {
		r.state = StateConnecting
	} else {
		r.state = StateClosed
		r.stopped = true
	}
	r.mu.Unlock()
	r.h.fireClose(e)
}

// delay is the backoff before reconnection attempt n (0 is the first).
func (r *ReconnectingWebSocket) delay(n int) time.Duration {
	d := float64(r.opts.InitialDelay) * math.Pow(r.opts.Multiplier, float64(n))
	d = min(d, float64(r.opts.MaxDelay))
	if r.opts.Jitter > 0 {
		d -= d * r.opts.Jitter * rand.Float64()
	}
	return time.Duration(d)
}

// URL returns the URL every connection is made to.
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-url
func (r *ReconnectingWebSocket) URL() string { return r.url }

// ReadyState returns CONNECTING while connecting or waiting to reconnect,
// OPEN while a connection is open, CLOSING after Close and CLOSED once it
// has stopped.
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-readystate
func (r *ReconnectingWebSocket) ReadyState() ReadyState {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.state
}

// BufferedAmount returns the bytes queued and not yet written: those
// waiting for a connection plus those queued on the current one (and,
// once stopped, all that were never sent).
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-bufferedamount
func (r *ReconnectingWebSocket) BufferedAmount() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := r.pendingLen + r.lost
	if r.cur != nil {
		n += r.cur.buffered.Load()
	}
	return uint64(n)
}

// Protocol returns the subprotocol of the current connection ("" when
// none is open).
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-protocol
func (r *ReconnectingWebSocket) Protocol() string {
	if ws := r.current(); ws != nil {
		return ws.Protocol()
	}
	return ""
}

// Extensions returns the extensions of the current connection ("" when
// none is open).
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-extensions
func (r *ReconnectingWebSocket) Extensions() string {
	if ws := r.current(); ws != nil {
		return ws.Extensions()
	}
	return ""
}

func (r *ReconnectingWebSocket) current() *WebSocket {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cur
}

// BinaryType returns how binary messages are delivered.
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-binarytype
func (r *ReconnectingWebSocket) BinaryType() BinaryType {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.binaryType
}

// SetBinaryType sets how binary messages are delivered, for this and all
// later connections; other values than "blob" and "arraybuffer" are
// ignored.
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-binarytype
func (r *ReconnectingWebSocket) SetBinaryType(t BinaryType) {
	if !t.valid() {
		return
	}
	r.mu.Lock()
	r.binaryType = t
	cur := r.cur
	r.mu.Unlock()
	if cur != nil {
		cur.SetBinaryType(t)
	}
}

// OnOpen adds a handler for the open event of every connection; it
// returns the handler's remover.
//
// Spec: https://websockets.spec.whatwg.org/#handler-websocket-onopen
func (r *ReconnectingWebSocket) OnOpen(fn func()) (remove func()) { return r.h.open.add(fn) }

// OnMessage adds a handler for the messages of every connection; it
// returns the handler's remover.
//
// Spec: https://websockets.spec.whatwg.org/#handler-websocket-onmessage
func (r *ReconnectingWebSocket) OnMessage(fn func(MessageEvent)) (remove func()) {
	return r.h.message.add(fn)
}

// OnError adds a handler for the error event of every connection; it
// returns the handler's remover.
//
// Spec: https://websockets.spec.whatwg.org/#handler-websocket-onerror
func (r *ReconnectingWebSocket) OnError(fn func(error)) (remove func()) { return r.h.error.add(fn) }

// OnClose adds a handler for the close event of every connection; in it,
// ReadyState is CONNECTING when a reconnection follows and CLOSED when
// not. It returns the handler's remover.
//
// Spec: https://websockets.spec.whatwg.org/#handler-websocket-onclose
func (r *ReconnectingWebSocket) OnClose(fn func(CloseEvent)) (remove func()) {
	return r.h.close.add(fn)
}

// Send queues data as a text message, as [WebSocket.Send] does, except
// that while no connection is open the message waits for the next one.
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-send
func (r *ReconnectingWebSocket) Send(data string) error { return r.enqueue(textMessage(data)) }

// SendBytes queues a copy of data as a binary message; see Send.
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-send
func (r *ReconnectingWebSocket) SendBytes(data []byte) error {
	// Copied only where it is kept: by the connection (into a recycled
	// buffer) or in pending.
	return r.enqueue(binaryMessage(data))
}

// SendBlob queues b as a binary message; see Send and
// [WebSocket.SendBlob].
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-send
func (r *ReconnectingWebSocket) SendBlob(b *blob.Blob) error { return r.enqueue(blobMessage(b)) }

func (r *ReconnectingWebSocket) enqueue(it outgoing) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case r.stopped:
		r.lost += it.size() // counted, never sent, as after close()
	case r.state == StateOpen && r.cur != nil:
		// The connection may be closing already; then it keeps the
		// message as unsent and run re-queues it. Never written inline:
		// no network I/O while r.mu is held.
		return r.cur.enqueueMaybeInline(it, false)
	default:
		r.pending = append(r.pending, it.owned())
		r.pendingLen += it.size()
	}
	return nil
}

// Close stops reconnecting and closes the current connection without a
// status code, like [WebSocket.Close]; it waits until everything has
// stopped, unless called from a handler. Messages still waiting for a
// connection are dropped (and stay counted in BufferedAmount).
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-close
func (r *ReconnectingWebSocket) Close() error {
	r.close(0, "")
	return nil
}

// CloseWith is [WebSocket.CloseWith] for the reconnecting socket: it checks
// the code and reason the same way, then closes like Close.
//
// Spec: https://websockets.spec.whatwg.org/#dom-websocket-close
func (r *ReconnectingWebSocket) CloseWith(code int, reason string) error {
	reason, err := checkClose(code, reason)
	if err != nil {
		return err
	}
	r.close(code, reason)
	return nil
}

func (r *ReconnectingWebSocket) close(code int, reason string) {
	r.mu.Lock()
	if !r.stopped {
		r.stopped = true
		r.closeCode, r.closeWhy = code, reason
		if r.state != StateClosed {
			r.state = StateClosing
		}
	}
	select {
	case <-r.stop:
	default:
		close(r.stop)
	}
	cur := r.cur
	r.mu.Unlock()
	if cur != nil {
		cur.startClose(code, reason, errClosedWhileConnecting)
	}
	id := goid()
	if id == r.setup.Load() || cur != nil && id == cur.dispatch.Load() {
		return // from Setup or a handler: the run loop finishes later
	}
	<-r.done
}
