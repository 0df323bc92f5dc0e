package xhr

import (
	"slices"
	"sync"
	"sync/atomic"
)

// eventType names the progress-style events of an
// XMLHttpRequestEventTarget, in the order the spec lists them.
type eventType uint8

const (
	typeLoadStart eventType = iota
	typeProgress
	typeAbort
	typeError
	typeLoad
	typeTimeout
	typeLoadEnd
	numEventTypes
)

// eventNames are the spec's event names, indexed by eventType.
var eventNames = [numEventTypes]string{"loadstart", "progress", "abort", "error", "load", "timeout", "loadend"}

func (t eventType) String() string { return eventNames[t] }

// listener is one registered callback. removed is set when its remover
// runs, so a dispatch that took its snapshot earlier skips it, as the DOM's
// "removed" flag does.
type listener[F any] struct {
	fn      F
	removed atomic.Bool
}

// listenerList is a copy-on-write list of listeners: add and remove build
// a new slice under the owner's lock, so a dispatch can iterate a snapshot
// without holding any lock.
type listenerList[F any] []*listener[F]

// add appends fn to *l under mu and returns its remover.
func add[F any](mu *sync.Mutex, l *listenerList[F], fn F) (remove func()) {
	ln := &listener[F]{fn: fn}
	mu.Lock()
	*l = append(slices.Clip(*l), ln)
	mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			ln.removed.Store(true)
			mu.Lock()
			*l = slices.DeleteFunc(slices.Clone(*l), func(x *listener[F]) bool { return x == ln })
			mu.Unlock()
		})
	}
}

// dispatch calls every listener of the snapshot list with arg, one after
// the other on the calling goroutine, stopping early when live reports that
// the event no longer belongs to the current request (a listener called
// Abort or Open). It reports whether the event was delivered to the end.
func dispatch[F ~func(A), A any](list listenerList[F], arg A, live func() bool) bool {
	for _, l := range list {
		if !live() {
			return false
		}
		if l.removed.Load() {
			continue
		}
		l.fn(arg)
	}
	return live()
}

// XMLHttpRequestEventTarget holds the listeners of the events that an
// [XMLHttpRequest] and its [XMLHttpRequestUpload] both fire: loadstart,
// progress, abort, error, load, timeout and loadend. It is embedded in
// both types; its methods are used through them, as in
// x.OnLoad(fn) or x.Upload().OnProgress(fn).
//
// Each On method adds a listener (JavaScript's addEventListener; the
// onX attributes, which hold a single handler, have no separate form) and
// returns a function that removes it; calling the remover more than once is
// harmless, and a listener may remove itself while it runs. A nil fn adds
// nothing. Registering and removing are safe for concurrent use.
//
// Dispatch contract: listeners run one at a time, in the spec's order, on
// the goroutine that the owning XMLHttpRequest dispatches its events on;
// they are never called with a lock of this package held, so a listener
// may call any method of the XMLHttpRequest (Abort, Open, Send, another
// On method or a remover). A slow listener delays later events, like a
// busy JavaScript event loop.
//
// Spec: https://xhr.spec.whatwg.org/#xmlhttprequesteventtarget
type XMLHttpRequestEventTarget struct {
	mu       sync.Mutex
	progress [numEventTypes]listenerList[func(ProgressEvent)]
	errors   listenerList[func(error)]
}

func (t *XMLHttpRequestEventTarget) on(typ eventType, fn func(ProgressEvent)) func() {
	if fn == nil {
		return func() {}
	}
	return add(&t.mu, &t.progress[typ], fn)
}

// OnLoadStart adds a listener for the loadstart event: the fetch has
// started (the upload has started, on an XMLHttpRequestUpload). The event
// reports 0 of the body's length.
//
// Spec: https://xhr.spec.whatwg.org/#event-xhr-loadstart
func (t *XMLHttpRequestEventTarget) OnLoadStart(fn func(ProgressEvent)) (remove func()) {
	return t.on(typeLoadStart, fn)
}

