package xhr

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/webnet-go/webnet/fetch"
	"github.com/webnet-go/webnet/internal/httpmethod"
	"github.com/webnet-go/webnet/internal/mimetype"
	"github.com/webnet-go/webnet/internal/textenc"
	"github.com/webnet-go/webnet/url"
)

// ProgressEvent reports the progress of a transfer: Loaded bytes of Total,
// where LengthComputable says whether Total is known (a Content-Length or
// a body of known size). It is fetch's ProgressEvent: xhr and fetch share
// one progress mechanism ([fetch.ProgressReader]).
//
// Spec: https://xhr.spec.whatwg.org/#interface-progressevent
type ProgressEvent = fetch.ProgressEvent

// Options configures an XMLHttpRequest made by [New]. A nil *Options means
// all defaults. The struct is copied by New; changing it afterwards has no
// effect.
//
// Deviation: the XMLHttpRequest constructor takes no arguments; its
// client and base URL come from the document, which Go does not have.
//
// Spec: https://xhr.spec.whatwg.org/#dom-xmlhttprequest
type Options struct {
	// Client sends the requests; nil means a zero fetch.Client, which uses
	// fetch's default transport. Every policy of the client applies
	// (redirects, cookies, the forbidden header filter).
	Client *fetch.Client
	// BaseURL is the URL relative URLs given to Open are resolved against,
	// the role the document's base URL plays in a browser. Empty means
	// none: Open then needs absolute URLs.
	BaseURL string
}

// ResponseType is the type of [XMLHttpRequest.Response]; its values are the
// spec's strings.
//
// Spec: https://xhr.spec.whatwg.org/#xmlhttprequestresponsetype
type ResponseType string

// The response types. The Go type that Response returns for each is listed
// on [XMLHttpRequest.Response].
const (
	ResponseTypeDefault     ResponseType = ""
	ResponseTypeText        ResponseType = "text"
	ResponseTypeArrayBuffer ResponseType = "arraybuffer"
	ResponseTypeBlob        ResponseType = "blob"
	ResponseTypeDocument    ResponseType = "document"
	ResponseTypeJSON        ResponseType = "json"
)

func (t ResponseType) valid() bool {
	switch t {
	case ResponseTypeDefault, ResponseTypeText, ResponseTypeArrayBuffer, ResponseTypeBlob,
		ResponseTypeDocument, ResponseTypeJSON:
		return true
	}
	return false
}

// XMLHttpRequest is an HTTP client object with the XMLHttpRequest
// Standard's interface: configure it with Open and SetRequestHeader, start
// it with Send, and learn about its progress through events and the
// response getters. It is built on the fetch package: every request is a
// fetch.Request sent with the Options' fetch.Client, so fetch's policies
// apply.
//
// An XMLHttpRequest is made by [New]; the zero value is not usable. It is
// safe for concurrent use by multiple goroutines and may be reused: Open
// again once a request is done (or to cancel one in flight).
//
// Events follow the dispatch contract of [XMLHttpRequestEventTarget]: the
// listeners of an XMLHttpRequest and of its Upload object run one at a
// time, in the spec's order, on one goroutine the object owns while it has
// events to deliver (and not otherwise), never with a lock held. A
// listener may call any method, including Abort, Open and Send: a call
// made from a listener runs at once, nested, as in JavaScript; a call made
// from another goroutine waits until the listener running at the time has
// returned. When Abort or Open returns, no listener runs again for the
// request they ended: its remaining events, and the remaining listeners of
// the event being delivered, are dropped.
//
// Spec: https://xhr.spec.whatwg.org/#interface-xmlhttprequest
type XMLHttpRequest struct {
	XMLHttpRequestEventTarget

	upload XMLHttpRequestUpload
	ctx    context.Context
	client *fetch.Client
	base   string
	loop   eventLoop

	rscMu   sync.Mutex
	rscList listenerList[func(ReadyState)]

	// interval is the progress throttle; zero means
	// fetch.DefaultProgressInterval. Tests shorten it.
	interval time.Duration

	mu              sync.Mutex
	gen             uint64 // bumped when a request starts or is ended from outside
	state           ReadyState
	sendFlag        bool
	syncFlag        bool
	uploadListener  bool
	uploadComplete  bool
	timedOut        bool
	fetchDone       bool // the response body was received to its end
	method          string
	requestURL      *url.URL
	authorHeaders   headerList
	timeout         time.Duration
	withCredentials bool
	responseType    ResponseType
	overrideMIME    *mimetype.MIMEType
	responseWriter  io.Writer

	resp        *fetch.Response // nil: the response is a network error
	received    []byte
	receivedLen int64
	respObj     any  // the response object, once computed
	respObjSet  bool // respObj holds the response object (or failure)
	cancel      context.CancelCauseFunc
	timer       *time.Timer
	sendStart   time.Time
	fetchExited *fetchGoroutine // the goroutine of the async request in flight
}

// New returns an XMLHttpRequest in the UNSENT state (JavaScript's
// new XMLHttpRequest()). opts may be nil.
//
// ctx bounds the lifetime of the object: cancelling it aborts a request in
// flight (its fetch fails with fetch.ErrAbort, so the abort and loadend
// events fire, or a synchronous Send returns the error) and makes Open and
// Send fail with an error wrapping ErrInvalidState and the context's
// cause. New starts no goroutine and holds no resources: an
// XMLHttpRequest that is not sending needs no cleanup.
//
// Spec: https://xhr.spec.whatwg.org/#dom-xmlhttprequest
func New(ctx context.Context, opts *Options) *XMLHttpRequest {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.Client == nil {
		o.Client = &fetch.Client{}
	}
	return &XMLHttpRequest{ctx: ctx, client: o.Client, base: o.BaseURL}
}

