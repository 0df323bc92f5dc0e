package fetch

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/webnet-go/webnet/internal/badport"
	"github.com/webnet-go/webnet/internal/dataurl"
	"github.com/webnet-go/webnet/url"
)

// Client sends fetch requests over an [http.Client]. The zero value is ready
// to use and sends through an unexported default transport (configured like
// [http.DefaultTransport], with up to 100 idle connections per host) that is
// shared by every zero Client and by the package-level [Fetch]; it never
// touches the mutable [http.DefaultClient].
//
// A Client is safe for concurrent use by multiple goroutines. Set its fields
// before first use and do not change them while fetches are in flight.
//
// Spec: https://fetch.spec.whatwg.org/#fetch-method
type Client struct {
	// HTTPClient supplies the transport: its Transport (nil meaning
	// http.DefaultTransport, as for any http.Client), its Jar (cookies are
	// sent and stored on every hop, except with CredentialsOmit) and its
	// Timeout (a bound on the whole fetch, body included; expiry is
	// ErrTimeout). Its CheckRedirect is not used: fetch follows redirects
	// itself, with the spec's rules (see RequestInit.Redirect). A nil
	// HTTPClient means the default transport described above.
	HTTPClient *http.Client

	// AllowForbiddenHeaders turns off the forbidden request header filter
	// for server-side code that must send, say, Cookie, Origin, Host or
	// Sec-* headers itself, as server-side fetch implementations (undici,
	// Deno) do. A Request's Headers still hide those headers (its guard is
	// the spec's "request" guard), but this Client sends them. A Host header
	// sets the request's Host; Content-Length, Transfer-Encoding and Trailer
	// are always computed by net/http from the body and cannot be
	// overridden.
	//
	// Deviation: a Go extension; in a browser the filter always applies.
	AllowForbiddenHeaders bool
}

var (
	defaultTransport = newDefaultTransport()
	defaultClient    = &Client{}
)

