package websocket

import (
	"fmt"
	"io"
	"sync"
	"time"
	"unsafe"
	"weak"

	cws "github.com/coder/websocket"
)

// writeLoop is the writer goroutine: it writes queued messages in order,
// then the close frame when one is queued. It lowers BufferedAmount as each
// message is written, and stops at the first failed write (the connection
// is then broken and the reader reports it), leaving the rest unsent. It
// and writeInline take turns through ws.writing, so messages go out in the
// order they were sent.
func (ws *WebSocket) writeLoop(conn *cws.Conn) {
	defer ws.ioWG.Done()
	var batch []outgoing
	for {
		select {
		case <-ws.wake:
		case <-ws.life.Done():
			ws.keepUnsent(nil)
			return
		}
		for {
			ws.mu.Lock()
			if ws.writing || len(ws.queue) == 0 {
				// Empty, or a handler is writing inline: it wakes this
				// goroutine again if more is queued meanwhile.
				ws.mu.Unlock()
				break
			}
			batch, ws.queue = ws.queue, batch[:0]
			ws.writing = true
			ws.mu.Unlock()
			for i := range batch {
				it := &batch[i]
				if it.kind == outClose {
					// Nothing is queued after a close item: Send stops
					// queueing once the close has started.
					ws.closeHandshake(conn, it.code, it.reason)
					return // writing stays true: nothing more is written
				}
				if ws.opts.beforeWrite != nil {
					ws.opts.beforeWrite(ws.life)
				}
				if ws.life.Err() != nil {
					// Torn down: coder/websocket might still write
					// (its locks pick at random between a free lock and
					// a done context), but the message must stay unsent.
					ws.keepUnsent(batch[i:])
					return
				}
				if err := ws.write(conn, it); err != nil {
					ws.keepUnsent(batch[i:])
					return
				}
				ws.buffered.Add(-it.size())
				if it.kind == outBinary {
					ws.recycle(it.bin)
				}
				*it = outgoing{} // let the payload be collected
			}
			ws.mu.Lock()
			ws.writing = false
			ws.mu.Unlock()
		}
	}
}

// inlineMax is the largest message a Send during a handler writes itself
// instead of handing it to the writer goroutine (which needs a copy of a
// []byte, and a goroutine switch): small enough for the write to end well
// within the watchdog's period on a link that keeps up.
const inlineMax = 1 << 20

// rescueAfter is the period of the watchdog of inline writes: one that is
// still going at two ticks in a row (so after 50 to 100 ms: the peer is not
// reading, or the link is slow) makes another goroutine read meanwhile,
// and the connection stops writing inline. Each tick wakes an idle
// processor: at 10 ms, the ticks alone cost 1 MiB messages answered from
// a handler about 5% of their throughput on loopback.
const rescueAfter = 50 * time.Millisecond

// writeInline writes it on the calling goroutine while a handler runs
// (usually the handler's own goroutine, the one that reads), holding the
// writer role (ws.writing). This saves waking the writer goroutine, which
// costs more than the write itself when a program answers each message
// from its handler: the request-response pattern of most WebSocket
// protocols, and of JavaScript code.
//
// A write only blocks when the peer is not reading. If it blocks for
// rescueAfter while the handler runs, a rescue goroutine reads the peer's
// messages meanwhile (without dispatching them), so that a peer which
// waits for this side to read before it reads again cannot deadlock the
// connection; and from then on every Send is queued for the writer
// goroutine, so Send blocks at most once per connection.
func (ws *WebSocket) writeInline(conn *cws.Conn, it outgoing) {
	err := ws.write(conn, &it)
	ws.mu.Lock()
	defer ws.mu.Unlock()
	ws.inlineWriting = false // no rescue can start from now on
	if err != nil {
		// The connection is broken, and the reader will say so; the
		// writer goroutine keeps what is queued as unsent.
		if ws.opts.retainUnsent {
			ws.unsent = append(ws.unsent, it.owned())
		}
	} else {
		ws.buffered.Add(-it.size())
	}
	ws.writing = false
	if len(ws.queue) > 0 {
		ws.signalWriter()
	}
}

