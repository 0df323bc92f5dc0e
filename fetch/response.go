package fetch

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/webnet-go/webnet/blob"
	"github.com/webnet-go/webnet/formdata"
)

// ResponseType is a response's type; the values are the spec's strings.
//
// Spec: https://fetch.spec.whatwg.org/#concept-response-type
type ResponseType string

// The response types. Fetched responses are [ResponseTypeBasic] (there are
// no CORS checks, see the package documentation), [NewResponse] and the
// other constructors make [ResponseTypeDefault], and [ErrorResponse]
// [ResponseTypeError].
const (
	ResponseTypeBasic          ResponseType = "basic"
	ResponseTypeCORS           ResponseType = "cors"
	ResponseTypeDefault        ResponseType = "default"
	ResponseTypeError          ResponseType = "error"
	ResponseTypeOpaque         ResponseType = "opaque"
	ResponseTypeOpaqueRedirect ResponseType = "opaqueredirect"
)

// ResponseInit holds the options of [NewResponse] and [JSONResponse]. A nil
// *ResponseInit or a zero field means the spec's default.
//
// Spec: https://fetch.spec.whatwg.org/#responseinit
type ResponseInit struct {
	// Status is the status code, 200 when 0; it must be in 200–599.
	Status int
	// StatusText is the reason phrase, "" by default; it may hold tabs,
	// spaces, visible ASCII and bytes 0x80–0xFF only.
	StatusText string
	// Headers fill the response's headers (guard "response": Set-Cookie and
	// Set-Cookie2 are ignored).
	Headers HeadersInit
}

// Response is an HTTP response as the Fetch Standard models it: returned by
// [Client.Do] and [Fetch] once the status and headers have arrived, or made
// by [NewResponse], [JSONResponse], [Redirect] and [ErrorResponse].
//
// The body can be read once, as a stream by [Response.Body] or whole by
// [Response.Text], [Response.JSON], [Response.Bytes], [Response.Blob] or
// [Response.FormData]; any later read fails with [ErrBodyUsed]. Read it to
// the end or close it to release the connection. [Response.Clone] first to
// read it twice.
//
// The accessors are safe for concurrent use; only one goroutine may read
// the body.
//
// Spec: https://fetch.spec.whatwg.org/#response-class
type Response struct {
	typ        ResponseType
	status     int
	statusText string
	headers    *Headers
	hheader    http.Header // a fetched response's headers, until Headers is called
	hdrOnce    sync.Once
	url        string
	redirected bool
	body       body
}

// NewResponse returns a response with body (nil for none) and the options
// of init (nil for the defaults: status 200). A status outside 200–599 is
// an error wrapping [ErrRangeError]; an invalid status text, a header
// error, or a body with a null-body status (204, 205, 304) is an error
// wrapping [ErrTypeError]. The body's Content-Type is added unless the
// headers have one.
//
// Spec: https://fetch.spec.whatwg.org/#dom-response
func NewResponse(body BodyInit, init *ResponseInit) (*Response, error) {
	r := &Response{typ: ResponseTypeDefault, headers: &Headers{guard: GuardResponse}}
	if err := r.initialize(init, body, ""); err != nil {
		return nil, err
	}
	return r, nil
}

// initialize is the spec's "initialize a response" with a body to extract
// (nil for none) and, for JSONResponse, the Content-Type to use instead of
// the body's.
//
// Spec: https://fetch.spec.whatwg.org/#initialize-a-response
func (r *Response) initialize(init *ResponseInit, body BodyInit, contentType string) error {
	var in ResponseInit
	if init != nil {
		in = *init
	}
	if in.Status == 0 {
		in.Status = 200
	}
	if in.Status < 200 || in.Status > 599 {
		return errorf(ErrRangeError, "status %d is outside 200-599", in.Status)
	}
	if !isReasonPhrase(in.StatusText) {
		return errorf(ErrTypeError, "invalid status text %q", in.StatusText)
	}
	r.status, r.statusText = in.Status, in.StatusText
	if err := r.headers.fill(in.Headers); err != nil {
		return err
	}
	if body == nil {
		return nil
	}
	if isNullBodyStatus(r.status) {
		return errorf(ErrTypeError, "a response with status %d cannot have a body", r.status)
	}
	ct, err := r.body.setBody(body)
	if err != nil {
		return err
	}
	if contentType != "" {
		ct = contentType
	}
	if ct != "" && !r.headers.contains("content-type") {
		return r.headers.Append("Content-Type", ct)
	}
	return nil
}

// isReasonPhrase reports the reason-phrase production: tab, space,
// visible ASCII and obs-text.
//
// Spec: https://httpwg.org/specs/rfc9112.html#status.line
func isReasonPhrase(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\t' && c != ' ' && (c < 0x21 || c == 0x7f) {
			return false
		}
	}
	return true
}