// OnProgress adds a listener for the progress event: bytes of the response
// body (of the request body, on an XMLHttpRequestUpload) have been
// transmitted. It fires at most once per 50 ms while bytes flow, and once
// more when the body is complete.
//
// Spec: https://xhr.spec.whatwg.org/#event-xhr-progress
func (t *XMLHttpRequestEventTarget) OnProgress(fn func(ProgressEvent)) (remove func()) {
	return t.on(typeProgress, fn)
}

// OnAbort adds a listener for the abort event: the request was aborted by
// [XMLHttpRequest.Abort] or by the cancellation of the XMLHttpRequest's
// context. The event reports 0 and 0.
//
// Spec: https://xhr.spec.whatwg.org/#event-xhr-abort
func (t *XMLHttpRequestEventTarget) OnAbort(fn func(ProgressEvent)) (remove func()) {
	return t.on(typeAbort, fn)
}

// OnError adds a listener for the error event: the request failed with a
// network error. fn receives the error, which wraps fetch.ErrNetwork and
// its cause.
//
// Deviation: the JavaScript error event is a ProgressEvent reporting 0 and
// 0 and carrying no detail; the Go listener receives the cause instead.
//
// Spec: https://xhr.spec.whatwg.org/#event-xhr-error
func (t *XMLHttpRequestEventTarget) OnError(fn func(err error)) (remove func()) {
	if fn == nil {
		return func() {}
	}
	return add(&t.mu, &t.errors, fn)
}

// OnLoad adds a listener for the load event: the fetch (the upload, on an
// XMLHttpRequestUpload) completed successfully. An HTTP error status such
// as 404 is a successful fetch.
//
// Spec: https://xhr.spec.whatwg.org/#event-xhr-load
func (t *XMLHttpRequestEventTarget) OnLoad(fn func(ProgressEvent)) (remove func()) {
	return t.on(typeLoad, fn)
}

// OnTimeout adds a listener for the timeout event: the time set with
// [XMLHttpRequest.SetTimeout] passed before the fetch completed. The event
// reports 0 and 0.
//
// Spec: https://xhr.spec.whatwg.org/#event-xhr-timeout
func (t *XMLHttpRequestEventTarget) OnTimeout(fn func(ProgressEvent)) (remove func()) {
	return t.on(typeTimeout, fn)
}

// OnLoadEnd adds a listener for the loadend event, which follows load,
// abort, timeout and error: the fetch (the upload) has stopped, whether it
// succeeded or not.
//
// Spec: https://xhr.spec.whatwg.org/#event-xhr-loadend
func (t *XMLHttpRequestEventTarget) OnLoadEnd(fn func(ProgressEvent)) (remove func()) {
	return t.on(typeLoadEnd, fn)
}

// hasListeners reports whether any listener is registered, for the upload
// listener flag.
func (t *XMLHttpRequestEventTarget) hasListeners() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.errors) > 0 {
		return true
	}
	for _, l := range t.progress {
		if len(l) > 0 {
			return true
		}
	}
	return false
}

// fire dispatches a progress-style event of type typ. For the error event,
// err is what the listeners receive. It reports whether the event was
// delivered to the end (see dispatch).
//
// Spec: https://xhr.spec.whatwg.org/#concept-event-fire-progress
func (t *XMLHttpRequestEventTarget) fire(typ eventType, ev ProgressEvent, err error, live func() bool) bool {
	t.mu.Lock()
	plist, elist := t.progress[typ], t.errors
	t.mu.Unlock()
	if typ == typeError {
		return dispatch(elist, err, live)
	}
	return dispatch(plist, ev, live)
}

// XMLHttpRequestUpload is the upload object of an [XMLHttpRequest],
// returned by [XMLHttpRequest.Upload]: its events report the transmission
// of the request body. They fire only for an asynchronous request with a
// body, and only when a listener was registered on the upload object before
// Send (the spec's upload listener flag):
//
//	x.Upload().OnProgress(func(e xhr.ProgressEvent) {
//		fmt.Printf("uploaded %d of %d bytes\n", e.Loaded, e.Total)
//	})
//
// The listeners follow the dispatch contract of [XMLHttpRequestEventTarget]
// and run on the owning XMLHttpRequest's dispatch goroutine.
//
// Spec: https://xhr.spec.whatwg.org/#xmlhttprequestupload
type XMLHttpRequestUpload struct {
	XMLHttpRequestEventTarget
}