// rescued is a message read by the rescue goroutine.
type rescued struct {
	binary bool
	data   []byte
}

// watchdog is the inline writes' watchdog, run by ws.rescueTimer every
// rescueAfter while inline writes go on: the timer is armed by the first
// inline write after a quiet period and stops itself after a period
// without any, so a busy connection pays no timer per write (arming one
// can wake the network poller, which costs more than a small write) and an
// idle one pays nothing. When the same inline write is still going at two
// ticks in a row, it starts the rescue.
func (ws *WebSocket) watchdog() {
	ws.mu.Lock()
	stuck := ws.inlineWriting && ws.inlineSeq == ws.watchSeq
	if !stuck && (ws.inlineSeq == ws.watchSeq || ws.noInline) {
		ws.watching = false // quiet: the next inline write re-arms
		ws.mu.Unlock()
		return
	}
	ws.watchSeq = ws.inlineSeq
	if !stuck {
		ws.mu.Unlock()
		ws.rescueTimer.Reset(rescueAfter)
		return
	}
	ws.watching = false
	ws.mu.Unlock()
	ws.rescue()
}

// rescue runs (from the watchdog) when an inline write has blocked: it
// reads messages into ws.rescuedMsgs until the reader (the WebSocket's
// goroutine) takes over again, or the connection ends.
func (ws *WebSocket) rescue() {
	ws.mu.Lock()
	if !ws.inlineWriting || !ws.inHandler || ws.rescuing.Load() {
		// The write is over, or the reader is reading anyway.
		ws.mu.Unlock()
		return
	}
	ws.noInline = true // this peer can stall: queue from now on
	ws.rescuing.Store(true)
	ws.rescueDone = make(chan struct{})
	ws.rescueStop = false
	conn := ws.conn
	ws.mu.Unlock()

	hint := 512
	for {
		binary, data, err := ws.readOne(conn, &hint)
		ws.mu.Lock()
		if err != nil {
			ws.rescueErr = err
		} else {
			ws.rescuedMsgs = append(ws.rescuedMsgs, rescued{binary, data})
		}
		stop := err != nil || ws.rescueStop
		if stop {
			close(ws.rescueDone)
		}
		ws.mu.Unlock()
		select {
		case ws.rescueMore <- struct{}{}:
		default:
		}
		if stop {
			return
		}
	}
}

// takeBackReading is called by the reader between events while a rescue
// runs: it dispatches what the rescue has read, waits for it to stop (it
// stops after its current read), and returns the error that ended the
// connection, if the rescue met one.
func (ws *WebSocket) takeBackReading() error {
	ws.mu.Lock()
	ws.rescueStop = true
	done := ws.rescueDone
	ws.mu.Unlock()
	for {
		finished := false
		select {
		case <-done:
			finished = true
		case <-ws.rescueMore:
		}
		ws.mu.Lock()
		msgs := ws.rescuedMsgs
		ws.rescuedMsgs = nil
		err := ws.rescueErr
		ws.mu.Unlock()
		for _, m := range msgs {
			ws.message(m.binary, m.data)
		}
		if finished {
			ws.mu.Lock()
			ws.rescueErr = nil
			ws.rescuing.Store(false)
			ws.mu.Unlock()
			return err
		}
	}
}

// keepUnsent records rest and whatever is still queued as never written,
// for a reconnecting wrapper, and empties the queue.
func (ws *WebSocket) keepUnsent(rest []outgoing) {
	ws.mu.Lock()
	defer ws.mu.Unlock()
	if ws.opts.retainUnsent {
		for _, q := range [][]outgoing{rest, ws.queue} {
			for _, it := range q {
				if it.kind != outClose {
					ws.unsent = append(ws.unsent, it)
				}
			}
		}
	}
	ws.queue = nil
}

