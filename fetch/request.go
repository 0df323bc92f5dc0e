package fetch

import (
	"io"

	"golang.org/x/net/http/httpguts"

	"github.com/webnet-go/webnet/blob"
	"github.com/webnet-go/webnet/formdata"
	"github.com/webnet-go/webnet/internal/httpmethod"
	"github.com/webnet-go/webnet/url"
)

// RequestMode is a request's mode; the values are the spec's strings.
//
// Spec: https://fetch.spec.whatwg.org/#concept-request-mode
type RequestMode string

// The request modes. Only [ModeNoCORS] changes what webnet does (the
// request-no-cors header guard); there are no CORS checks (see the package
// documentation).
const (
	ModeCORS       RequestMode = "cors" // the default of NewRequest
	ModeSameOrigin RequestMode = "same-origin"
	ModeNoCORS     RequestMode = "no-cors"
	ModeNavigate   RequestMode = "navigate" // refused by NewRequest, as in JavaScript
)

// RequestCredentials is a request's credentials mode.
//
// Spec: https://fetch.spec.whatwg.org/#concept-request-credentials-mode
type RequestCredentials string

// The credentials modes. [CredentialsOmit] sends the request without the
// cookies of the client's cookie jar (and stores none from the response);
// the others use the jar, if the client has one.
const (
	CredentialsOmit       RequestCredentials = "omit"
	CredentialsSameOrigin RequestCredentials = "same-origin" // the default
	CredentialsInclude    RequestCredentials = "include"
)

// RequestCache is a request's cache mode. webnet has no HTTP cache; the
// mode adds the request headers the spec adds for it (Cache-Control and
// Pragma for "no-store", "reload" and "no-cache").
//
// Spec: https://fetch.spec.whatwg.org/#concept-request-cache-mode
type RequestCache string

// The cache modes.
const (
	CacheDefault      RequestCache = "default"
	CacheNoStore      RequestCache = "no-store"
	CacheReload       RequestCache = "reload"
	CacheNoCache      RequestCache = "no-cache"
	CacheForceCache   RequestCache = "force-cache"
	CacheOnlyIfCached RequestCache = "only-if-cached" // needs ModeSameOrigin
)

// RequestRedirect is a request's redirect mode.
//
// Spec: https://fetch.spec.whatwg.org/#concept-request-redirect-mode
type RequestRedirect string

// The redirect modes.
const (
	// RedirectFollow follows up to 20 redirects (the default).
	RedirectFollow RequestRedirect = "follow"
	// RedirectError fails the fetch with ErrNetwork on a redirect.
	RedirectError RequestRedirect = "error"
	// RedirectManual returns the redirect response itself.
	//
	// Deviation: a browser returns an opaque-redirect filtered response
	// (status 0, no headers); webnet, like server-side fetch
	// implementations, returns the 3xx response with its headers and body.
	RedirectManual RequestRedirect = "manual"
)

// ReferrerPolicy is a request's referrer policy; "" means the default,
// "strict-origin-when-cross-origin".
//
// Spec: https://w3c.github.io/webappsec-referrer-policy/#enumdef-referrerpolicy
type ReferrerPolicy string

// The referrer policies.
const (
	ReferrerPolicyNoReferrer                  ReferrerPolicy = "no-referrer"
	ReferrerPolicyNoReferrerWhenDowngrade     ReferrerPolicy = "no-referrer-when-downgrade"
	ReferrerPolicySameOrigin                  ReferrerPolicy = "same-origin"
	ReferrerPolicyOrigin                      ReferrerPolicy = "origin"
	ReferrerPolicyStrictOrigin                ReferrerPolicy = "strict-origin"
	ReferrerPolicyOriginWhenCrossOrigin       ReferrerPolicy = "origin-when-cross-origin"
	ReferrerPolicyStrictOriginWhenCrossOrigin ReferrerPolicy = "strict-origin-when-cross-origin"
	ReferrerPolicyUnsafeURL                   ReferrerPolicy = "unsafe-url"
)

// RequestPriority is a request's priority hint. It is stored and reported;
// net/http has no priorities.
//
// Spec: https://fetch.spec.whatwg.org/#request-priority
type RequestPriority string

// The priorities.
const (
	PriorityHigh RequestPriority = "high"
	PriorityLow  RequestPriority = "low"
	PriorityAuto RequestPriority = "auto" // the default
)

