package fetch

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/webnet-go/webnet/internal/textenc"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/webnet-go/webnet/blob"
	"github.com/webnet-go/webnet/formdata"
)

// BodyInit is a request or response body: anything that can "extract a
// body". [*blob.Blob], [*blob.File], [*formdata.FormData] and
// [*url.SearchParams] implement it without importing fetch; [String],
// [Bytes], [Reader] and [ReaderWithLength] wrap Go values.
//
// ExtractBody returns a fresh stream over the body each time it is called
// (so a request can be re-sent on a 307 or 308 redirect, or cloned), the
// body's exact length in bytes or -1 when unknown, and the Content-Type the
// spec gives this kind of body ("" for none). A one-shot body (a stream)
// returns an error from its second call.
//
// Spec: https://fetch.spec.whatwg.org/#concept-bodyinit-extract
type BodyInit interface {
	ExtractBody() (body io.ReadCloser, length int64, contentType string, err error)
}

// String returns a body of the UTF-8 bytes of s with Content-Type
// "text/plain;charset=UTF-8" (JavaScript's USVString body).
//
// Spec: https://fetch.spec.whatwg.org/#concept-bodyinit-extract
func String(s string) BodyInit { return stringBody(s) }

type stringBody string

func (s stringBody) ExtractBody() (io.ReadCloser, int64, string, error) {
	return io.NopCloser(strings.NewReader(string(s))), int64(len(s)), "text/plain;charset=UTF-8", nil
}

// Bytes returns a body of the bytes of b, without a Content-Type
// (JavaScript's BufferSource body).
//
// Deviation: b is not copied: do not modify it while a Request or Response
// made from it may still be read or sent.
//
// Spec: https://fetch.spec.whatwg.org/#concept-bodyinit-extract
func Bytes(b []byte) BodyInit { return bytesBody(b) }

type bytesBody []byte

func (b bytesBody) ExtractBody() (io.ReadCloser, int64, string, error) {
	return io.NopCloser(bytes.NewReader(b)), int64(len(b)), "", nil
}

// Reader returns a one-shot body streamed from r, of unknown length (sent
// with chunked transfer encoding over HTTP/1.1) and without a Content-Type
// (JavaScript's ReadableStream body). If r is an [io.Closer], it is closed
// once the body has been sent or abandoned. The body can be extracted only
// once: a request with such a body cannot follow a 307 or 308 redirect
// (that fails with [ErrNetwork], as the spec says) and is teed, not
// re-extracted, by [Request.Clone].
//
// Deviation: the spec requires RequestInit.Duplex "half" with a stream
// body; Go does not.
//
// Spec: https://fetch.spec.whatwg.org/#concept-bodyinit-extract
func Reader(r io.Reader) BodyInit { return &readerBody{r: r, n: -1} }

// ReaderWithLength is [Reader] for a stream of exactly n bytes, sent with
// a Content-Length of n. A stream that ends early or runs long fails the
// fetch with [ErrNetwork].
//
// Deviation: a Go extension; JavaScript streams have no length.
//
// Spec: https://fetch.spec.whatwg.org/#concept-bodyinit-extract
func ReaderWithLength(r io.Reader, n int64) BodyInit { return &readerBody{r: r, n: n} }

type readerBody struct {
	r    io.Reader
	n    int64
	used atomic.Bool
}

func (b *readerBody) ExtractBody() (io.ReadCloser, int64, string, error) {
	if b.used.Swap(true) {
		return nil, 0, "", errorf(ErrTypeError, "a Reader body can be extracted only once")
	}
	rc, ok := b.r.(io.ReadCloser)
	if !ok {
		rc = io.NopCloser(b.r)
	}
	return rc, b.n, "", nil
}

// oneShot reports whether a body source can be extracted only once.
func oneShot(src BodyInit) bool {
	_, ok := src.(*readerBody)
	return ok
}

// body is the state shared by Request and Response: the spec's body (a
// stream, its source and length) and the Body mixin's "disturbed" flag.
//
// Spec: https://fetch.spec.whatwg.org/#concept-body
type body struct {
	stream io.ReadCloser // nil: null body
	source BodyInit      // what stream was extracted from (nil for a network body)
	length int64         // -1 when unknown
	ctype  string        // the Content-Type the extraction gave
	used   atomic.Bool   // disturbed or locked
}

// setBody extracts src into b and returns the extracted Content-Type.
func (b *body) setBody(src BodyInit) (string, error) {
	rc, n, ct, err := src.ExtractBody()
	if err != nil {
		return "", errorf(ErrTypeError, "extract body: %v", err)
	}
	b.stream, b.source, b.length, b.ctype = rc, src, n, ct
	return ct, nil
}

// bodyUsed reports whether the body has been read (or handed out).
//
// Spec: https://fetch.spec.whatwg.org/#dom-body-bodyused
func (b *body) bodyUsed() bool { return b.used.Load() }

// take marks the body used and returns its stream (nil for a null body).
// It fails with ErrBodyUsed when the body was used already.
func (b *body) take() (io.ReadCloser, error) {
	if b.stream == nil {
		if b.used.Load() {
			return nil, ErrBodyUsed
		}
		return nil, nil
	}
	if !b.used.CompareAndSwap(false, true) {
		return nil, ErrBodyUsed
	}
	return b.stream, nil
}

// reader is Body(): the stream, marked used; http.NoBody for a null body.
func (b *body) reader() io.ReadCloser {
	if b.stream == nil {
		return http.NoBody
	}
	b.used.Store(true)
	return b.stream
}