// write writes one data message.
func (ws *WebSocket) write(conn *cws.Conn, it *outgoing) error {
	switch it.kind {
	case outText:
		// coder/websocket only reads p (it masks a copy), so the string's
		// bytes can be passed without copying them.
		return conn.Write(ws.io, cws.MessageText, unsafe.Slice(unsafe.StringData(it.text), len(it.text)))
	case outBinary:
		return conn.Write(ws.io, cws.MessageBinary, it.bin)
	default: // outBlob
		w, err := conn.Writer(ws.io, cws.MessageBinary)
		if err != nil {
			return err
		}
		ew := &errWriter{w: w}
		body := it.blob.Stream()
		_, err = io.Copy(ew, body)
		_ = body.Close()
		if err != nil {
			if ew.err == nil {
				// Reading the Blob failed halfway through a message that
				// cannot be finished: fail the connection.
				ws.abort(fmt.Errorf("reading the Blob to send: %w", err))
			}
			return err
		}
		return w.Close()
	}
}

// sendBuffers recycles the copies SendBytes makes once they are written,
// so that a stream of binary messages does not churn the heap.
var sendBuffers sync.Pool // of *[]byte

// copyBytes returns a copy of b in a recycled buffer when one is big
// enough.
func copyBytes(b []byte) []byte {
	if p, ok := sendBuffers.Get().(*[]byte); ok {
		if cap(*p) >= len(b) {
			return append((*p)[:0], b...)
		}
		sendBuffers.Put(p) // too small for this one: keep it for others
	}
	return append([]byte(nil), b...)
}

// owned returns it with bin copied if it is still the caller's.
func (it outgoing) owned() outgoing {
	if it.borrowed {
		it.bin, it.borrowed = copyBytes(it.bin), false
	}
	return it
}

// spareMin is the smallest copy a connection keeps for its own next
// SendBytes (see recycle); smaller ones only go to sendBuffers.
const spareMin = 16 << 10

// spareBuf boxes a connection's spare copy, so that a weak pointer can
// refer to it.
type spareBuf struct{ b []byte }

// own returns it.owned(), copying into the connection's spare buffer when
// there is one big enough. ws.mu is held.
func (ws *WebSocket) own(it outgoing) outgoing {
	if it.borrowed {
		if sb := ws.spare.Value(); sb != nil && cap(sb.b) >= len(it.bin) {
			it.bin, it.borrowed = append(sb.b[:0], it.bin...), false
			ws.spare = weak.Pointer[spareBuf]{}
		}
	}
	return it.owned()
}

// recycle takes back the copy of a written binary message. The connection
// keeps the biggest one as its spare, and the other goes to sendBuffers. A
// program that sends a stream of binary messages from a goroutine then
// copies each one into the buffer of the one before, whereas sendBuffers
// alone often misses: its Get only finds buffers Put on the same
// processor, and the writer goroutine often runs on another. The spare is
// held by a weak pointer, so that like sendBuffers it is freed by the next
// garbage collection if no SendBytes has taken it: an idle connection
// keeps no buffer alive.
func (ws *WebSocket) recycle(b []byte) {
	if cap(b) >= spareMin {
		ws.mu.Lock()
		if sb := ws.spare.Value(); !ws.finished && (sb == nil || cap(b) > cap(sb.b)) {
			ws.spare = weak.Make(&spareBuf{b: b})
			ws.mu.Unlock()
			if sb != nil {
				releaseBytes(sb.b)
			}
			return
		}
		ws.mu.Unlock()
	}
	releaseBytes(b)
}

// releaseBytes hands a written copy back for reuse.
func releaseBytes(b []byte) {
	if cap(b) == 0 {
		return
	}
	sendBuffers.Put(&b)
}

// errWriter remembers whether a failure came from the writer (the network)
// rather than from the reader (the Blob) of an io.Copy.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	n, err := e.w.Write(p)
	if err != nil {
		e.err = err
	}
	return n, err
}