// ErrorResponse returns a network error response: type "error", status 0,
// no headers (immutable) and no body.
//
// Spec: https://fetch.spec.whatwg.org/#dom-response-error
func ErrorResponse() *Response {
	return &Response{typ: ResponseTypeError, headers: &Headers{guard: GuardImmutable}}
}

// Redirect returns a redirect response to the absolute URL u with status (a
// redirect status: 301, 302, 303, 307 or 308) and an immutable Location
// header. An unparsable URL is an error wrapping [ErrTypeError], another
// status one wrapping [ErrRangeError].
//
// Deviation: JavaScript resolves a relative URL against the document's URL;
// Go has no document, so u must be absolute.
//
// Spec: https://fetch.spec.whatwg.org/#dom-response-redirect
func Redirect(u string, status int) (*Response, error) {
	parsed, err := parseURL(u)
	if err != nil {
		return nil, errorf(ErrTypeError, "invalid URL %q: %v", u, err)
	}
	if !isRedirectStatus(status) {
		return nil, errorf(ErrRangeError, "status %d is not a redirect status", status)
	}
	return &Response{
		typ:     ResponseTypeDefault,
		status:  status,
		headers: &Headers{guard: GuardImmutable, list: []header{{"location", urlHref(parsed)}}},
	}, nil
}

// JSONResponse returns a response whose body is v encoded as JSON, with
// Content-Type "application/json" and the options of init. The encoding is
// JSON.stringify's: HTML characters are not escaped, and there is no
// trailing newline. A value that cannot be encoded is an error wrapping
// [ErrTypeError].
//
// Spec: https://fetch.spec.whatwg.org/#dom-response-json
func JSONResponse(v any, init *ResponseInit) (*Response, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("%w: json: %w", ErrTypeError, err)
	}
	data := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	r := &Response{typ: ResponseTypeDefault, headers: &Headers{guard: GuardResponse}}
	if err := r.initialize(init, Bytes(data), "application/json"); err != nil {
		return nil, err
	}
	return r, nil
}

// Type returns the response type.
//
// Spec: https://fetch.spec.whatwg.org/#dom-response-type
func (r *Response) Type() ResponseType { return r.typ }

// URL returns the URL the response came from, after redirects, without its
// fragment; "" for a constructed response.
//
// Spec: https://fetch.spec.whatwg.org/#dom-response-url
func (r *Response) URL() string { return r.url }

// Redirected reports whether the response is the result of following at
// least one redirect.
//
// Spec: https://fetch.spec.whatwg.org/#dom-response-redirected
func (r *Response) Redirected() bool { return r.redirected }

// Status returns the status code (0 for [ErrorResponse]).
//
// Spec: https://fetch.spec.whatwg.org/#dom-response-status
func (r *Response) Status() int { return r.status }

// OK reports whether the status is in 200–299.
//
// Spec: https://fetch.spec.whatwg.org/#dom-response-ok
func (r *Response) OK() bool { return r.status >= 200 && r.status <= 299 }

// StatusText returns the reason phrase ("" over HTTP/2, which has none).
//
// Spec: https://fetch.spec.whatwg.org/#dom-response-statustext
func (r *Response) StatusText() string { return r.statusText }

// Headers returns the response headers: immutable for a fetched response,
// guard "response" for a constructed one.
//
// Deviation: a browser hides Set-Cookie from fetched responses (the basic
// filtered response); webnet exposes it, as server-side fetch does, through
// [Headers.GetSetCookie].
//
// Spec: https://fetch.spec.whatwg.org/#dom-response-headers
func (r *Response) Headers() *Headers {
	if r.hheader != nil {
		r.hdrOnce.Do(func() { r.headers = trustedHeaders(r.hheader, GuardImmutable) })
	}
	return r.headers
}

// Body returns the body as a stream and marks it used: it is JavaScript's
// response.body read through a reader. For a response without a body (a
// HEAD request, status 204, 304, …) it returns [http.NoBody] and the body
// stays unused. Read errors wrap [ErrNetwork] (for example a body shorter
// than its Content-Length), [ErrAbort] or [ErrTimeout], and the cause.
// Close it when done; a second call returns the same stream.
//
// Spec: https://fetch.spec.whatwg.org/#dom-body-body
func (r *Response) Body() io.ReadCloser { return r.body.reader() }

// BodyUsed reports whether the body has been read or handed out by Body.
//
// Spec: https://fetch.spec.whatwg.org/#dom-body-bodyused
func (r *Response) BodyUsed() bool { return r.body.bodyUsed() }

