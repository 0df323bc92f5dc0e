// Package fetch is the Fetch Standard for Go: fetch(), Headers, Request,
// Response and their bodies, and the DOM's AbortController and AbortSignal,
// over net/http.
//
// It keeps the spec's model and vocabulary (names, defaults, guards, the
// redirect rules, the error conditions) and uses Go's mechanics: a blocking
// call with a [context.Context] instead of a Promise, an error instead of a
// rejection, an [io.ReadCloser] instead of a ReadableStream, iterators
// instead of forEach.
//
//	resp, err := fetch.Fetch(ctx, "https://example.com/commits", nil)
//	if err != nil {
//		return err // the network failed; a 404 or 500 is not an error
//	}
//	if !resp.OK() {
//		return fmt.Errorf("HTTP-Error: %d", resp.Status())
//	}
//	var commits []Commit
//	err = resp.JSON(&commits)
//
// [Fetch] returns as soon as the status and headers have arrived; the body
// is then read once, whole ([Response.Text], [Response.JSON],
// [Response.Bytes], [Response.Blob], [Response.FormData]) or as a stream
// ([Response.Body]). A [Client] holds the configuration (an [http.Client],
// the forbidden-header filter); its zero value, and the package-level
// [Fetch], use an unexported default transport.
//
// # JavaScript to Go
//
//	JavaScript                                  Go
//	fetch(url, init)                            fetch.Fetch(ctx, url, &fetch.RequestInit{...})
//	fetch(request)                              client.Do(ctx, req)
//	new Request(url, init)                      fetch.NewRequest(url, init)
//	request.method / url / headers              req.Method() / URL() / Headers()
//	request.mode / credentials / cache          req.Mode() / Credentials() / Cache()
//	request.redirect / referrer                 req.Redirect() / Referrer()
//	request.referrerPolicy / integrity          req.ReferrerPolicy() / Integrity()
//	request.keepalive / signal / duplex         req.Keepalive() / Signal() / Duplex()
//	request.destination                         req.Destination()
//	request.isReloadNavigation                  req.IsReloadNavigation()
//	request.isHistoryNavigation                 req.IsHistoryNavigation()
//	request.clone()                             req.Clone()
//	init.method, headers, body, ...             RequestInit{Method, Headers, Body, ...}
//	init.priority                               RequestInit.Priority (and req.Priority())
//	new Response(body, init)                    fetch.NewResponse(body, &fetch.ResponseInit{...})
//	Response.error()                            fetch.ErrorResponse()
//	Response.redirect(url, status)              fetch.Redirect(url, status)
//	Response.json(data, init)                   fetch.JSONResponse(v, init)
//	response.status / ok / statusText           resp.Status() / OK() / StatusText()
//	response.headers / url / redirected / type  resp.Headers() / URL() / Redirected() / Type()
//	response.clone()                            resp.Clone()
//	body.body (a ReadableStream)                resp.Body() (an io.ReadCloser)
//	body.bodyUsed                               resp.BodyUsed()
//	await body.text()                           resp.Text()
//	await body.json()                           resp.JSON(&v)
//	await body.arrayBuffer() / bytes()          resp.Bytes()
//	await body.blob()                           resp.Blob()
//	await body.formData()                       resp.FormData()
//	string body                                 fetch.String(s)
//	ArrayBuffer / Uint8Array body               fetch.Bytes(b)
//	ReadableStream body                         fetch.Reader(r), fetch.ReaderWithLength(r, n)
//	Blob / File body                            *blob.Blob, *blob.File
//	FormData body                               *formdata.FormData
//	URLSearchParams body                        *url.SearchParams
//	new Headers(init)                           fetch.NewHeaders(init)
//	{ "A": "b" } / [["A", "b"]]                 fetch.HeaderMap{"A": "b"} / fetch.HeaderList{{"A", "b"}}
//	headers.append / set / delete               h.Append / Set / Delete (errors returned)
//	headers.get(name) (null if absent)          h.Get(name) (string, bool)
//	headers.has / getSetCookie                  h.Has / GetSetCookie
//	for (const [k, v] of headers)               for k, v := range h.All()
//	headers.keys() / values()                   h.Keys() / h.Values()
//	(none)                                      fetch.HeadersFromHTTP(h, guard), h.HTTPHeader()
//	new AbortController()                       fetch.NewAbortController()
//	controller.signal / abort(reason)           c.Signal() / c.Abort(reason)
//	signal.aborted / reason                     s.Aborted() / s.Reason()
//	signal.throwIfAborted()                     if err := s.Err(); err != nil { ... }
//	signal.addEventListener("abort", fn)        stop := s.OnAbort(fn)
//	signal.onabort = fn                         s.OnAbort(fn)
//	AbortSignal.abort(reason)                   fetch.AbortSignalAbort(reason)
//	AbortSignal.timeout(ms)                     fetch.AbortSignalTimeout(d)
//	AbortSignal.any(signals)                    fetch.AbortSignalAny(signals...)
//	(none)                                      s.Done(), s.Context(), fetch.AbortSignalFromContext(ctx)
//	TypeError: Failed to fetch                  errors.Is(err, fetch.ErrNetwork)
//	AbortError / TimeoutError                   errors.Is(err, fetch.ErrAbort) / fetch.ErrTimeout
//	TypeError (bad arguments)                   errors.Is(err, fetch.ErrTypeError)
//	RangeError (bad status)                     errors.Is(err, fetch.ErrRangeError)
//
// # Errors
//
// Every error of [Fetch] and [Client.Do] wraps one category, [ErrNetwork],
// [ErrAbort] or [ErrTimeout], and its cause (fmt's %w: %w), so both
// errors.Is(err, fetch.ErrNetwork) and, say, errors.Is(err,
// syscall.ECONNREFUSED) or errors.Is(err, context.Canceled) hold. Argument
// errors, raised before anything is sent, wrap [ErrTypeError] (with
// [ErrInvalidHeader] and [ErrBodyUsed] as more precise sentinels) or
// [ErrRangeError]. An HTTP status of 400 or above is not an error:
// [Response.OK] reports 200–299.
//
// # Aborting
//
// A fetch stops when its ctx is done or when [RequestInit.Signal] aborts,
// whichever comes first, while waiting for the response headers and while
// its body is read. One [AbortController] can abort any number of fetches
// and other work ([AbortSignal.OnAbort], [AbortSignal.Done],
// [AbortSignal.Context]). When Do returns after an abort, net/http has
// finished with the request body. An [AbortSignal] is a context underneath,
// so a context can become a signal ([AbortSignalFromContext]) and a signal a
// context ([AbortSignal.Context]).
//
// # Bodies and their Content-Type
//
// A body is any [BodyInit]: [String] (sent with Content-Type
// "text/plain;charset=UTF-8"), [Bytes] (no type), [*blob.Blob] and
// [*blob.File] (their type, if any), [*formdata.FormData] (streamed as
// "multipart/form-data; boundary=…" with an exact Content-Length),
// [*url.SearchParams] ("application/x-www-form-urlencoded;charset=UTF-8"),
// [Reader] (streamed with chunked encoding). A Content-Type in the request
// headers wins. Nothing is read into memory before it is sent.
//
// # Deviations from the Fetch Standard
//
//   - There are no CORS checks, no preflights and no opaque responses:
//     webnet fetches from a server, where there is no document origin (the
//     same choice server-side fetch implementations make). RequestInit.Mode
//     is validated and stored, and ModeNoCORS applies the "request-no-cors"
//     header guard; fetched responses are of type "basic".
//   - RedirectManual returns the 3xx response itself, with its headers and
//     body, not an opaque-redirect filtered response.
//   - Set-Cookie is visible in fetched response headers
//     ([Headers.GetSetCookie]); a browser filters it out.
//   - Client.AllowForbiddenHeaders can turn the forbidden request header
//     filter off for server-side code.
//   - Input URLs must be absolute (there is no document base URL). A
//     Referrer of "" means the default, not "no referrer".
//   - [Headers.Get] returns (string, bool) instead of a nullable string, and
//     Get and Has report false for an invalid name instead of throwing.
//   - Header names and values are byte strings (Go strings). The spec
//     allows control bytes other than NUL, CR and LF in values and so does
//     [Headers], but net/http refuses to send them: such a fetch fails with
//     [ErrNetwork].
//   - net/http parses responses itself and is stricter than the spec in
//     places: a Content-Length of "42,42" or "aaaah", or a response head
//     cut short by the end of the connection, is a network error.
//   - There is no HTTP cache (RequestInit.Cache only adds the spec's
//     request headers), no keepalive quota and no priority scheduling;
//     Integrity is checked by reading the whole body before Do returns.
//   - A Reader body does not require RequestInit.Duplex "half".
//   - Abort listeners run on the goroutine that calls Abort; the event
//     object is replaced by the reason.
//   - [Request.Signal] returns RequestInit.Signal itself.
//   - HTTP/2 responses have an empty StatusText (HTTP/2 has no reason
//     phrase), as in browsers.
//
// # Concurrency
//
// [Client] and [AbortController] and [AbortSignal] are safe for concurrent
// use by multiple goroutines. [Headers], [RequestInit] and an unsent
// [Request] are plain data: safe for concurrent reads, not for concurrent
// mutation, like [http.Header]. A [Response]'s accessors are safe for
// concurrent use; its body is read by one goroutine (the body readers are
// once-only: a second attempt, from any goroutine, fails with
// [ErrBodyUsed]). The stream of [Response.Body] may be closed from another
// goroutine to stop a Read.
//
// # Extensions
//
// [RequestInit.Progress] observes upload and download progress (see
// [Progress]); package xhr builds its progress events on the same
// [ProgressReader]. Every request body passes through one unexported seam
// on its way to net/http and every response body through another, so
// packages built on fetch (xhr, eventsource) reuse [Client.Do] unchanged:
// it returns once the response headers have arrived and streams the body.
package fetch
