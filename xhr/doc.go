// Package xhr implements the XMLHttpRequest Standard
// (https://xhr.spec.whatwg.org/) for Go: the browser's XMLHttpRequest
// object, with its states, events, upload progress and response types, so
// that code written for XHR (upload progress bars, resumable uploads) ports
// line by line.
//
// An [XMLHttpRequest] is built on package fetch: every request is a
// fetch.Request sent with a fetch.Client ([Options].Client), so fetch's
// policies (redirects, forbidden headers, cookies, blocked ports, request
// bodies) apply to it. What XHR adds is the event model: loadstart,
// progress, load, error, abort, timeout and loadend on the object and on
// its [XMLHttpRequestUpload], and readystatechange, fired in exactly the
// spec's order. Upload progress is reported for every body kind, including
// an io.Reader of unknown length, by counting the bytes the connection
// consumes; the mechanism is fetch.ProgressReader, which fetch offers to
// plain fetch users as well.
//
//	x := xhr.New(ctx, &xhr.Options{BaseURL: "https://example.com/"})
//	x.Upload().OnProgress(func(e xhr.ProgressEvent) {
//		fmt.Printf("uploaded %d of %d bytes\n", e.Loaded, e.Total)
//	})
//	x.OnLoad(func(xhr.ProgressEvent) { fmt.Println("done:", x.Status()) })
//	x.OnError(func(err error) { fmt.Println("failed:", err) })
//	if err := x.Open("POST", "/upload"); err != nil { ... }
//	if err := x.Send(file); err != nil { ... }
//
// # JavaScript to Go
//
//	JavaScript                                Go
//	new XMLHttpRequest()                      xhr.New(ctx, &xhr.Options{BaseURL: base})
//	xhr.open(method, url)                     x.Open(method, url)
//	xhr.open(method, url, async, user, pass)  x.OpenAsync(method, url, async, user, pass)  // "" = null
//	xhr.setRequestHeader(name, value)         x.SetRequestHeader(name, value) error
//	xhr.timeout = 10000                       x.SetTimeout(10 * time.Second); x.Timeout()
//	xhr.withCredentials = true                x.SetWithCredentials(true); x.WithCredentials()
//	xhr.upload                                x.Upload()
//	xhr.send(body)                            x.Send(body)      // any fetch.BodyInit or *xhr.Document; nil = no body
//	xhr.abort()                               x.Abort()
//	xhr.readyState, XMLHttpRequest.DONE       x.ReadyState(), xhr.StateDone
//	xhr.status, xhr.statusText                x.Status(), x.StatusText()
//	xhr.responseURL                           x.ResponseURL()
//	xhr.getResponseHeader(name)               x.GetResponseHeader(name) (string, bool)  // null = false
//	xhr.getAllResponseHeaders()               x.GetAllResponseHeaders()
//	xhr.overrideMimeType(mime)                x.OverrideMimeType(mime) error
//	xhr.responseType = "json"                 x.SetResponseType(xhr.ResponseTypeJSON); x.ResponseType()
//	xhr.response                              x.Response() any  // string, []byte, *blob.Blob, *xhr.Document, JSON value
//	xhr.responseText                          x.ResponseText() (string, error)
//	xhr.responseXML                           x.ResponseXML() (*xhr.Document, error)
//	xhr.onload = fn / addEventListener        remove := x.OnLoad(fn)  // also OnLoadStart, OnProgress, OnAbort,
//	                                                                 // OnError, OnTimeout, OnLoadEnd
//	xhr.onreadystatechange = fn               x.OnReadyStateChange(func(s xhr.ReadyState) { ... })
//	xhr.upload.onprogress = fn                x.Upload().OnProgress(fn)
//	ProgressEvent {lengthComputable, ...}     xhr.ProgressEvent{LengthComputable, Loaded, Total}
//	InvalidStateError, SyntaxError, ...       xhr.ErrInvalidState, xhr.ErrSyntax, xhr.ErrSecurity, xhr.ErrInvalidAccess
//	NetworkError, AbortError, TimeoutError    fetch.ErrNetwork, fetch.ErrAbort, fetch.ErrTimeout (sync Send, OnError)
//	new DOMParser().parseFromString(s, type)  xhr.ParseDocument(s, type)
//	(none)                                    x.SetResponseWriter(w)  // stream a large response to w
//
// The Go type of Response for each ResponseType is listed on
// [XMLHttpRequest.Response]. Documents (responseType "document", and
// responseXML) are [Document] values holding a tree of *html.Node from
// golang.org/x/net/html, for HTML and for XML (parsed with encoding/xml)
// alike.
//
// # Events
//
// Listeners are added with the On methods, each returning a remover; any
// number may be added per event. The error listener receives the cause as
// an error; the others receive a [ProgressEvent]. The events of a request
// come in the spec's order: readystatechange (OPENED) from Open;
// loadstart, then upload.loadstart if there is a body and an upload
// listener; upload.progress (at most every 50 ms while the body is sent,
// and once at its end), upload.load, upload.loadend; readystatechange
// (HEADERS_RECEIVED), readystatechange (LOADING) and progress while the
// response arrives (at most every 50 ms, and once at the end);
// readystatechange (DONE), load, loadend. A failure replaces the rest with
// readystatechange (DONE), upload.error/abort/timeout and upload.loadend
// (if the upload had not finished), then error/abort/timeout and loadend.
// A synchronous request fires only readystatechange (DONE), load and
// loadend, and nothing when it fails (Send returns the error).
//
// # Deviations from the XMLHttpRequest Standard
//
//   - The object is configured as if it lived in a browser Window: a
//     synchronous request cannot have a timeout or a response type
//     (ErrInvalidAccess), and "document" responses are supported.
//   - Go has no document: relative URLs resolve against Options.BaseURL,
//     and there is no origin, so CORS checks are those of package fetch.
//     withCredentials selects the credentials mode "include" or
//     "same-origin" of the fetch. A URL's username and password (from the
//     URL or from OpenAsync) are sent as HTTP Basic authentication unless
//     an Authorization header was set.
//   - JavaScript's optional arguments of open() are a second method,
//     OpenAsync, where "" stands for a null username or password.
//     getResponseHeader's null is ("", false). timeout is a time.Duration.
//   - Strings are bytes: SetRequestHeader takes a Go string as the header's
//     bytes, so the ByteString TypeError of JavaScript (for code points
//     above U+00FF) does not exist; names that are not tokens and values
//     with NUL, CR or LF are ErrSyntax as in the spec.
//   - The error listener receives the cause of the failure (wrapping
//     fetch.ErrNetwork); JavaScript's error event carries no detail.
//   - When a listener calls Abort or Open, the remaining events of the
//     request it ends are not delivered (not even to the remaining
//     listeners of the current event); in JavaScript an event sequence
//     already under way (such as load followed by loadend) would go on.
//   - The first chunk of the response body fires readystatechange
//     (LOADING) at once; the spec's 50 ms throttle applies to the progress
//     events (and their readystatechange) after it. This matches browsers
//     and the WPT event-order tests.
//   - ResponseText and a "" or "text" Response may include bytes received
//     after the last progress event; the spec appends bytes in the same
//     throttled task.
//   - SetResponseWriter (a Go extension) streams the response body to an
//     io.Writer instead of keeping it; browsers keep every response in
//     memory.
//   - XML documents are parsed by encoding/xml into *html.Node trees:
//     processing instructions are dropped, CDATA becomes text, and the
//     DOM's Document interface is not implemented.
//   - net/http's HTTP/1 parser rejects responses that browsers accept: a
//     header block cut by the end of the connection, control characters
//     such as VT or FF in a header value, and it merges repeated equal
//     Content-Length headers into one. Through the default transport such
//     a response is a network error (or shows one Content-Length); the
//     conformance test reads WPT's raw .asis responses through a lenient
//     HTTP/1.0 transport given to the fetch.Client, which this package
//     accepts like any other.
//
// # Concurrency
//
// An XMLHttpRequest is safe for concurrent use by multiple goroutines.
// Its listeners (and those of its upload object) run one at a time, in the
// spec's order, on a goroutine the object owns while it has events to
// deliver and never otherwise (an idle XMLHttpRequest owns no goroutine);
// they are never called with a lock held, so a listener may call any
// method, including Abort, Open and Send. A method called from a listener
// runs at once, nested, as in JavaScript; called from another goroutine,
// it waits until the listener running at that moment has returned, so a
// listener must not wait for another goroutine that calls a method of the
// same XMLHttpRequest. A slow listener delays later events, like a busy
// JavaScript event loop. When Abort or Open returns, no listener runs
// again for the request it ended; Abort called from outside a listener
// also waits until the request's goroutines have finished. Getters (Status, ReadyState, Response,
// ...) may be called from anywhere at any time. The network I/O of an
// asynchronous request runs on a goroutine of its own that ends with the
// request; cancelling the context given to New aborts it.
//
// A [Document] is plain data: not safe for concurrent mutation.
package xhr