// OnReadyStateChange adds a listener for the readystatechange event, fired
// when the state changes (and, while the response body arrives, with each
// progress event). fn receives the state at the time of the event. It
// returns a function that removes the listener; see
// [XMLHttpRequestEventTarget] for the dispatch contract.
//
// Spec: https://xhr.spec.whatwg.org/#event-xhr-readystatechange
func (x *XMLHttpRequest) OnReadyStateChange(fn func(ReadyState)) (remove func()) {
	if fn == nil {
		return func() {}
	}
	return add(&x.rscMu, &x.rscList, fn)
}

// Upload returns the object whose listeners observe the transmission of
// the request body: x.Upload().OnProgress(fn).
//
// Spec: https://xhr.spec.whatwg.org/#dom-xmlhttprequest-upload
func (x *XMLHttpRequest) Upload() *XMLHttpRequestUpload { return &x.upload }

// ReadyState returns the current state.
//
// Spec: https://xhr.spec.whatwg.org/#dom-xmlhttprequest-readystate
func (x *XMLHttpRequest) ReadyState() ReadyState {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.state
}

// liveFunc returns a function reporting whether gen is still the current
// generation: the check that stops an event sequence cut short by Abort or
// Open.
func (x *XMLHttpRequest) liveFunc(gen uint64) func() bool {
	return func() bool {
		x.mu.Lock()
		defer x.mu.Unlock()
		return x.gen == gen
	}
}

// fireReadyStateChange fires readystatechange with the current state.
func (x *XMLHttpRequest) fireReadyStateChange(gen uint64) bool {
	x.mu.Lock()
	s := x.state
	x.mu.Unlock()
	x.rscMu.Lock()
	list := x.rscList
	x.rscMu.Unlock()
	return dispatch(list, s, x.liveFunc(gen))
}

// fire fires a progress event of type typ at x (or at its upload object)
// with transmitted and length.
//
// Spec: https://xhr.spec.whatwg.org/#concept-event-fire-progress
func (x *XMLHttpRequest) fire(upload bool, typ eventType, ev ProgressEvent, err error, gen uint64) bool {
	t := &x.XMLHttpRequestEventTarget
	if upload {
		t = &x.upload.XMLHttpRequestEventTarget
	}
	return t.fire(typ, ev, err, x.liveFunc(gen))
}

// progressEvent builds the event "fire a progress event" makes from
// transmitted and length.
func progressEvent(transmitted, length int64) ProgressEvent {
	if length < 0 {
		length = 0
	}
	return ProgressEvent{LengthComputable: length != 0, Loaded: transmitted, Total: length}
}

// errClosed returns the error of a call made after the lifetime context
// ended, or nil.
func (x *XMLHttpRequest) errClosed() error {
	if x.ctx.Err() != nil {
		return fmt.Errorf("%w: the XMLHttpRequest's context is done: %w", ErrInvalidState, context.Cause(x.ctx))
	}
	return nil
}

// Open is open(method, url): it initializes the request with async true.
// See [XMLHttpRequest.OpenAsync].
//
// Spec: https://xhr.spec.whatwg.org/#dom-xmlhttprequest-open
func (x *XMLHttpRequest) Open(method, rawURL string) error {
	return x.open(method, rawURL, true, "", "")
}

// OpenAsync is open(method, url, async, username, password), the
// five-argument form: with async false, Send blocks until the response has
// been received (a synchronous request). A non-empty username or password
// replaces the URL's own; empty leaves it, as JavaScript's null does.
//
// Open terminates a request in flight without firing events. It fails with
// an error wrapping ErrSyntax for a method that is not an HTTP token or a
// URL that does not parse (relative URLs are resolved against
// Options.BaseURL), ErrSecurity for CONNECT, TRACE and TRACK, and
// ErrInvalidAccess for a synchronous request while a timeout or a
// ResponseType is set. DELETE, GET, HEAD, OPTIONS, POST and PUT are
// upper-cased; other methods are sent as given.
//
// Deviation: JavaScript's optional arguments become a second method;
// an empty string stands for null.
//
// Spec: https://xhr.spec.whatwg.org/#dom-xmlhttprequest-open-method-url-async-username-password
func (x *XMLHttpRequest) OpenAsync(method, rawURL string, async bool, username, password string) error {
	return x.open(method, rawURL, async, username, password)
}

func (x *XMLHttpRequest) open(method, rawURL string, async bool, username, password string) error {
	if err := x.errClosed(); err != nil {
		return err
	}
	if !isHeaderName(method) {
		return fmt.Errorf("%w: Open: method %q is not a token", ErrSyntax, method)
	}
	if httpmethod.Forbidden(method) {
		return fmt.Errorf("%w: Open: method %s is forbidden", ErrSecurity, method)
	}
	method = httpmethod.Normalize(method)
	var (
		u   *url.URL
		err error
	)
	if x.base != "" {
		u, err = url.ParseWithBase(rawURL, x.base)
	} else {
		u, err = url.Parse(rawURL)
	}
	if err != nil {
		return fmt.Errorf("%w: Open: %w", ErrSyntax, err)
	}
	if u.Host() != "" {
		if username != "" {
			u.SetUsername(username)
		}
		if password != "" {
			u.SetPassword(password)
		}
	}
	var openErr error
	x.loop.do(func() {
		x.mu.Lock()
		if !async && (x.timeout != 0 || x.responseType != "") {
			x.mu.Unlock()
			openErr = fmt.Errorf("%w: Open: a synchronous request cannot have a timeout or a response type", ErrInvalidAccess)
			return
		}
		x.terminateLocked()
		x.sendFlag = false
		x.uploadListener = false
		x.method = method
		x.requestURL = u
		x.syncFlag = !async
		x.authorHeaders = nil
		x.setNetworkErrorLocked()
		gen := x.gen
		if x.state == StateOpened {
			x.mu.Unlock()
			return
		}
		x.state = StateOpened
		x.mu.Unlock()
		x.fireReadyStateChange(gen)
	})
	return openErr
}