// Text reads the whole body as UTF-8 (invalid bytes become U+FFFD, a
// leading BOM is dropped) and closes it. A second read fails with
// [ErrBodyUsed].
//
// Spec: https://fetch.spec.whatwg.org/#dom-body-text
func (r *Response) Text() (string, error) { return r.body.text() }

// JSON reads the whole body and decodes it as JSON into v, as
// [json.Unmarshal] does (a decoding error is returned wrapped). A second
// read fails with [ErrBodyUsed].
//
// Spec: https://fetch.spec.whatwg.org/#dom-body-json
func (r *Response) JSON(v any) error { return r.body.json(v) }

// Bytes reads the whole body (JavaScript's bytes() and arrayBuffer()). A
// second read fails with [ErrBodyUsed].
//
// Spec: https://fetch.spec.whatwg.org/#dom-body-bytes
func (r *Response) Bytes() ([]byte, error) { return r.body.consume() }

// Blob reads the whole body into a Blob whose type is the response's MIME
// type ("" when the Content-Type is missing or invalid).
//
// Spec: https://fetch.spec.whatwg.org/#dom-body-blob
func (r *Response) Blob() (*blob.Blob, error) { return r.body.blob(mimeTypeString(r.Headers())) }

// FormData parses the body as multipart/form-data or
// application/x-www-form-urlencoded, as the Content-Type says; any other
// type, or a malformed body, is an error wrapping [ErrTypeError].
//
// Spec: https://fetch.spec.whatwg.org/#dom-body-formdata
func (r *Response) FormData() (*formdata.FormData, error) {
	return r.body.formData(mimeTypeString(r.Headers()))
}

// Clone returns a copy of the response whose body yields the same bytes;
// cloning a used body fails with [ErrBodyUsed].
//
// A network body is teed: each branch is read on the goroutine that reads
// it, and bytes one branch has read but the other has not yet are buffered
// in memory for the other, without limit. So reading one clone to the end
// and never the other never blocks, but holds the whole body in memory;
// close the clone you do not need to drop its buffer (the connection is
// released when both are closed or read to the end).
//
// Spec: https://fetch.spec.whatwg.org/#dom-response-clone
func (r *Response) Clone() (*Response, error) {
	b, err := r.body.clone()
	if err != nil {
		return nil, err
	}
	c := &Response{
		typ:        r.typ,
		status:     r.status,
		statusText: r.statusText,
		headers:    r.Headers().clone(),
		url:        r.url,
		redirected: r.redirected,
	}
	c.body.stream, c.body.source, c.body.length, c.body.ctype = b.stream, b.source, b.length, b.ctype
	return c, nil
}

// checkIntegrity reads the whole body and checks it against the integrity
// metadata; on success the body is replaced by the bytes read.
//
// Spec: https://w3c.github.io/webappsec-subresource-integrity/#does-response-match-metadatalist
func (r *Response) checkIntegrity(metadata string) error {
	var data []byte
	if rc := r.body.stream; rc != nil {
		var err error
		data, err = readAllInto(nil, rc)
		rc.Close()
		if err != nil {
			return err
		}
	}
	if !integrityMatches(data, metadata) {
		return fetchError(r.url, ErrNetwork, errors.New("the response does not match its integrity metadata"))
	}
	if r.body.stream != nil {
		_, _ = r.body.setBody(Bytes(data)) // a Bytes body cannot fail
	}
	return nil
}

// integrityMatches reports whether data matches the strongest hashes of the
// metadata (true when it names no known algorithm).
//
// Spec: https://w3c.github.io/webappsec-subresource-integrity/#does-response-match-metadatalist
func integrityMatches(data []byte, metadata string) bool {
	type item struct{ alg, value string }
	rank := map[string]int{"sha256": 1, "sha384": 2, "sha512": 3}
	var items []item
	best := 0
	for _, tok := range strings.Fields(metadata) {
		alg, val, ok := strings.Cut(tok, "-")
		if !ok || rank[alg] == 0 {
			continue
		}
		val, _, _ = strings.Cut(val, "?")
		items = append(items, item{alg, val})
		best = max(best, rank[alg])
	}
	if len(items) == 0 {
		return true
	}
	for _, it := range items {
		if rank[it.alg] != best {
			continue
		}
		var h hash.Hash
		switch it.alg {
		case "sha256":
			h = sha256.New()
		case "sha384":
			h = sha512.New384()
		default:
			h = sha512.New()
		}
		h.Write(data)
		sum := h.Sum(nil)
		std := base64.StdEncoding.EncodeToString(sum)
		url := base64.URLEncoding.EncodeToString(sum)
		if it.value == std || it.value == url || it.value == strings.TrimRight(url, "=") || it.value == strings.TrimRight(std, "=") {
			return true
		}
	}
	return false
}