// consume reads the whole body once ("consume body").
//
// Spec: https://fetch.spec.whatwg.org/#concept-body-consume-body
func (b *body) consume() ([]byte, error) {
	rc, err := b.take()
	if err != nil || rc == nil {
		return nil, err
	}
	defer rc.Close()
	var buf []byte
	if b.length > 0 && b.length < 1<<30 {
		buf = make([]byte, 0, b.length+1) // +1: EOF is found without growing
	}
	buf, err = readAllInto(buf, rc)
	return buf, err
}

// readAllInto is io.ReadAll appending to buf.
func readAllInto(buf []byte, r io.Reader) ([]byte, error) {
	if buf == nil {
		buf = make([]byte, 0, 512)
	}
	for {
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err != nil {
			if err == io.EOF {
				return buf, nil
			}
			return buf, err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
	}
}

func (b *body) text() (string, error) {
	data, err := b.consume()
	if err != nil {
		return "", err
	}
	return textenc.UTF8Decode(data), nil
}

func (b *body) json(v any) error {
	data, err := b.consume()
	if err != nil {
		return err
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("fetch: json: %w", err)
	}
	return nil
}

// blob reads the body into a Blob typed mimeType.
func (b *body) blob(mimeType string) (*blob.Blob, error) {
	data, err := b.consume()
	if err != nil {
		return nil, err
	}
	return blob.New([]blob.BlobPart{blob.Bytes(data)}, &blob.BlobPropertyBag{Type: mimeType}), nil
}

// formData parses the body as multipart/form-data or
// application/x-www-form-urlencoded, per contentType.
func (b *body) formData(contentType string) (*formdata.FormData, error) {
	rc, err := b.take()
	if err != nil {
		return nil, err
	}
	var r io.Reader = http.NoBody
	if rc != nil {
		defer rc.Close()
		r = rc
	}
	fd, err := formdata.Parse(r, contentType)
	if err != nil {
		if isFetchError(err) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: formData: %w", ErrTypeError, err)
	}
	return fd, nil
}

// isFetchError reports an error from reading a network body (which already
// carries its category).
func isFetchError(err error) bool {
	return errors.Is(err, ErrNetwork) || errors.Is(err, ErrAbort) || errors.Is(err, ErrTimeout)
}

// clone tees the body for Request.Clone and Response.Clone: b keeps one
// branch and the returned body gets the other. A body with a source that can
// be extracted again to the same bytes (the same Content-Type) is
// re-extracted instead, which needs no buffering.
//
// Spec: https://fetch.spec.whatwg.org/#concept-body-clone
func (b *body) clone() (*body, error) {
	if b.used.Load() {
		return nil, ErrBodyUsed
	}
	out := &body{source: b.source, length: b.length, ctype: b.ctype}
	if b.stream == nil {
		return out, nil
	}
	if b.source != nil && !oneShot(b.source) {
		rc, _, ct, err := b.source.ExtractBody()
		if err == nil && ct == b.ctype {
			out.stream = rc
			return out, nil
		}
		// A FormData gets a new boundary on each extraction, which would
		// not match the Content-Type already set: tee instead.
		if err == nil {
			rc.Close()
		}
	}
	b.stream, out.stream = tee(b.stream)
	return out, nil
}

// tee splits src into two readers that each see all of its bytes. Reads of
// src happen on the caller of either branch, one at a time; the bytes one
// branch has read and the other not yet are buffered for the other. Closing
// a branch drops its buffer; src is closed when both are.
//
// Spec: https://streams.spec.whatwg.org/#readable-stream-tee
func tee(src io.ReadCloser) (io.ReadCloser, io.ReadCloser) {
	t := &teeState{src: src}
	return &teeBranch{t: t, i: 0}, &teeBranch{t: t, i: 1}
}

type teeState struct {
	src    io.ReadCloser
	readMu sync.Mutex // serializes reads of src
	mu     sync.Mutex // guards the fields below
	buf    [2]bytes.Buffer
	closed [2]bool
	err    error // sticky error of src (io.EOF at the end)
}

type teeBranch struct {
	t *teeState
	i int
}

func (b *teeBranch) Read(p []byte) (int, error) {
	t := b.t
	if n, err, ok := b.fromBuffer(p); ok {
		return n, err
	}
	t.readMu.Lock()
	defer t.readMu.Unlock()
	// The other branch may have read for us while we waited.
	if n, err, ok := b.fromBuffer(p); ok {
		return n, err
	}
	n, err := t.src.Read(p)
	t.mu.Lock()
	if o := 1 - b.i; n > 0 && !t.closed[o] {
		t.buf[o].Write(p[:n])
	}
	if err != nil {
		t.err = err
	}
	t.mu.Unlock()
	return n, err
}

// fromBuffer serves a read from the branch's buffer or the sticky error;
// ok is false when the source must be read.
func (b *teeBranch) fromBuffer(p []byte) (int, error, bool) {
	t := b.t
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed[b.i] {
		return 0, errors.New("fetch: read of a closed body"), true
	}
	if t.buf[b.i].Len() > 0 {
		n, _ := t.buf[b.i].Read(p)
		return n, nil, true
	}
	if t.err != nil {
		return 0, t.err, true
	}
	return 0, nil, false
}

func (b *teeBranch) Close() error {
	t := b.t
	t.mu.Lock()
	if t.closed[b.i] {
		t.mu.Unlock()
		return nil
	}
	t.closed[b.i] = true
	t.buf[b.i] = bytes.Buffer{}
	both := t.closed[0] && t.closed[1]
	t.mu.Unlock()
	if both {
		return t.src.Close()
	}
	return nil
}