// setNetworkErrorLocked sets the response to a network error and forgets
// the received bytes and the response object.
func (x *XMLHttpRequest) setNetworkErrorLocked() {
	x.resp = nil
	x.received = nil
	x.receivedLen = 0
	x.respObj, x.respObjSet = nil, false
	x.fetchDone = false
}

// terminateLocked terminates the fetch in flight, if any: it starts a new
// generation, so that nothing the old fetch reports is processed any more,
// and cancels it.
//
// Spec: https://fetch.spec.whatwg.org/#fetch-controller-terminate
func (x *XMLHttpRequest) terminateLocked() {
	x.gen++
	x.stopFetchLocked(errTerminated)
}

// errTerminated is the cancellation cause of a fetch ended by Open.
var errTerminated = errors.New("xhr: request terminated by open()")

// stopFetchLocked cancels the fetch in flight with cause and stops the
// timeout timer.
func (x *XMLHttpRequest) stopFetchLocked(cause error) {
	if x.cancel != nil {
		x.cancel(cause)
		x.cancel = nil
	}
	if x.timer != nil {
		x.timer.Stop()
		x.timer = nil
	}
}

// SetRequestHeader adds a request header, or appends value to the header
// of the same name with ", " (a header cannot be removed once set). value
// has its leading and trailing HTTP whitespace removed. A forbidden request
// header (Cookie, Host, Sec-*, ...) is ignored silently, as the spec says,
// unless the Client's AllowForbiddenHeaders is set.
//
// It fails with an error wrapping ErrInvalidState unless the state is
// OPENED and Send has not been called, and with ErrSyntax for a name that
// is not an HTTP token or a value containing NUL, CR or LF.
//
// Deviation: JavaScript converts name and value to ByteStrings and throws a
// TypeError for a code point above U+00FF; a Go string is already bytes and
// is sent as it is.
//
// Spec: https://xhr.spec.whatwg.org/#dom-xmlhttprequest-setrequestheader
func (x *XMLHttpRequest) SetRequestHeader(name, value string) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.state != StateOpened {
		return fmt.Errorf("%w: SetRequestHeader: state is %v, not OPENED", ErrInvalidState, x.state)
	}
	if x.sendFlag {
		return fmt.Errorf("%w: SetRequestHeader: the request has been sent", ErrInvalidState)
	}
	value = textenc.TrimHTTPWhitespace(value)
	if !isHeaderName(name) {
		return fmt.Errorf("%w: SetRequestHeader: header name %q is not a token", ErrSyntax, name)
	}
	if !isHeaderValue(value) {
		return fmt.Errorf("%w: SetRequestHeader: header %s: value %q contains NUL, CR or LF", ErrSyntax, name, value)
	}
	if !x.client.AllowForbiddenHeaders && fetch.IsForbiddenRequestHeader(name, value) {
		return nil
	}
	x.authorHeaders.combine(name, value)
	return nil
}

// Timeout returns the timeout; zero means none.
//
// Spec: https://xhr.spec.whatwg.org/#dom-xmlhttprequest-timeout
func (x *XMLHttpRequest) Timeout() time.Duration {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.timeout
}

// SetTimeout sets the time a request may take, from Send to the end of the
// response body; zero (the default) means no limit. When it passes, the
// fetch is terminated and the timeout event fires. It may be changed while
// a request is in flight; the time still counts from Send. It fails with an
// error wrapping ErrInvalidAccess for a synchronous request.
//
// Deviation: JavaScript's timeout is in milliseconds; a Go duration is
// used. A negative duration counts as zero.
//
// Spec: https://xhr.spec.whatwg.org/#dom-xmlhttprequest-timeout
func (x *XMLHttpRequest) SetTimeout(d time.Duration) error {
	if d < 0 {
		d = 0
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.syncFlag {
		return fmt.Errorf("%w: SetTimeout: the request is synchronous", ErrInvalidAccess)
	}
	x.timeout = d
	if x.sendFlag && x.cancel != nil {
		x.armTimerLocked()
	}
	return nil
}

// armTimerLocked (re)starts the timeout timer of the request in flight,
// counting from Send.
func (x *XMLHttpRequest) armTimerLocked() {
	if x.timer != nil {
		x.timer.Stop()
		x.timer = nil
	}
	if x.timeout <= 0 {
		return
	}
	gen := x.gen
	x.timer = time.AfterFunc(time.Until(x.sendStart.Add(x.timeout)), func() { x.timeoutFired(gen) })
}

// timeoutFired sets the timed out flag and terminates the fetch, unless it
// completed meanwhile.
//
// Spec: https://xhr.spec.whatwg.org/#timed-out-flag
func (x *XMLHttpRequest) timeoutFired(gen uint64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.gen != gen || !x.sendFlag || x.fetchDone || x.cancel == nil {
		return
	}
	x.timedOut = true
	x.cancel(fetch.ErrTimeout)
	x.cancel = nil
}

// WithCredentials reports whether cross-origin requests include
// credentials.
//
// Spec: https://xhr.spec.whatwg.org/#dom-xmlhttprequest-withcredentials
func (x *XMLHttpRequest) WithCredentials() bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.withCredentials
}

