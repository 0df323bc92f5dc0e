package xhr

import (
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"
)

// recorder logs the events of an XMLHttpRequest and its upload object in
// the notation of WPT's xmlhttprequest-event-order.js: a readystatechange
// is the ready state's number, any other event "type(loaded,total,
// lengthComputable)", prefixed "upload." for the upload object.
type recorder struct {
	mu      sync.Mutex
	events  []string
	loadend chan struct{} // receives one value per loadend of the xhr
}

// record registers the recording listeners on x and on its upload object.
func record(x *XMLHttpRequest) *recorder {
	r := &recorder{loadend: make(chan struct{}, 16)}
	x.OnReadyStateChange(func(s ReadyState) { r.add(strconv.Itoa(int(s))) })
	for _, target := range []struct {
		prefix string
		t      *XMLHttpRequestEventTarget
	}{{"", &x.XMLHttpRequestEventTarget}, {"upload.", &x.Upload().XMLHttpRequestEventTarget}} {
		on := func(name string) func(ProgressEvent) {
			return func(e ProgressEvent) { r.add(formatEvent(target.prefix+name, e)) }
		}
		target.t.OnLoadStart(on("loadstart"))
		target.t.OnProgress(on("progress"))
		target.t.OnAbort(on("abort"))
		target.t.OnTimeout(on("timeout"))
		target.t.OnError(func(error) { r.add(formatEvent(target.prefix+"error", ProgressEvent{})) })
		target.t.OnLoad(on("load"))
		prefix := target.prefix
		target.t.OnLoadEnd(func(e ProgressEvent) {
			r.add(formatEvent(prefix+"loadend", e))
			if prefix == "" {
				r.loadend <- struct{}{}
			}
		})
	}
	return r
}

func formatEvent(name string, e ProgressEvent) string {
	return fmt.Sprintf("%s(%d,%d,%t)", name, e.Loaded, e.Total, e.LengthComputable)
}

func (r *recorder) add(s string) {
	r.mu.Lock()
	r.events = append(r.events, s)
	r.mu.Unlock()
}

// list returns a copy of the events recorded so far.
func (r *recorder) list() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.events...)
}

// waitLoadEnd waits for the xhr's next loadend event, failing the test
// after ten seconds.
func (r *recorder) waitLoadEnd(t testing.TB) {
	t.Helper()
	select {
	case <-r.loadend:
	case <-time.After(10 * time.Second):
		t.Fatalf("no loadend event; events so far: %q", r.list())
	}
}