// RequestDuplex is a request's duplex mode; "half" is the only value.
//
// Spec: https://fetch.spec.whatwg.org/#dom-requestinit-duplex
type RequestDuplex string

// DuplexHalf is the only duplex mode: the request body is sent before the
// response is read.
const DuplexHalf RequestDuplex = "half"

// RequestInit holds the options of [NewRequest] and [Fetch]. A nil
// *RequestInit means all defaults, and a zero field means the spec's
// default. The struct is copied: changing it after the call has no effect.
// Enum fields must hold one of their constants (or ""); anything else is an
// error wrapping [ErrTypeError], as in JavaScript.
//
// Spec: https://fetch.spec.whatwg.org/#requestinit
type RequestInit struct {
	// Method is the request method, "GET" when empty. It must be an HTTP
	// token other than CONNECT, TRACE and TRACK; DELETE, GET, HEAD,
	// OPTIONS, POST and PUT are upper-cased.
	Method string
	// Headers are added to the request's headers (guard "request": the
	// forbidden request headers are ignored unless the Client's
	// AllowForbiddenHeaders is set).
	Headers HeadersInit
	// Body is the request body; GET and HEAD requests cannot have one. Its
	// Content-Type is added unless Headers has one.
	Body BodyInit
	// Referrer is "" (or "about:client") for the default, or an absolute
	// URL sent, as the referrer policy allows, in the Referer header.
	//
	// Deviation: in JavaScript "" means no referrer; use
	// ReferrerPolicyNoReferrer instead.
	Referrer string
	// ReferrerPolicy is the referrer policy; "" is the default.
	ReferrerPolicy ReferrerPolicy
	// Mode is the request mode, ModeCORS when empty.
	Mode RequestMode
	// Credentials is the credentials mode, CredentialsSameOrigin when
	// empty.
	Credentials RequestCredentials
	// Cache is the cache mode, CacheDefault when empty.
	Cache RequestCache
	// Redirect is the redirect mode, RedirectFollow when empty.
	Redirect RequestRedirect
	// Integrity is subresource integrity metadata such as
	// "sha256-<base64>": when set, the whole response body is read and
	// checked before the fetch returns, and a mismatch is ErrNetwork.
	Integrity string
	// Keepalive asks that the request may outlive its environment; it is
	// stored only. A Reader body cannot be combined with it.
	Keepalive bool
	// Signal aborts the fetch, and the reading of the response body, when
	// it aborts. The fetch's context does the same.
	Signal *AbortSignal
	// Priority is the priority hint, PriorityAuto when empty.
	Priority RequestPriority
	// Duplex must be "" or DuplexHalf.
	Duplex RequestDuplex

	// Progress observes the upload of the request body and the download of
	// the response body (see [Progress]); nil observes nothing.
	//
	// Deviation: a Go extension; the Fetch Standard has no progress
	// observers.
	Progress *Progress
}

// Request is an HTTP request as the Fetch Standard models it: created by
// [NewRequest], sent by [Client.Do]. Its body, if any, can be read once,
// by the body methods or by sending it; [Request.Clone] first to use it
// twice.
//
// A Request is not safe for concurrent mutation (of its Headers); sending it
// and reading its accessors concurrently is safe.
//
// Spec: https://fetch.spec.whatwg.org/#request-class
type Request struct {
	// opts is the init, with defaults applied; Headers, Body and Signal
	// unset. It is read-only once NewRequest returns (shared by clones, and
	// for a nil init it is defaultRequestOpts).
	opts    *RequestInit
	method  string
	url     *url.URL
	href    string
	headers *Headers
	hdrs    Headers // storage for headers, allocated with the request
	body    body
	signal  *AbortSignal
	// ctAuto is the Content-Type this request got from its body ("" when
	// the headers supplied one), to be updated if a re-extraction of the
	// body (FormData: a new boundary) yields another.
	ctAuto string
}