// SetWithCredentials sets whether credentials (cookies from the Client's
// jar, HTTP authentication) are included in cross-origin requests: the
// request's credentials mode is "include" when true and "same-origin"
// otherwise. It fails with an error wrapping ErrInvalidState once Send has
// been called or the request is past the OPENED state.
//
// Spec: https://xhr.spec.whatwg.org/#dom-xmlhttprequest-withcredentials
func (x *XMLHttpRequest) SetWithCredentials(v bool) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.state != StateUnsent && x.state != StateOpened {
		return fmt.Errorf("%w: SetWithCredentials: state is %v", ErrInvalidState, x.state)
	}
	if x.sendFlag {
		return fmt.Errorf("%w: SetWithCredentials: the request has been sent", ErrInvalidState)
	}
	x.withCredentials = v
	return nil
}

// SetResponseWriter makes the next requests stream their response bodies
// into w as they arrive, instead of keeping them for Response and
// ResponseText: memory then stays bounded whatever the size of the
// response. Progress events, Status and the headers work as usual;
// ResponseText returns "" and Response nil (or "" for the text types).
// Writes happen on a goroutine of the XMLHttpRequest, one at a time; a
// write error fails the request with a network error. nil restores the
// default. It fails with an error wrapping ErrInvalidState while a response
// is being received (LOADING) or once it is DONE.
//
// Deviation: a Go extension; browsers keep every response in memory.
//
// Spec: https://xhr.spec.whatwg.org/#received-bytes
func (x *XMLHttpRequest) SetResponseWriter(w io.Writer) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.state == StateLoading || x.state == StateDone {
		return fmt.Errorf("%w: SetResponseWriter: state is %v", ErrInvalidState, x.state)
	}
	x.responseWriter = w
	return nil
}

// Send starts the request with body, nil for none (send() or send(null)).
// body may be any fetch.BodyInit: fetch.String, fetch.Bytes, fetch.Reader,
// fetch.ReaderWithLength, *blob.Blob, *blob.File, *formdata.FormData,
// *url.SearchParams, or a *Document; it is ignored for GET and HEAD.
//
// For an asynchronous request Send returns once the loadstart events have
// been delivered; the outcome arrives as events (load, or error, abort or
// timeout, then loadend). For a synchronous request Send blocks until the
// response body has been received and returns the failure, if any: an
// error wrapping fetch.ErrNetwork, fetch.ErrAbort or fetch.ErrTimeout and
// the cause; no progress or upload events fire.
//
// The Content-Type follows the spec: an author Content-Type stays as
// given, except that for a string (fetch.String) or Document body a
// charset parameter other than UTF-8 is replaced by charset=UTF-8; without
// one, a Document gets "text/html;charset=UTF-8" or
// "application/xml;charset=UTF-8" and other bodies the type their kind
// has (fetch.String "text/plain;charset=UTF-8", a Blob its type, FormData
// its multipart type).
//
// Send fails with an error wrapping ErrInvalidState unless the state is
// OPENED and Send has not been called since Open.
//
// Spec: https://xhr.spec.whatwg.org/#dom-xmlhttprequest-send
func (x *XMLHttpRequest) Send(body fetch.BodyInit) error {
	if err := x.errClosed(); err != nil {
		return err
	}
	var (
		err     error
		syncRun func() error
	)
	x.loop.do(func() { syncRun, err = x.send(body) })
	if err != nil || syncRun == nil {
		return err
	}
	return syncRun()
}

// stringBodyType is the dynamic type of fetch.String bodies, the
// USVString case of send().
var stringBodyType = reflect.TypeOf(fetch.String(""))

// sendPlan is what send() prepared for the fetch.
type sendPlan struct {
	gen    uint64
	req    *fetch.Request
	reqErr error // NewRequest failed: the fetch is a network error
	body   *xhrBody
	writer io.Writer
}

// uploadLength is the length of the request body, 0 without one and -1
// when unknown.
func (p *sendPlan) uploadLength() int64 {
	if p.body == nil {
		return 0
	}
	return p.body.length
}

