package fetch

import (
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// This file holds the Go extension that gives fetch what the Fetch
// Standard's FetchObserver proposal never shipped: upload and download
// progress for any body. The same [ProgressReader] drives the progress
// events of package xhr, so fetch and XMLHttpRequest count and throttle
// bytes the same way.

// DefaultProgressInterval is the shortest time between two throttled
// progress reports when [Progress.Interval] is zero: the "roughly 50ms" of
// the XMLHttpRequest Standard.
//
// Spec: https://xhr.spec.whatwg.org/#the-send()-method
const DefaultProgressInterval = 50 * time.Millisecond

// ProgressEvent reports how much of a body has been transferred. It is a
// small value passed by copy, like the JavaScript ProgressEvent's three
// attributes.
//
// Loaded is the number of bytes transferred so far. When the body's length
// is known and not zero, LengthComputable is true and Total is that length;
// otherwise LengthComputable is false and Total is 0, as XMLHttpRequest's
// "fire a progress event" sets them.
//
// Spec: https://xhr.spec.whatwg.org/#interface-progressevent
type ProgressEvent struct {
	LengthComputable bool
	Loaded, Total    int64
}

// newProgressEvent is "fire a progress event ... with transmitted and
// length": lengthComputable is length != 0. An unknown length (-1) is 0.
//
// Spec: https://xhr.spec.whatwg.org/#concept-event-fire-progress
func newProgressEvent(loaded, length int64) ProgressEvent {
	if length < 0 {
		length = 0
	}
	return ProgressEvent{LengthComputable: length != 0, Loaded: loaded, Total: length}
}

// Progress observes the transfer of a request's body (upload) and of its
// response's body (download). It is a Go extension of [RequestInit]; set it
// in RequestInit.Progress. A nil *Progress, or a nil callback, observes
// nothing and costs nothing.
//
// Upload progress counts the bytes the connection has consumed from the
// request body: the body's stream is wrapped before net/http's transport
// reads it, so any body kind is observed, including a [Reader] of unknown
// length (LengthComputable false). Download progress counts the bytes read
// from [Response.Body] (or by Text, Bytes, JSON and the other readers), so
// it advances as the caller consumes the body.
//
// Each callback is called at most once per Interval while bytes flow, and a
// last time when the body has been read to its end (the final report, whose
// Loaded is the body's full size); a body that fails or is closed early
// gets no final report. Callbacks run on the goroutine that reads the body
// (for uploads, the transport's writing goroutine), never with a lock of
// this package held; they must return quickly, since the transfer waits for
// them. A callback is never called concurrently with itself. A request
// re-sent on a 307 or 308 redirect counts its body from zero again.
//
// A Progress is plain data: it is read when the request is made and must
// not be changed while a request uses it.
//
// Deviation: the Fetch Standard has no progress observers; this extension
// follows XMLHttpRequest's progress events (throttling, final report,
// lengthComputable rule).
//
// Spec: https://xhr.spec.whatwg.org/#interface-progressevent
type Progress struct {
	// OnUpload observes the request body. It is not called for a request
	// without a body.
	OnUpload func(ProgressEvent)
	// OnDownload observes the response body. It is not called for a
	// response without a body.
	OnDownload func(ProgressEvent)
	// Interval is the shortest time between two throttled reports; zero
	// means DefaultProgressInterval, and a negative value reports after
	// every read.
	Interval time.Duration
}

// interval returns the effective throttling interval of p.
func (p *Progress) interval() time.Duration {
	if p.Interval == 0 {
		return DefaultProgressInterval
	}
	return p.Interval
}

// wrapUpload returns body wrapped so that p.OnUpload observes it, or body
// itself when there is nothing to observe. length is the body's length, -1
// when unknown. It is the hook of the request-body seam: every request body
// the engine hands to net/http passes through it.
func (p *Progress) wrapUpload(body io.ReadCloser, length int64) io.ReadCloser {
	if p == nil || p.OnUpload == nil || body == nil {
		return body
	}
	return newProgressBody(body, length, p.interval(), p.OnUpload)
}

// wrapDownload returns body wrapped so that p.OnDownload observes it, or
// body itself when there is nothing to observe. length is the response's
// Content-Length, -1 when unknown. It is the hook of the response-body
// seam.
func (p *Progress) wrapDownload(body io.ReadCloser, length int64) io.ReadCloser {
	if p == nil || p.OnDownload == nil || body == nil {
		return body
	}
	return newProgressBody(body, length, p.interval(), p.OnDownload)
}

// newProgressBody wraps body in a ProgressReader whose reports, final or
// not, all go to fn.
func newProgressBody(body io.ReadCloser, length int64, interval time.Duration, fn func(ProgressEvent)) io.ReadCloser {
	return NewProgressReader(body, length, interval, func(ev ProgressEvent, _ bool) { fn(ev) })
}

// ProgressReader counts the bytes read through it and reports them,
// throttled, to a callback. It is the one progress mechanism of webnet:
// [Progress] uses it for fetch, and package xhr for its progress events.
//
// Reads are passed to the underlying reader unchanged. After a read that
// returns bytes, the callback is called with final false if at least the
// interval has passed since the reader was made or since the last report.
// When the underlying reader returns io.EOF for the first time the
// callback is called once more with final true and the total count.
//
// Read must not be called concurrently (as for any io.Reader); the
// callback runs on the reading goroutine. Loaded may be called from any
// goroutine. The zero value is not usable; create one with
// NewProgressReader.
//
// Spec: https://xhr.spec.whatwg.org/#the-send()-method
type ProgressReader struct {
	r        io.Reader
	total    int64
	interval time.Duration
	report   func(ev ProgressEvent, final bool)

	loaded atomic.Int64
	last   time.Time // time of the last report, or of creation
	ended  bool      // the final report was made

	closeOnce sync.Once
	closeErr  error
}

// NewProgressReader returns a ProgressReader over r. total is the body's
// length in bytes, or -1 when unknown (then every event has
// LengthComputable false). interval is the shortest time between two
// throttled reports: zero means DefaultProgressInterval and a negative
// value reports after every read. report must not be nil.
//
// Spec: https://xhr.spec.whatwg.org/#the-send()-method
func NewProgressReader(r io.Reader, total int64, interval time.Duration, report func(ev ProgressEvent, final bool)) *ProgressReader {
	if interval == 0 {
		interval = DefaultProgressInterval
	}
	return &ProgressReader{r: r, total: total, interval: interval, report: report, last: time.Now()}
}

// Read reads from the underlying reader, counts the bytes and reports
// progress as the type's documentation describes.
//
// Spec: https://xhr.spec.whatwg.org/#the-send()-method
func (p *ProgressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 {
		loaded := p.loaded.Add(int64(n))
		if err != io.EOF && p.due() {
			p.report(newProgressEvent(loaded, p.total), false)
		}
	}
	if err == io.EOF && !p.ended {
		p.ended = true
		p.report(newProgressEvent(p.loaded.Load(), p.total), true)
	}
	return n, err
}

// due reports whether a throttled report may be made now, and if so
// restarts the interval.
func (p *ProgressReader) due() bool {
	if p.interval < 0 {
		return true
	}
	now := time.Now()
	if now.Sub(p.last) < p.interval {
		return false
	}
	p.last = now
	return true
}

// Loaded returns the number of bytes read so far. It is safe to call from
// any goroutine.
//
// Spec: https://xhr.spec.whatwg.org/#dom-progressevent-loaded
func (p *ProgressReader) Loaded() int64 { return p.loaded.Load() }

// Close closes the underlying reader if it is an io.Closer; later calls
// return the first call's result.
//
// Spec: https://fetch.spec.whatwg.org/#concept-body-stream
func (p *ProgressReader) Close() error {
	p.closeOnce.Do(func() {
		if c, ok := p.r.(io.Closer); ok {
			p.closeErr = c.Close()
		}
	})
	return p.closeErr
}