// NewRequest returns a request for the absolute URL input with the options
// of init (nil for the defaults). It fails with an error wrapping
// [ErrTypeError] for an unparsable URL or one with credentials
// (user:pass@), an invalid or forbidden method, a body on a GET or HEAD
// request, an invalid enum value, or a header error ([ErrInvalidHeader]).
//
// Deviation: JavaScript resolves a relative input against the document's
// URL; Go has no document, so input must be absolute.
//
// Spec: https://fetch.spec.whatwg.org/#dom-request
func NewRequest(input string, init *RequestInit) (*Request, error) {
	u, err := parseURL(input)
	if err != nil {
		return nil, errorf(ErrTypeError, "invalid URL %q: %v", input, err)
	}
	if urlHasCredentials(u) {
		return nil, errorf(ErrTypeError, "URL %q includes credentials", input)
	}
	r := &Request{url: u, href: urlHref(u), method: "GET"}
	if init == nil {
		r.opts = &defaultRequestOpts
		r.hdrs.guard = GuardRequest
		r.headers = &r.hdrs
		return r, nil
	}
	o := new(RequestInit)
	*o = *init
	o.Headers, o.Body, o.Signal = nil, nil, nil
	r.opts = o
	if err := o.applyDefaults(); err != nil {
		return nil, err
	}
	if init.Method != "" {
		m, err := normalizeCheckedMethod(init.Method)
		if err != nil {
			return nil, err
		}
		r.method = m
	}
	r.opts.Method = r.method
	r.signal = init.Signal

	guard := GuardRequest
	if o.Mode == ModeNoCORS {
		if !isCORSSafelistedMethod(r.method) {
			return nil, errorf(ErrTypeError, "method %s is not allowed in no-cors mode", r.method)
		}
		guard = GuardRequestNoCORS
	}
	r.hdrs.guard = guard
	r.headers = &r.hdrs
	if err := r.headers.fill(init.Headers); err != nil {
		return nil, err
	}

	if init.Body != nil {
		if r.method == "GET" || r.method == "HEAD" {
			return nil, errorf(ErrTypeError, "a %s request cannot have a body", r.method)
		}
		if oneShot(init.Body) {
			if o.Keepalive {
				return nil, errorf(ErrTypeError, "a keepalive request cannot have a stream body")
			}
			if o.Mode != ModeSameOrigin && o.Mode != ModeCORS {
				return nil, errorf(ErrTypeError, "a stream body needs mode cors or same-origin")
			}
		}
		ct, err := r.body.setBody(init.Body)
		if err != nil {
			return nil, err
		}
		if ct != "" && !r.headers.contains("content-type") {
			if err := r.headers.Append("Content-Type", ct); err != nil {
				return nil, err
			}
			r.ctAuto = ct
		}
	}
	return r, nil
}

// defaultRequestOpts is the opts of every request made with a nil init:
// the defaults, read-only.
// (TestDefaultRequestOpts checks it against applyDefaults.)
var defaultRequestOpts = RequestInit{
	Method:      "GET",
	Referrer:    "about:client",
	Mode:        ModeCORS,
	Credentials: CredentialsSameOrigin,
	Cache:       CacheDefault,
	Redirect:    RedirectFollow,
	Priority:    PriorityAuto,
	Duplex:      DuplexHalf,
}

// applyDefaults fills in and checks the enum fields of a copied init.
func (o *RequestInit) applyDefaults() error {
	bad := func(v string) error { return errorf(ErrTypeError, "invalid enum value %q", v) }
	switch o.Mode {
	case "":
		o.Mode = ModeCORS
	case ModeCORS, ModeSameOrigin, ModeNoCORS:
	case ModeNavigate:
		return errorf(ErrTypeError, "mode %q cannot be used in a Request", o.Mode)
	default:
		return bad(string(o.Mode))
	}
	switch o.Credentials {
	case "":
		o.Credentials = CredentialsSameOrigin
	case CredentialsOmit, CredentialsSameOrigin, CredentialsInclude:
	default:
		return bad(string(o.Credentials))
	}
	switch o.Cache {
	case "":
		o.Cache = CacheDefault
	case CacheDefault, CacheNoStore, CacheReload, CacheNoCache, CacheForceCache:
	case CacheOnlyIfCached:
		if o.Mode != ModeSameOrigin {
			return errorf(ErrTypeError, "cache mode only-if-cached needs mode same-origin")
		}
	default:
		return bad(string(o.Cache))
	}
	switch o.Redirect {
	case "":
		o.Redirect = RedirectFollow
	case RedirectFollow, RedirectError, RedirectManual:
	default:
		return bad(string(o.Redirect))
	}
	switch o.ReferrerPolicy {
	case "", ReferrerPolicyNoReferrer, ReferrerPolicyNoReferrerWhenDowngrade, ReferrerPolicySameOrigin,
		ReferrerPolicyOrigin, ReferrerPolicyStrictOrigin, ReferrerPolicyOriginWhenCrossOrigin,
		ReferrerPolicyStrictOriginWhenCrossOrigin, ReferrerPolicyUnsafeURL:
	default:
		return bad(string(o.ReferrerPolicy))
	}
	switch o.Priority {
	case "":
		o.Priority = PriorityAuto
	case PriorityHigh, PriorityLow, PriorityAuto:
	default:
		return bad(string(o.Priority))
	}
	switch o.Duplex {
	case "":
		o.Duplex = DuplexHalf
	case DuplexHalf:
	default:
		return bad(string(o.Duplex))
	}
	switch o.Referrer {
	case "", "about:client":
		o.Referrer = "about:client"
	default:
		u, err := parseURL(o.Referrer)
		if err != nil {
			return errorf(ErrTypeError, "invalid referrer %q: %v", o.Referrer, err)
		}
		o.Referrer = urlHref(u)
	}
	return nil
}