// send runs the steps of send() on the event loop. For a synchronous
// request it returns the function that performs the fetch.
func (x *XMLHttpRequest) send(body fetch.BodyInit) (func() error, error) {
	x.mu.Lock()
	if x.state != StateOpened {
		x.mu.Unlock()
		return nil, fmt.Errorf("%w: Send: state is %v, not OPENED", ErrInvalidState, x.state)
	}
	if x.sendFlag {
		x.mu.Unlock()
		return nil, fmt.Errorf("%w: Send: Send was already called", ErrInvalidState)
	}
	if x.method == "GET" || x.method == "HEAD" {
		body = nil
	}
	var reqBody *xhrBody
	if body != nil {
		_, isDoc := body.(*Document)
		isString := reflect.TypeOf(body) == stringBodyType
		rc, n, ct, err := body.ExtractBody()
		if err != nil {
			x.mu.Unlock()
			return nil, fmt.Errorf("%w: Send: extract body: %w", fetch.ErrTypeError, err)
		}
		var docType string
		if isDoc {
			// Document.ExtractBody gives the type send() gives a
			// document; it is set below as an author header.
			docType, ct = ct, ""
		}
		reqBody = &xhrBody{src: body, first: rc, length: n, contentType: ct, interval: x.interval}
		if original, ok := x.authorHeaders.get("Content-Type"); ok {
			if isDoc || isString {
				if mt, ok := mimetype.Parse(original); ok {
					if cs, ok := mt.Param("charset"); ok && !strings.EqualFold(cs, "UTF-8") {
						mt.SetParam("charset", "UTF-8")
						x.authorHeaders.set("Content-Type", mt.String())
					}
				}
			}
		} else if isDoc {
			x.authorHeaders.set("Content-Type", docType)
		}
		// Otherwise the extracted type goes through the body, so that
		// fetch keeps it in step with the body when a redirect makes it
		// extract the body again (a new multipart boundary).
	}
	x.uploadListener = x.upload.hasListeners()

	plan := &sendPlan{body: reqBody, writer: x.responseWriter}
	init := &fetch.RequestInit{Method: x.method, Mode: fetch.ModeCORS, Credentials: fetch.CredentialsSameOrigin}
	if x.withCredentials {
		init.Credentials = fetch.CredentialsInclude
	}
	headers := append(headerList(nil), x.authorHeaders...)
	target := x.requestURL
	if target.Username() != "" || target.Password() != "" {
		// The URL's credentials are sent as HTTP Basic authentication,
		// as the use-URL-credentials flag asks, unless the author set
		// Authorization; fetch refuses URLs that carry them.
		if _, ok := headers.get("Authorization"); !ok {
			token := base64.StdEncoding.EncodeToString([]byte(decodeURLComponent(target.Username()) + ":" + decodeURLComponent(target.Password())))
			headers = append(headers, [2]string{"Authorization", "Basic " + token})
		}
		stripped, err := url.Parse(target.Href())
		if err == nil {
			stripped.SetUsername("")
			stripped.SetPassword("")
			target = stripped
		}
	}
	init.Headers = fetch.HeaderList(headers)
	if reqBody != nil {
		init.Body = reqBody
	}
	plan.req, plan.reqErr = fetch.NewRequest(target.Href(), init)
	if plan.reqErr != nil && reqBody != nil {
		reqBody.closeFirst()
	}

	x.uploadComplete = reqBody == nil
	x.timedOut = false
	x.sendFlag = true
	x.gen++
	plan.gen = x.gen
	isSync := x.syncFlag
	uploadListener := x.uploadListener
	x.mu.Unlock()

	if isSync {
		return func() error { return x.runSync(plan) }, nil
	}

	gen := plan.gen
	if !x.fire(false, typeLoadStart, progressEvent(0, 0), nil, gen) {
		x.abandon(plan)
		return nil, nil
	}
	x.mu.Lock()
	fireUpload := !x.uploadComplete && uploadListener
	x.mu.Unlock()
	if fireUpload && !x.fire(true, typeLoadStart, progressEvent(0, plan.uploadLength()), nil, gen) {
		x.abandon(plan)
		return nil, nil
	}
	x.mu.Lock()
	if x.state != StateOpened || !x.sendFlag || x.gen != gen {
		x.mu.Unlock()
		x.abandon(plan)
		return nil, nil
	}
	ctx, cancel := context.WithCancelCause(x.ctx)
	x.cancel = cancel
	x.sendStart = time.Now()
	x.armTimerLocked()
	if reqBody != nil && uploadListener {
		reqBody.observe(func(ev ProgressEvent, final bool) {
			if final {
				x.post(gen, func() { x.processRequestEndOfBody(gen, ev) })
			} else {
				x.post(gen, func() { x.processRequestBodyChunk(gen, ev) })
			}
		})
	}
	fg := &fetchGoroutine{done: make(chan struct{})}
	x.fetchExited = fg
	x.mu.Unlock()
	go func() {
		defer close(fg.done)
		fg.id.Store(goroutineID())
		x.runAsync(ctx, cancel, plan)
	}()
	return nil, nil
}

// fetchGoroutine is the goroutine of an asynchronous request: done is
// closed when it returns.
type fetchGoroutine struct {
	done chan struct{}
	id   atomic.Int64
}

// wait waits for the goroutine to return, unless the caller is that
// goroutine (a response writer calling Abort).
func (g *fetchGoroutine) wait() {
	if g == nil || g.id.Load() == goroutineID() {
		return
	}
	<-g.done
}

// closeBodyOnCancel closes the request body being sent when ctx is
// cancelled, so that a transport blocked reading it (a stream whose
// producer stalled) lets the aborted fetch return. It returns the function
// that cancels this arrangement.
func closeBodyOnCancel(ctx context.Context, b *xhrBody) (stop func() bool) {
	if b == nil {
		return func() bool { return false }
	}
	return context.AfterFunc(ctx, b.closeCurrent)
}

// abandon releases what a send() that stopped before fetching holds: the
// request body's stream, which fetch.NewRequest took but no fetch will
// send or close.
func (x *XMLHttpRequest) abandon(plan *sendPlan) {
	if plan.body != nil {
		plan.body.closeFirst()
		plan.body.closeCurrent()
	}
}

// decodeURLComponent percent-decodes a URL's username or password.
func decodeURLComponent(s string) string {
	if d, err := url.DecodeURIComponent(s); err == nil {
		return d
	}
	return s
}

// post queues task on the event loop; it runs only if gen is still the
// current generation when its turn comes.
func (x *XMLHttpRequest) post(gen uint64, task func()) {
	x.loop.post(func() {
		x.mu.Lock()
		current := x.gen == gen
		x.mu.Unlock()
		if current {
			task()
		}
	})
}