func newDefaultTransport() *http.Transport {
	return &http.Transport{
		Proxy: http.ProxyFromEnvironment,
		DialContext: (&net.Dialer{
			Timeout:   30 * time.Second,
			KeepAlive: 30 * time.Second,
		}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   100,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: 1 * time.Second,
	}
}

// transport returns the RoundTripper to send with.
func (c *Client) transport() http.RoundTripper {
	switch {
	case c.HTTPClient == nil:
		return defaultTransport
	case c.HTTPClient.Transport == nil:
		return http.DefaultTransport
	}
	return c.HTTPClient.Transport
}

// jar returns the cookie jar to use, nil for none.
func (c *Client) jar(credentials RequestCredentials) http.CookieJar {
	if c.HTTPClient == nil || credentials == CredentialsOmit {
		return nil
	}
	return c.HTTPClient.Jar
}

// Fetch fetches input with the default client; see [Client.Fetch].
//
// Spec: https://fetch.spec.whatwg.org/#dom-global-fetch
func Fetch(ctx context.Context, input string, init *RequestInit) (*Response, error) {
	return defaultClient.Fetch(ctx, input, init)
}

// Fetch is [NewRequest] followed by [Client.Do]: it sends a request for the
// absolute URL input with the options of init (nil for the defaults) and
// returns the response once its headers have arrived. An invalid argument is
// an error wrapping [ErrTypeError] (see NewRequest).
//
// Spec: https://fetch.spec.whatwg.org/#dom-global-fetch
func (c *Client) Fetch(ctx context.Context, input string, init *RequestInit) (*Response, error) {
	req, err := NewRequest(input, init)
	if err != nil {
		return nil, err
	}
	return c.Do(ctx, req)
}

// Do sends req and returns the response as soon as its status and headers
// have arrived; the body streams from [Response.Body] (or is read by
// [Response.Text] and the others). The caller must read the body to the end
// or close it, as with net/http, to release the connection.
//
// An HTTP error status (404, 500) is not an error. A failure is an error
// wrapping the cause and one of:
//   - [ErrNetwork]: the connection failed or was reset, the URL's scheme or
//     port is blocked (only http, https and data: URLs can be fetched;
//     about:blank is a network error, as the spec says), a redirect was
//     refused (RequestInit.Redirect "error", more than 20 redirects, a
//     307/308 redirect of a Reader body), or the integrity check failed;
//   - [ErrAbort]: ctx was cancelled or req's signal aborted (the reason, and
//     so [context.Canceled] for a cancelled ctx, matches too);
//   - [ErrTimeout]: the ctx deadline passed or the signal was made by
//     [AbortSignalTimeout].
//
// ctx and the signal govern the whole exchange, the reading of the response
// body included: aborting either while the body is read makes the next Read
// fail the same way. When Do fails after an abort, the request body has
// been closed and net/http has finished with it. Sending uses the request's
// body, so a Request with a body can be sent once (clone it first to send it
// twice; a second Do fails with [ErrBodyUsed]).
//
// Spec: https://fetch.spec.whatwg.org/#dom-global-fetch
func (c *Client) Do(ctx context.Context, req *Request) (*Response, error) {
	if ctx == nil {
		return nil, errorf(ErrTypeError, "nil context")
	}
	if req == nil {
		return nil, errorf(ErrTypeError, "nil request")
	}
	sig := req.signal
	if sig.Aborted() {
		return nil, abortError(req.href, sig.Reason())
	}
	if ctx.Err() != nil {
		return nil, abortError(req.href, context.Cause(ctx))
	}
	if req.body.stream != nil && !req.body.used.CompareAndSwap(false, true) {
		return nil, fetchError(req.href, ErrBodyUsed, nil)
	}

	f := &fetchState{client: c, req: req, ctx: ctx}
	var releases []func()
	if c.HTTPClient != nil && c.HTTPClient.Timeout > 0 {
		tctx, cancel := context.WithTimeoutCause(f.ctx, c.HTTPClient.Timeout, ErrTimeout)
		f.ctx = tctx
		releases = append(releases, cancel)
	}
	if sig.Done() != nil {
		fctx, cancel := context.WithCancelCause(f.ctx)
		stop := context.AfterFunc(sig.ctx, func() { cancel(context.Cause(sig.ctx)) })
		f.ctx = fctx
		releases = append(releases, func() {
			stop()
			cancel(context.Canceled)
		})
	}
	switch len(releases) {
	case 0:
	case 1:
		f.release = releases[0]
	default:
		f.release = func() {
			for _, r := range releases {
				r()
			}
		}
	}

	resp, err := f.run()
	if err != nil {
		f.finish()
		return nil, err
	}
	return resp, nil
}

// fetchState is one call of Do.
type fetchState struct {
	client  *Client
	req     *Request
	ctx     context.Context // ctx joined with the request's signal
	release func()          // undoes the join; nil when there was none
	jar     http.CookieJar  // the cookie jar of this fetch, nil for none
	once    sync.Once
	body    responseBody // the response body, allocated with the fetch
	resp    Response     // the response of an HTTP fetch, allocated with the fetch
	hreqMem http.Request // the first hop's request; its URL is nil until then
}

// finish releases the fetch's resources, once.
func (f *fetchState) finish() {
	if f.release != nil {
		f.once.Do(f.release)
	}
}

// failure maps an error of the exchange to the fetch's error: an abort when
// the fetch's context is done, a network error otherwise.
func (f *fetchState) failure(href string, err error) error {
	if f.ctx.Err() != nil {
		return abortError(href, context.Cause(f.ctx))
	}
	return fetchError(href, ErrNetwork, err)
}

// run is the spec's main fetch for req, after the abort checks.
//
// Spec: https://fetch.spec.whatwg.org/#concept-main-fetch
func (f *fetchState) run() (*Response, error) {
	req := f.req
	scheme := urlScheme(req.url)
	if (scheme == "http" || scheme == "https") && !isBadPort(urlPort(req.url)) {
		return f.httpFetch()
	}
	// Nothing else sends the request body: it is closed unread.
	if rc := req.body.stream; rc != nil {
		rc.Close()
	}
	switch scheme {
	case "http", "https":
		return nil, fetchError(req.href, ErrNetwork, errors.New("port "+urlPort(req.url)+" is blocked"))
	case "data":
		return f.dataFetch()
	case "about":
		return nil, fetchError(req.href, ErrNetwork, errors.New("about: URLs cannot be fetched"))
	default:
		return nil, fetchError(req.href, ErrNetwork, errors.New("scheme "+scheme+": is not supported"))
	}
}

// dataFetch is the scheme fetch of a data: URL.
//
// Spec: https://fetch.spec.whatwg.org/#scheme-fetch
func (f *fetchState) dataFetch() (*Response, error) {
	res, err := dataurl.Process(f.req.href)
	if err != nil {
		return nil, fetchError(f.req.href, ErrNetwork, err)
	}
	f.finish()
	ct := res.MIMEType.String()
	r := &Response{
		typ:        ResponseTypeBasic,
		status:     http.StatusOK,
		statusText: "OK",
		headers:    &Headers{guard: GuardImmutable, list: []header{{"content-type", ct}}},
		url:        stripFragment(f.req.href),
	}
	_, _ = r.body.setBody(Bytes(res.Body)) // a Bytes body cannot fail
	return r, nil
}

// acceptOnly is the header list of a request without headers of its own:
// just the Accept header the spec adds. It is shared, read-only: net/http's
// RoundTrip does not modify requests, and a hop that needs more headers
// (cookies from a jar, cache or referrer headers) gets a map of its own.
var acceptOnly = http.Header{"Accept": {"*/*"}}

// httpFetch sends the request, following redirects as the spec says.
//
// Spec: https://fetch.spec.whatwg.org/#concept-http-fetch
func (f *fetchState) httpFetch() (*Response, error) {
	req := f.req
	var (
		cur        = req.url
		href       = req.href
		method     = req.method
		entries    = req.headers.loaded()
		hidden     []header
		stream     = req.body.stream // the body to send this time
		source     = req.body.source
		length     = req.body.length
		redirects  = 0
		rt         = f.client.transport()
		jar        = f.client.jar(req.opts.Credentials)
		ctAuto     = req.ctAuto
		redirected = false
	)
	if f.client.AllowForbiddenHeaders {
		hidden = req.headers.hidden
	}
	f.jar = jar
	for {
		hreq, rb, err := f.newHTTPRequest(cur, href, method, entries, hidden, stream, source, length, ctAuto)
		if err != nil {
			return nil, err
		}
		var stopInterrupt func() bool
		if rb != nil && f.ctx.Done() != nil {
			// net/http waits for its writer to finish with the body before
			// it returns, so a Read blocked in the body must be interrupted
			// on abort: closing the stream does that.
			stopInterrupt = context.AfterFunc(f.ctx, rb.interrupt)
		}
		if jar != nil {
			for _, ck := range jar.Cookies(hreq.URL) {
				hreq.AddCookie(ck)
			}
		}
		hresp, err := rt.RoundTrip(hreq)
		if stopInterrupt != nil {
			stopInterrupt()
		}
		if err != nil {
			if rb != nil {
				rb.settle()
			}
			return nil, f.failure(href, err)
		}
		if jar != nil {
			if cks := hresp.Cookies(); len(cks) > 0 {
				jar.SetCookies(hreq.URL, cks)
			}
		}
		if !isRedirectStatus(hresp.StatusCode) || req.opts.Redirect == RedirectManual {
			return f.newResponse(hresp, href, redirected)
		}
		if req.opts.Redirect == RedirectError {
			discard(hresp)
			return nil, fetchError(href, ErrNetwork, errors.New("redirect mode is \"error\" and the response is a redirect ("+strconv.Itoa(hresp.StatusCode)+")"))
		}
		locs := hresp.Header.Values("Location")
		if len(locs) == 0 {
			return f.newResponse(hresp, href, redirected)
		}
		discard(hresp)
		if len(locs) > 1 {
			return nil, fetchError(href, ErrNetwork, errors.New("redirect with several Location headers"))
		}
		next, err := resolveURL(cur, locs[0])
		if err != nil {
			return nil, fetchError(href, ErrNetwork, err)
		}
		// HTTP-redirect fetch.
		nextHref := urlHref(next)
		if s := urlScheme(next); s != "http" && s != "https" {
			return nil, fetchError(href, ErrNetwork, errors.New("redirect to a non-HTTP(S) URL "+nextHref))
		}
		if redirects == 20 {
			return nil, fetchError(href, ErrNetwork, errors.New("too many redirects"))
		}
		redirects++
		crossOrigin := !sameOrigin(cur, next)
		if urlHasCredentials(next) && crossOrigin {
			return nil, fetchError(href, ErrNetwork, errors.New("redirect to a URL with credentials"))
		}
		status := hresp.StatusCode
		if source != nil && oneShot(source) && status != http.StatusSeeOther {
			return nil, fetchError(href, ErrNetwork, errors.New("cannot re-send a Reader body on a redirect"))
		}
		if (status == 301 || status == 302) && method == "POST" || status == 303 && method != "GET" && method != "HEAD" {
			method = "GET"
			source, length = nil, 0
			entries = deleteHeaders(entries, "content-encoding", "content-language", "content-location", "content-type")
			hidden = deleteHeaders(hidden, "content-encoding", "content-language", "content-location", "content-type")
		}
		if crossOrigin {
			entries = deleteHeaders(entries, "authorization", "cookie", "proxy-authorization")
			hidden = deleteHeaders(hidden, "authorization", "cookie", "proxy-authorization")
		}
		stream = nil
		if source != nil {
			rc, n, ct, err := source.ExtractBody()
			if err != nil {
				return nil, fetchError(href, ErrNetwork, err)
			}
			stream, length = rc, n
			if ctAuto != "" && ct != "" && ct != ctAuto {
				entries = replaceHeader(entries, "content-type", ctAuto, ct)
				ctAuto = ct
			}
		}
		cur, href, redirected = next, nextHref, true
	}
}

// newHTTPRequest builds the http.Request of one hop. rb is the wrapped
// request body, nil for none.
func (f *fetchState) newHTTPRequest(cur *url.URL, href, method string, entries, hidden []header,
	stream io.ReadCloser, source BodyInit, length int64, ctAuto string) (*http.Request, *requestBody, error) {
	req := f.req
	var hdr http.Header
	if len(entries) == 0 && len(hidden) == 0 && !needsExtraHeaders(req.opts) && f.jar == nil {
		hdr = acceptOnly
	} else {
		hdr = toHTTPHeader(1, entries, hidden)
		if _, ok := hdr["Accept"]; !ok {
			hdr["Accept"] = acceptOnly["Accept"]
		}
		addCacheHeaders(hdr, req.opts.Cache)
		if ref := req.opts.Referrer; ref != "about:client" {
			if v := determineReferrer(ref, req.opts.ReferrerPolicy, cur); v != "" {
				hdr["Referer"] = []string{v}
			}
		}
	}
	nu := netURL(cur)
	hr := http.Request{
		Method:     method,
		URL:        nu,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     hdr,
		Host:       nu.Host,
	}
	if h, ok := hdr["Host"]; ok && len(hidden) > 0 {
		hr.Host = h[0]
		delete(hdr, "Host")
	}
	var rb *requestBody
	if stream != nil {
		rb = newRequestBody(observeUpload(req, stream, length))
		hr.Body = rb
		hr.ContentLength = length
		if length == 0 {
			// net/http treats a non-nil Body of length 0 as unknown.
			rb.Close()
			hr.Body, rb = http.NoBody, nil
		}
		if source != nil && !oneShot(source) {
			hr.GetBody = func() (io.ReadCloser, error) {
				rc, _, ct, err := source.ExtractBody()
				if err != nil {
					return nil, err
				}
				if ctAuto != "" && ct != ctAuto {
					rc.Close()
					return nil, errors.New("fetch: the body's Content-Type changed; cannot retry")
				}
				return observeUpload(req, rc, length), nil
			}
		}
	}
	// With the background context the request needs no WithContext copy
	// (a nil context is the background one), and the first hop's request
	// is allocated with the fetch (hreqMem.URL is nil until then).
	switch {
	case f.ctx != context.Background():
		return hr.WithContext(f.ctx), rb, nil
	case f.hreqMem.URL == nil:
		f.hreqMem = hr
		return &f.hreqMem, rb, nil
	}
	out := new(http.Request)
	*out = hr
	return out, rb, nil
}

// newResponse wraps a final http.Response.
func (f *fetchState) newResponse(hresp *http.Response, href string, redirected bool) (*Response, error) {
	r := &f.resp
	r.typ = ResponseTypeBasic
	r.status = hresp.StatusCode
	r.statusText = statusText(hresp)
	r.hheader = hresp.Header
	r.url = stripFragment(href)
	r.redirected = redirected
	if hresp.Body == nil || hresp.Body == http.NoBody || f.req.method == "HEAD" || isNullBodyStatus(hresp.StatusCode) {
		if hresp.Body != nil {
			hresp.Body.Close()
		}
		f.finish()
	} else {
		f.body.rc = observeDownload(f.req, hresp.Body, hresp.ContentLength)
		f.body.href = r.url
		f.body.f = f
		r.body.stream = &f.body
		r.body.length = hresp.ContentLength
	}
	if f.req.opts.Integrity != "" {
		if err := r.checkIntegrity(f.req.opts.Integrity); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// statusText is the reason phrase of hresp ("" over HTTP/2 and later,
// which have none).
func statusText(hresp *http.Response) string {
	if hresp.ProtoMajor >= 2 || len(hresp.Status) < 4 {
		return ""
	}
	s, code := hresp.Status, hresp.StatusCode
	if code >= 100 && code <= 999 && s[0] == byte('0'+code/100) && s[1] == byte('0'+code/10%10) && s[2] == byte('0'+code%10) {
		return strings.TrimLeft(s[3:], " ")
	}
	return s
}

// discard drains a little of a response body, so the connection can be
// reused, and closes it.
func discard(hresp *http.Response) {
	const maxSlurp = 2 << 10
	if hresp.ContentLength == -1 || hresp.ContentLength <= maxSlurp {
		_, _ = io.CopyN(io.Discard, hresp.Body, maxSlurp)
	}
	hresp.Body.Close()
}

// isRedirectStatus reports 301, 302, 303, 307 and 308.
//
// Spec: https://fetch.spec.whatwg.org/#redirect-status
func isRedirectStatus(s int) bool {
	return s == 301 || s == 302 || s == 303 || s == 307 || s == 308
}

// isNullBodyStatus reports 101, 103, 204, 205 and 304.
//
// Spec: https://fetch.spec.whatwg.org/#null-body-status
func isNullBodyStatus(s int) bool {
	return s == 101 || s == 103 || s == 204 || s == 205 || s == 304
}

// stripFragment removes the fragment of a serialized URL.
func stripFragment(href string) string {
	if i := strings.IndexByte(href, '#'); i >= 0 {
		return href[:i]
	}
	return href
}

// deleteHeaders removes the named entries from a list it may share with
// others (it copies before changing anything).
func deleteHeaders(list []header, names ...string) []header {
	has := func(e header) bool { return slices.Contains(names, e.name) }
	if !slices.ContainsFunc(list, has) {
		return list
	}
	return slices.DeleteFunc(slices.Clone(list), has)
}

// replaceHeader returns list with the value old of name replaced by new
// (copying first).
func replaceHeader(list []header, name, old, new string) []header {
	out := slices.Clone(list)
	for i := range out {
		if out[i].name == name && out[i].value == old {
			out[i].value = new
		}
	}
	return out
}

// addCacheHeaders adds the headers the spec adds for a cache mode.
//
// Spec: https://fetch.spec.whatwg.org/#http-network-or-cache-fetch
func addCacheHeaders(hdr http.Header, mode RequestCache) {
	switch mode {
	case CacheNoStore, CacheReload:
		if _, ok := hdr["Pragma"]; !ok {
			hdr["Pragma"] = []string{"no-cache"}
		}
		if _, ok := hdr["Cache-Control"]; !ok {
			hdr["Cache-Control"] = []string{"no-cache"}
		}
	case CacheNoCache:
		if _, ok := hdr["Cache-Control"]; !ok {
			hdr["Cache-Control"] = []string{"max-age=0"}
		}
	}
}

// isBadPort reports a blocked port ("" is the scheme's default port, which
// is never blocked).
//
// Spec: https://fetch.spec.whatwg.org/#block-bad-port
func isBadPort(port string) bool {
	if port == "" {
		return false
	}
	n, err := strconv.Atoi(port)
	return err == nil && badport.Blocked(n)
}

// requestBody is the http.Request body: it records when net/http has
// closed it, so that an aborted fetch can wait for that.
type requestBody struct {
	rc        io.ReadCloser
	innerOnce sync.Once
	closeOnce sync.Once
	closed    chan struct{}
}

func newRequestBody(rc io.ReadCloser) *requestBody {
	return &requestBody{rc: rc, closed: make(chan struct{})}
}

func (b *requestBody) Read(p []byte) (int, error) { return b.rc.Read(p) }

func (b *requestBody) Close() error {
	err := b.closeInner()
	b.closeOnce.Do(func() { close(b.closed) })
	return err
}

func (b *requestBody) closeInner() (err error) {
	b.innerOnce.Do(func() { err = b.rc.Close() })
	return err
}

// interrupt closes the body's stream, which unblocks a Read that net/http's
// writer may be waiting in.
func (b *requestBody) interrupt() { _ = b.closeInner() }

// settle makes sure that net/http is done with the body: it closes the
// stream and waits for net/http to close the body, after which net/http will
// not touch it again (go.dev/issue/57098). net/http's RoundTrip itself
// waits for its writer before it returns an error, so the wait is short.
func (b *requestBody) settle() {
	b.interrupt()
	<-b.closed
}

// responseBody is the stream of a network response: it maps read errors to
// the fetch's categories and releases the fetch once the body is done.
type responseBody struct {
	rc   io.ReadCloser
	href string
	f    *fetchState

	mu  sync.Mutex
	err error // sticky: io.EOF, the mapped error, or errClosedBody
}

var errClosedBody = errors.New("fetch: read on closed response body")

func (b *responseBody) Read(p []byte) (int, error) {
	b.mu.Lock()
	err := b.err
	b.mu.Unlock()
	if err != nil {
		return 0, err
	}
	n, err := b.rc.Read(p)
	if err != nil {
		err = b.fail(err)
	}
	return n, err
}

// fail records the end of the body.
func (b *responseBody) fail(err error) error {
	b.mu.Lock()
	if b.err != nil {
		err = b.err
		b.mu.Unlock()
		return err
	}
	if err != io.EOF {
		err = b.f.failure(b.href, err)
	}
	b.err = err
	b.mu.Unlock()
	b.f.finish()
	return err
}

func (b *responseBody) Close() error {
	b.mu.Lock()
	if b.err == nil {
		b.err = errClosedBody
	}
	b.mu.Unlock()
	err := b.rc.Close()
	b.f.finish()
	return err
}

// observeUpload is the seam every request body passes through on its way
// to net/http (once per attempt; total is the length or -1): upload
// observers such as RequestInit.Progress hook in here.
func observeUpload(req *Request, rc io.ReadCloser, total int64) io.ReadCloser {
	return req.opts.Progress.wrapUpload(rc, total)
}

// observeDownload is the seam every network response body passes through
// (total is the Content-Length or -1): download observers such as
// RequestInit.Progress hook in here.
func observeDownload(req *Request, rc io.ReadCloser, total int64) io.ReadCloser {
	return req.opts.Progress.wrapDownload(rc, total)
}

// needsExtraHeaders reports whether the options add request headers (the
// cache mode's or a Referer).
func needsExtraHeaders(o *RequestInit) bool {
	switch o.Cache {
	case CacheNoStore, CacheReload, CacheNoCache:
		return true
	}
	return o.Referrer != "about:client"
}