// normalizeCheckedMethod checks and normalizes a method.
//
// Spec: https://fetch.spec.whatwg.org/#concept-method-normalize
func normalizeCheckedMethod(m string) (string, error) {
	if !httpguts.ValidHeaderFieldName(m) {
		return "", errorf(ErrTypeError, "method %q is not a valid HTTP token", m)
	}
	if httpmethod.Forbidden(m) {
		return "", errorf(ErrTypeError, "method %q is forbidden", m)
	}
	return httpmethod.Normalize(m), nil
}

// isCORSSafelistedMethod reports GET, HEAD and POST.
//
// Spec: https://fetch.spec.whatwg.org/#cors-safelisted-method
func isCORSSafelistedMethod(m string) bool { return m == "GET" || m == "HEAD" || m == "POST" }

// Method returns the request method, normalized.
//
// Spec: https://fetch.spec.whatwg.org/#dom-request-method
func (r *Request) Method() string { return r.method }

// URL returns the request URL, serialized.
//
// Spec: https://fetch.spec.whatwg.org/#dom-request-url
func (r *Request) URL() string { return r.href }

// Headers returns the request's headers (guard "request", or
// "request-no-cors" in no-cors mode). Changes made to them before the
// request is sent are sent.
//
// Spec: https://fetch.spec.whatwg.org/#dom-request-headers
func (r *Request) Headers() *Headers { return r.headers }

// Destination returns the request's destination, always "" (the empty
// string the spec gives fetch() requests).
//
// Spec: https://fetch.spec.whatwg.org/#dom-request-destination
func (r *Request) Destination() string { return "" }

// Referrer returns "about:client" for the default referrer, or the
// referrer URL.
//
// Spec: https://fetch.spec.whatwg.org/#dom-request-referrer
func (r *Request) Referrer() string { return r.opts.Referrer }

// ReferrerPolicy returns the referrer policy ("" for the default).
//
// Spec: https://fetch.spec.whatwg.org/#dom-request-referrerpolicy
func (r *Request) ReferrerPolicy() ReferrerPolicy { return r.opts.ReferrerPolicy }

// Mode returns the request mode.
//
// Spec: https://fetch.spec.whatwg.org/#dom-request-mode
func (r *Request) Mode() RequestMode { return r.opts.Mode }

// Credentials returns the credentials mode.
//
// Spec: https://fetch.spec.whatwg.org/#dom-request-credentials
func (r *Request) Credentials() RequestCredentials { return r.opts.Credentials }

// Cache returns the cache mode.
//
// Spec: https://fetch.spec.whatwg.org/#dom-request-cache
func (r *Request) Cache() RequestCache { return r.opts.Cache }

// Redirect returns the redirect mode.
//
// Spec: https://fetch.spec.whatwg.org/#dom-request-redirect
func (r *Request) Redirect() RequestRedirect { return r.opts.Redirect }

// Integrity returns the subresource integrity metadata ("" for none).
//
// Spec: https://fetch.spec.whatwg.org/#dom-request-integrity
func (r *Request) Integrity() string { return r.opts.Integrity }

// Keepalive reports the keepalive flag.
//
// Spec: https://fetch.spec.whatwg.org/#dom-request-keepalive
func (r *Request) Keepalive() bool { return r.opts.Keepalive }