// runAsync is the fetch of an asynchronous request, on its own goroutine:
// it sends the request, reads the response body and reports each step to
// the event loop.
func (x *XMLHttpRequest) runAsync(ctx context.Context, cancel context.CancelCauseFunc, plan *sendPlan) {
	defer cancel(context.Canceled)
	defer closeBodyOnCancel(ctx, plan.body)()
	gen := plan.gen
	if plan.reqErr != nil {
		err := fmt.Errorf("%w: %w", fetch.ErrNetwork, plan.reqErr)
		x.post(gen, func() { x.handleErrors(gen, err) })
		return
	}
	resp, err := x.client.Do(ctx, plan.req)
	if err != nil {
		x.post(gen, func() { x.handleErrors(gen, err) })
		return
	}
	x.post(gen, func() { x.processResponse(gen, resp, plan) })

	body := resp.Body()
	defer body.Close()
	length := contentLength(resp)
	x.prepareReceive(gen, length, plan.writer)
	pr := fetch.NewProgressReader(body, length, x.interval, func(ev ProgressEvent, final bool) {
		if !final {
			x.post(gen, func() { x.processBodyChunk(gen, ev) })
		}
	})
	buf := make([]byte, 64<<10)
	first := true
	for {
		n, rerr := pr.Read(buf)
		if n > 0 {
			if werr := x.store(gen, buf[:n], plan.writer); werr != nil {
				err := fmt.Errorf("%w: writing the response: %w", fetch.ErrNetwork, werr)
				x.post(gen, func() { x.handleErrors(gen, err) })
				return
			}
			if first {
				first = false
				x.post(gen, func() { x.processFirstChunk(gen) })
			}
		}
		if rerr == io.EOF {
			x.mu.Lock()
			if x.gen == gen {
				x.fetchDone = true
			}
			x.mu.Unlock()
			x.post(gen, func() { x.handleResponseEndOfBody(gen) })
			return
		}
		if rerr != nil {
			err := readError(rerr)
			x.post(gen, func() { x.handleErrors(gen, err) })
			return
		}
	}
}

// readError is the error of a failed read of the response body: err
// itself when it already wraps one of fetch's categories (an abort, a
// timeout, a network error), else a network error wrapping it.
func readError(err error) error {
	if errors.Is(err, fetch.ErrNetwork) || errors.Is(err, fetch.ErrAbort) || errors.Is(err, fetch.ErrTimeout) {
		return err
	}
	return fmt.Errorf("%w: reading the response: %w", fetch.ErrNetwork, err)
}

// prepareReceive sizes the buffer of received bytes for a response of
// length bytes (-1 unknown), so that it grows once.
func (x *XMLHttpRequest) prepareReceive(gen uint64, length int64, w io.Writer) {
	const maxPrealloc = 64 << 20
	if w != nil || length <= 0 {
		return
	}
	x.mu.Lock()
	if x.gen == gen && x.received == nil {
		x.received = make([]byte, 0, min(length, maxPrealloc))
	}
	x.mu.Unlock()
}

// store appends bytes to the received bytes, or writes them to w.
func (x *XMLHttpRequest) store(gen uint64, b []byte, w io.Writer) error {
	x.mu.Lock()
	if x.gen != gen {
		x.mu.Unlock()
		return nil
	}
	x.receivedLen += int64(len(b))
	if w == nil {
		x.received = append(x.received, b...)
		x.mu.Unlock()
		return nil
	}
	x.mu.Unlock()
	_, err := w.Write(b)
	return err
}

// contentLength is "extract a length" from the response's headers, -1 when
// it is not an integer. Repeated values must agree ("0, 0" is 0).
//
// Spec: https://fetch.spec.whatwg.org/#header-list-extract-a-length
func contentLength(resp *fetch.Response) int64 {
	v, ok := resp.Headers().Get("Content-Length")
	if !ok {
		return -1
	}
	var candidate string
	for i, part := range strings.Split(v, ",") {
		part = strings.Trim(part, " \t")
		if i > 0 && part != candidate {
			return -1
		}
		candidate = part
	}
	if candidate == "" || strings.TrimLeft(candidate, "0123456789") != "" {
		return -1
	}
	n, err := strconv.ParseInt(candidate, 10, 64)
	if err != nil {
		return -1
	}
	return n
}

// runSync is the fetch of a synchronous request, on the goroutine that
// called Send.
func (x *XMLHttpRequest) runSync(plan *sendPlan) error {
	x.mu.Lock()
	if x.gen != plan.gen {
		x.mu.Unlock()
		x.abandon(plan)
		return fmt.Errorf("%w: the request was aborted", fetch.ErrAbort)
	}
	ctx, cancel := context.WithCancelCause(x.ctx)
	x.cancel = cancel
	x.sendStart = time.Now()
	x.mu.Unlock()
	defer cancel(context.Canceled)
	defer closeBodyOnCancel(ctx, plan.body)()

	var (
		resp *fetch.Response
		data []byte
		n    int64
		err  = plan.reqErr
	)
	if err != nil {
		err = fmt.Errorf("%w: %w", fetch.ErrNetwork, err)
	} else if resp, err = x.client.Do(ctx, plan.req); err == nil {
		body := resp.Body()
		if plan.writer != nil {
			n, err = io.Copy(plan.writer, body)
		} else {
			data, err = io.ReadAll(body)
			n = int64(len(data))
		}
		body.Close()
		if err != nil {
			err = readError(err)
		}
	}
	var result error
	x.loop.do(func() { result = x.finishSync(plan.gen, resp, data, n, err) })
	return result
}

// finishSync processes the outcome of a synchronous fetch on the event
// loop: "handle response end-of-body" without progress events.
func (x *XMLHttpRequest) finishSync(gen uint64, resp *fetch.Response, data []byte, n int64, err error) error {
	x.mu.Lock()
	if x.gen != gen {
		x.mu.Unlock()
		if err == nil {
			err = errors.New("the request was ended by Abort or Open")
		}
		return fmt.Errorf("%w: %w", fetch.ErrAbort, err)
	}
	if err != nil {
		x.mu.Unlock()
		return x.requestErrorSteps(gen, typeError, err)
	}
	x.resp = resp
	x.received = data
	x.receivedLen = n
	x.fetchDone = true
	x.state = StateDone
	x.sendFlag = false
	x.cancel = nil
	transmitted, length := n, contentLength(resp)
	x.mu.Unlock()
	if !x.fireReadyStateChange(gen) {
		return nil
	}
	if !x.fire(false, typeLoad, progressEvent(transmitted, length), nil, gen) {
		return nil
	}
	x.fire(false, typeLoadEnd, progressEvent(transmitted, length), nil, gen)
	return nil
}

// processRequestBodyChunk fires a throttled upload progress event.
func (x *XMLHttpRequest) processRequestBodyChunk(gen uint64, ev ProgressEvent) {
	x.mu.Lock()
	skip := x.uploadComplete || !x.uploadListener
	x.mu.Unlock()
	if !skip {
		x.fire(true, typeProgress, ev, nil, gen)
	}
}

// processRequestEndOfBody fires the upload's progress, load and loadend
// events once the request body has been transmitted.
func (x *XMLHttpRequest) processRequestEndOfBody(gen uint64, ev ProgressEvent) {
	x.mu.Lock()
	if x.uploadComplete {
		x.mu.Unlock()
		return
	}
	x.uploadComplete = true
	listener := x.uploadListener
	x.mu.Unlock()
	if !listener {
		return
	}
	_ = x.fire(true, typeProgress, ev, nil, gen) &&
		x.fire(true, typeLoad, ev, nil, gen) &&
		x.fire(true, typeLoadEnd, ev, nil, gen)
}

// processResponse handles the arrival of the response's status and
// headers.
func (x *XMLHttpRequest) processResponse(gen uint64, resp *fetch.Response, plan *sendPlan) {
	x.mu.Lock()
	x.resp = resp
	complete := x.uploadComplete
	x.mu.Unlock()
	if !complete {
		// The response came before the transport reported the end of
		// the request body (a server that answers early): the upload is
		// over, with what was transmitted.
		var loaded int64
		if plan.body != nil {
			loaded = plan.body.loaded()
		}
		x.processRequestEndOfBody(gen, progressEvent(loaded, plan.uploadLength()))
		if !x.liveFunc(gen)() {
			return
		}
	}
	x.mu.Lock()
	x.state = StateHeadersReceived
	x.mu.Unlock()
	x.fireReadyStateChange(gen)
}

// processFirstChunk moves to LOADING when the first bytes of the body
// arrive.
func (x *XMLHttpRequest) processFirstChunk(gen uint64) {
	x.mu.Lock()
	if x.state != StateHeadersReceived {
		x.mu.Unlock()
		return
	}
	x.state = StateLoading
	x.mu.Unlock()
	x.fireReadyStateChange(gen)
}

// processBodyChunk is processBodyChunk after its 50 ms throttle: it fires
// readystatechange and progress.
//
// Spec: https://xhr.spec.whatwg.org/#the-send()-method
func (x *XMLHttpRequest) processBodyChunk(gen uint64, ev ProgressEvent) {
	x.mu.Lock()
	if x.state != StateHeadersReceived && x.state != StateLoading {
		x.mu.Unlock()
		return
	}
	x.state = StateLoading
	x.mu.Unlock()
	if x.fireReadyStateChange(gen) {
		x.fire(false, typeProgress, ev, nil, gen)
	}
}

// handleResponseEndOfBody runs when the whole response body has arrived.
//
// Spec: https://xhr.spec.whatwg.org/#handle-response-end-of-file
func (x *XMLHttpRequest) handleResponseEndOfBody(gen uint64) {
	x.mu.Lock()
	if !x.sendFlag || x.resp == nil {
		x.mu.Unlock()
		return
	}
	if x.timedOut {
		x.mu.Unlock()
		x.requestErrorSteps(gen, typeTimeout, fetch.ErrTimeout)
		return
	}
	ev := progressEvent(x.receivedLen, contentLength(x.resp))
	x.mu.Unlock()
	if !x.fire(false, typeProgress, ev, nil, gen) {
		return
	}
	x.mu.Lock()
	if x.gen != gen {
		x.mu.Unlock()
		return
	}
	x.state = StateDone
	x.sendFlag = false
	x.stopFetchLocked(context.Canceled)
	x.mu.Unlock()
	_ = x.fireReadyStateChange(gen) &&
		x.fire(false, typeLoad, ev, nil, gen) &&
		x.fire(false, typeLoadEnd, ev, nil, gen)
}

// handleErrors maps a failed fetch to the request error steps.
//
// Spec: https://xhr.spec.whatwg.org/#handle-errors
func (x *XMLHttpRequest) handleErrors(gen uint64, err error) {
	x.mu.Lock()
	if !x.sendFlag {
		x.mu.Unlock()
		return
	}
	timedOut := x.timedOut
	x.mu.Unlock()
	switch {
	case timedOut:
		x.requestErrorSteps(gen, typeTimeout, fmt.Errorf("%w: %w", fetch.ErrTimeout, err))
	case errors.Is(err, fetch.ErrAbort) || errors.Is(err, context.Canceled):
		x.requestErrorSteps(gen, typeAbort, err)
	default:
		x.requestErrorSteps(gen, typeError, err)
	}
}