// Priority returns the priority hint.
//
// Deviation: JavaScript has no getter for it.
//
// Spec: https://fetch.spec.whatwg.org/#request-priority
func (r *Request) Priority() RequestPriority { return r.opts.Priority }

// Duplex returns the duplex mode, always [DuplexHalf].
//
// Spec: https://fetch.spec.whatwg.org/#dom-request-duplex
func (r *Request) Duplex() RequestDuplex { return r.opts.Duplex }

// IsReloadNavigation reports false: a Go request is never a navigation.
//
// Spec: https://fetch.spec.whatwg.org/#dom-request-isreloadnavigation
func (r *Request) IsReloadNavigation() bool { return false }

// IsHistoryNavigation reports false: a Go request is never a navigation.
//
// Spec: https://fetch.spec.whatwg.org/#dom-request-ishistorynavigation
func (r *Request) IsHistoryNavigation() bool { return false }

// Signal returns the signal that aborts the request: RequestInit.Signal,
// or nil (a signal that never aborts, see [AbortSignal]).
//
// Deviation: JavaScript returns a new signal that follows init's; Go
// returns init's signal itself, which behaves the same.
//
// Spec: https://fetch.spec.whatwg.org/#dom-request-signal
func (r *Request) Signal() *AbortSignal { return r.signal }

// Body returns the request body as a stream and marks it used; for a
// request without a body, it returns [http.NoBody] and the body stays
// unused. The caller should close it. A request whose body was read cannot
// be sent.
//
// Spec: https://fetch.spec.whatwg.org/#dom-body-body
func (r *Request) Body() io.ReadCloser { return r.body.reader() }

// BodyUsed reports whether the body has been read, handed out by Body, or
// sent.
//
// Spec: https://fetch.spec.whatwg.org/#dom-body-bodyused
func (r *Request) BodyUsed() bool { return r.body.bodyUsed() }

// Text reads the whole body as UTF-8 (invalid bytes become U+FFFD, a
// leading BOM is dropped). A second read fails with [ErrBodyUsed].
//
// Spec: https://fetch.spec.whatwg.org/#dom-body-text
func (r *Request) Text() (string, error) { return r.body.text() }

// JSON reads the whole body and decodes it as JSON into v, as
// [json.Unmarshal] does. A second read fails with [ErrBodyUsed].
//
// Spec: https://fetch.spec.whatwg.org/#dom-body-json
func (r *Request) JSON(v any) error { return r.body.json(v) }

// Bytes reads the whole body (JavaScript's bytes() and arrayBuffer()). A
// second read fails with [ErrBodyUsed].
//
// Spec: https://fetch.spec.whatwg.org/#dom-body-bytes
func (r *Request) Bytes() ([]byte, error) { return r.body.consume() }

// Blob reads the whole body into a Blob whose type is the request's MIME
// type ("" when the Content-Type is missing or invalid).
//
// Spec: https://fetch.spec.whatwg.org/#dom-body-blob
func (r *Request) Blob() (*blob.Blob, error) { return r.body.blob(mimeTypeString(r.headers)) }

// FormData parses the body as multipart/form-data or
// application/x-www-form-urlencoded, as the Content-Type says; any other
// type, or a malformed body, is an error wrapping [ErrTypeError].
//
// Spec: https://fetch.spec.whatwg.org/#dom-body-formdata
func (r *Request) FormData() (*formdata.FormData, error) {
	return r.body.formData(mimeTypeString(r.headers))
}

// Clone returns a copy of the request, headers and body included. A body
// with a re-extractable source (everything but [Reader]) is extracted
// again; a stream body is teed (see [Response.Clone] for the buffering).
// Cloning a used body fails with [ErrBodyUsed].
//
// Spec: https://fetch.spec.whatwg.org/#dom-request-clone
func (r *Request) Clone() (*Request, error) {
	b, err := r.body.clone()
	if err != nil {
		return nil, err
	}
	c := &Request{
		opts:    r.opts,
		method:  r.method,
		url:     r.url,
		href:    r.href,
		headers: r.headers.clone(),
		signal:  r.signal,
		ctAuto:  r.ctAuto,
	}
	c.body.stream, c.body.source, c.body.length, c.body.ctype = b.stream, b.source, b.length, b.ctype
	return c, nil
}

// mimeTypeString returns the serialized MIME type of the headers, or "".
func mimeTypeString(h *Headers) string {
	if m := h.mimeType(); m != nil {
		return m.String()
	}
	return ""
}