// requestErrorSteps ends the request with the event typ. For a
// synchronous request it fires nothing and returns err, the exception
// Send throws.
//
// Spec: https://xhr.spec.whatwg.org/#request-error-steps
func (x *XMLHttpRequest) requestErrorSteps(gen uint64, typ eventType, err error) error {
	x.mu.Lock()
	x.state = StateDone
	x.sendFlag = false
	x.setNetworkErrorLocked()
	x.stopFetchLocked(context.Canceled)
	if x.syncFlag {
		x.mu.Unlock()
		return err
	}
	x.mu.Unlock()
	if !x.fireReadyStateChange(gen) {
		return err
	}
	x.mu.Lock()
	uploadEvents := false
	if !x.uploadComplete {
		x.uploadComplete = true
		uploadEvents = x.uploadListener
	}
	x.mu.Unlock()
	zero := progressEvent(0, 0)
	if uploadEvents {
		if !x.fire(true, typ, zero, err, gen) || !x.fire(true, typeLoadEnd, zero, nil, gen) {
			return err
		}
	}
	if x.fire(false, typ, zero, err, gen) {
		x.fire(false, typeLoadEnd, zero, nil, gen)
	}
	return err
}

// Abort cancels the request: a request in flight ends with the abort
// steps (readystatechange to DONE, then abort and loadend on the upload
// object and on x), after which the state is UNSENT. When Abort returns,
// those events have been delivered and no listener runs again for the
// aborted request; called from outside a listener, it also waits for the
// request's network goroutine and for the dispatch goroutine to finish
// (unless another goroutine has started a new request meanwhile), so
// nothing of the request outlives the call. Abort of an idle request does
// nothing but reset a DONE state to UNSENT.
//
// Spec: https://xhr.spec.whatwg.org/#dom-xmlhttprequest-abort
func (x *XMLHttpRequest) Abort() {
	x.mu.Lock()
	x.gen++
	x.stopFetchLocked(fetch.ErrAbort)
	exited := x.fetchExited
	x.fetchExited = nil
	x.mu.Unlock()
	if x.loop.onLoop() {
		x.abortSteps() // from a listener: nested, as in JavaScript
		return
	}
	x.loop.do(x.abortSteps)
	// Let the aborted request settle: its network goroutine returns once
	// net/http has let go of the connection, and the event loop, left
	// with nothing but the aborted request's dropped reports, goes idle.
	exited.wait()
	x.loop.waitIdle()
}

// abortSteps are abort()'s steps after aborting the fetch.
func (x *XMLHttpRequest) abortSteps() {
	x.mu.Lock()
	inFlight := (x.state == StateOpened && x.sendFlag) || x.state == StateHeadersReceived || x.state == StateLoading
	gen := x.gen
	x.mu.Unlock()
	if inFlight {
		x.requestErrorSteps(gen, typeAbort, fmt.Errorf("xhr: Abort: %w", fetch.ErrAbort))
	}
	x.mu.Lock()
	if x.state == StateDone {
		x.state = StateUnsent
		x.setNetworkErrorLocked()
	}
	x.mu.Unlock()
}

// xhrBody is the request body handed to fetch: the body send() extracted
// (so that its type and length are known before the fetch), wrapped to
// count the bytes the connection consumes when upload listeners want them.
// A later extraction (a 307/308 redirect) extracts the original again.
type xhrBody struct {
	src         fetch.BodyInit
	length      int64
	contentType string
	interval    time.Duration

	mu      sync.Mutex
	first   io.ReadCloser
	report  func(ProgressEvent, bool)
	stream  *lazyProgress         // the latest extraction
	current *fetch.ProgressReader // its progress counter, once reading started
}

// observe makes the body report its progress to report.
func (b *xhrBody) observe(report func(ProgressEvent, bool)) {
	b.mu.Lock()
	b.report = report
	b.mu.Unlock()
}

// ExtractBody implements fetch.BodyInit.
func (b *xhrBody) ExtractBody() (io.ReadCloser, int64, string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	rc, n, ct := b.first, b.length, b.contentType
	b.first = nil
	if rc == nil {
		var err error
		rc, n, ct, err = b.src.ExtractBody()
		if err != nil {
			return nil, 0, "", err
		}
		if _, ok := b.src.(*Document); ok {
			ct = ""
		}
	}
	l := &lazyProgress{b: b, rc: rc, n: n}
	b.stream = l
	return l, n, ct, nil
}

// lazyProgress is one extraction of the body. It defers the decision to
// count bytes to the first Read, since fetch.NewRequest extracts the body
// before send() knows whether upload listeners are registered, and closes
// the stream once however often it is closed.
type lazyProgress struct {
	b         *xhrBody
	rc        io.ReadCloser
	n         int64
	once      sync.Once
	r         io.ReadCloser
	closeOnce sync.Once
	closeErr  error
}

func (l *lazyProgress) Read(p []byte) (int, error) {
	l.once.Do(func() {
		l.b.mu.Lock()
		report := l.b.report
		l.r = l.rc
		if report != nil {
			pr := fetch.NewProgressReader(l.rc, l.n, l.b.interval, report)
			l.b.current = pr
			l.r = pr
		}
		l.b.mu.Unlock()
	})
	return l.r.Read(p)
}

func (l *lazyProgress) Close() error {
	l.closeOnce.Do(func() { l.closeErr = l.rc.Close() })
	return l.closeErr
}

// closeCurrent closes the extraction being sent, if any.
func (b *xhrBody) closeCurrent() {
	b.mu.Lock()
	l := b.stream
	b.mu.Unlock()
	if l != nil {
		l.Close()
	}
}

// loaded returns the bytes consumed so far from the current extraction.
func (b *xhrBody) loaded() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.current == nil {
		return 0
	}
	return b.current.Loaded()
}

// closeFirst closes the extracted body when it was never handed to fetch.
func (b *xhrBody) closeFirst() {
	b.mu.Lock()
	rc := b.first
	b.first = nil
	b.mu.Unlock()
	if rc != nil {
		rc.Close()
	}
}
