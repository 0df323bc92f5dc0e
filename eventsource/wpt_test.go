package eventsource

import (
	"bufio"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/webnet-go/webnet/fetch"
	"github.com/webnet-go/webnet/internal/testutil"
)

// The conformance data: eventsource/eventsource-cases.json (see its
// "format" field).
type wptFile struct {
	Count int       `json:"count"`
	Cases []wptCase `json:"cases"`
}

type wptCase struct {
	ID          string          `json:"id"`
	WPTTest     string          `json:"wpt_test"`
	Connections []wptConnection `json:"connections"`
	Expected    wptExpected     `json:"expected"`
}

type wptConnection struct {
	// Request maps a header name to the value the client must send, or to
	// null when it must not send the header; names starting with "_" are
	// notes.
	Request  map[string]*string `json:"request"`
	Response struct {
		Status     int               `json:"status"`
		Headers    map[string]string `json:"headers"`
		BodyBase64 string            `json:"body_base64"`
	} `json:"response"`
}

type wptEvent struct {
	Type        string `json:"type"`
	Data        string `json:"data"`
	LastEventID string `json:"lastEventId"`
}

type wptErrorEvent struct {
	Count               int    `json:"count"`
	ReadyStateInHandler string `json:"readyState_in_handler"`
}

type wptReconnect struct {
	AfterMS int `json:"after_ms"`
}

// wptExpected holds the expectations the harness checks. The JavaScript-only
// ones (isTrusted, is_plain_Event, bubbles, cancelable) have no Go
// counterpart: Go events are plain values dispatched by the EventSource
// itself.
type wptExpected struct {
	Events             []wptEvent        `json:"events"`
	Sequence           []string          `json:"sequence"`
	OpenEvents         *int              `json:"open_events"`
	ReadyStateInOnOpen string            `json:"readyState_in_onopen"`
	ErrorEvent         *wptErrorEvent    `json:"error_event"`
	Reconnect          *wptReconnect     `json:"reconnect"`
	RequestHeader      map[string]string `json:"request_header"`
	ConstructorThrows  *string           `json:"constructor_throws"`
	InputURL           string            `json:"input_url"`
	URLAttribute       string            `json:"url_attribute"`
	URLSuffixes        map[string]string `json:"url_suffixes"`
}

// browserOnly names the cases that test browser policy webnet does not
// have, with the reason.
var browserOnly = map[string]string{
	"request-credentials": "cross-origin cookies with and without withCredentials need a document origin and " +
		"CORS, which webnet (like server-side fetch) does not have; credentials modes are fetch's (tested there)",
	"eventsource-cross-origin": "CORS checks (Access-Control-Allow-Origin) are browser policy webnet does not " +
		"enforce; the MessageEvent origin of a redirected, IDNA-named stream is checked by TestMessageEventOrigin",
}

// TestWPTEventSource replays every case of eventsource-cases.json against
// the EventSource: a loopback server writes each connection's response
// byte for byte (status line, headers, body) on the raw connection and
// closes it, which is the end of the stream, and checks the request
// headers the client sent. A request beyond the case's connections is held
// open without a response: its arrival means the client has processed the
// whole last connection and is reconnecting, which ends the case. A case
// also ends when the connection fails (an error event in CLOSED).
//
// The replay closes each listed connection, so every opened connection ends
// with one reestablishing error event (CONNECTING); where a browser test
// closes the EventSource before that (its handlers keep streaming), the
// harness expects exactly that one extra error and no other.
func TestWPTEventSource(t *testing.T) {
	var file wptFile
	testutil.LoadWPTJSON(t, "eventsource/eventsource-cases.json", &file)
	require.Len(t, file.Cases, file.Count)
	conf := testutil.NewConformance(t, "eventsource-cases.json")

	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	client := &fetch.Client{HTTPClient: &http.Client{Transport: tr}}

	for _, tc := range file.Cases {
		t.Run(tc.ID, func(t *testing.T) {
			if reason, ok := browserOnly[tc.ID]; ok {
				conf.Skip(tc.ID, reason)
				return
			}
			t.Parallel()
			problems := runWPTCase(t, client, tc)
			conf.Check(len(problems) == 0, tc.ID, "%s", strings.Join(problems, "; "))
		})
	}
}

// replayServer serves the connections of one case.
type replayServer struct {
	t     *testing.T
	conns []wptConnection
	first chan struct{} // closed when the first request arrives
	gate  chan struct{} // the first response waits until it is closed
	extra chan struct{} // closed when a request beyond conns arrives
	hold  chan struct{} // closed by the test to release held requests

	mu       sync.Mutex
	n        int
	ended    []time.Time // when each connection was closed
	arrived  []time.Time // when each request arrived
	problems []string
}

func newReplayServer(t *testing.T, conns []wptConnection) (*replayServer, *httptest.Server) {
	rs := &replayServer{t: t, conns: conns, first: make(chan struct{}), gate: make(chan struct{}), extra: make(chan struct{}), hold: make(chan struct{})}
	srv := httptest.NewServer(rs)
	t.Cleanup(srv.Close)
	t.Cleanup(rs.release)
	return rs, srv
}

func (rs *replayServer) release() {
	select {
	case <-rs.hold:
	default:
		close(rs.hold)
	}
}

func (rs *replayServer) problem(format string, args ...any) {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rs.problems = append(rs.problems, fmt.Sprintf(format, args...))
}

func (rs *replayServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rs.mu.Lock()
	i := rs.n
	rs.n++
	rs.arrived = append(rs.arrived, time.Now())
	rs.mu.Unlock()
	if i == 0 {
		close(rs.first)
	}

	if i >= len(rs.conns) {
		if i == len(rs.conns) {
			close(rs.extra)
		}
		select {
		case <-r.Context().Done():
		case <-rs.hold:
		}
		return
	}
	c := rs.conns[i]
	for name, want := range c.Request {
		if strings.HasPrefix(name, "_") {
			continue
		}
		got, ok := r.Header[http.CanonicalHeaderKey(name)]
		switch {
		case want == nil && ok:
			rs.problem("request %d: header %s sent (%q), must be absent", i, name, got)
		case want != nil && (!ok || len(got) != 1 || got[0] != *want):
			rs.problem("request %d: header %s = %q, want %q", i, name, got, *want)
		}
	}
	if i == 0 {
		select {
		case <-rs.gate:
		case <-rs.hold:
			return
		}
	}

	body, err := base64.StdEncoding.DecodeString(c.Response.BodyBase64)
	if err != nil {
		rs.problem("bad body_base64: %v", err)
		return
	}
	conn, bw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		rs.problem("hijack: %v", err)
		return
	}
	defer func() {
		conn.Close()
		rs.mu.Lock()
		rs.ended = append(rs.ended, time.Now())
		rs.mu.Unlock()
	}()
	writeRaw(bw, c.Response.Status, c.Response.Headers, body)
}

// writeRaw writes an HTTP/1.1 response exactly: status line, the given
// headers, Connection: close, and the body as is (ended by closing the
// connection).
func writeRaw(bw *bufio.ReadWriter, status int, headers map[string]string, body []byte) {
	text := http.StatusText(status)
	if text == "" {
		text = "Status"
	}
	fmt.Fprintf(bw, "HTTP/1.1 %d %s\r\n", status, text)
	for _, k := range slices.Sorted(maps.Keys(headers)) {
		fmt.Fprintf(bw, "%s: %s\r\n", k, headers[k])
	}
	bw.WriteString("Connection: close\r\n\r\n")
	bw.Write(body)
	bw.Flush()
}

// recorder collects what the listeners of one EventSource see.
type recorder struct {
	es *EventSource

	mu          sync.Mutex
	events      []wptEvent
	origins     []string
	sequence    []string // messages and errors, as the WPT sequences spell them
	opens       []ReadyState
	errors      []ReadyState
	errs        []error
	failed      chan struct{} // closed at the first error in CLOSED
	failedClose sync.Once
}

func (r *recorder) init(types []string) *EventSourceInit {
	r.failed = make(chan struct{})
	onMessage := func(ev MessageEvent) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.events = append(r.events, wptEvent{ev.Type, ev.Data, ev.LastEventID})
		r.origins = append(r.origins, ev.Origin)
		r.sequence = append(r.sequence, ev.Type+":"+ev.Data)
	}
	listeners := map[string]func(MessageEvent){}
	for _, typ := range types {
		if typ != "message" {
			listeners[typ] = onMessage
		}
	}
	return &EventSourceInit{
		OnMessage: onMessage,
		Listeners: listeners,
		OnOpen: func() {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.opens = append(r.opens, r.es.ReadyState())
		},
		OnError: func(err error) {
			r.mu.Lock()
			defer r.mu.Unlock()
			state := r.es.ReadyState()
			r.errors = append(r.errors, state)
			r.errs = append(r.errs, err)
			r.sequence = append(r.sequence, "error(readyState="+state.String()+")")
			if state == StateClosed {
				r.failedClose.Do(func() { close(r.failed) })
			}
		},
	}
}

const wptCaseTimeout = 30 * time.Second

// runWPTCase runs one case and returns its problems.
func runWPTCase(t *testing.T, client *fetch.Client, tc wptCase) []string {
	exp := tc.Expected
	rs, srv := newReplayServer(t, tc.Connections)
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	// The constructor cases.
	switch {
	case exp.ConstructorThrows != nil:
		_, err := New(t.Context(), exp.InputURL, &EventSourceInit{Client: client})
		if !errors.Is(err, ErrSyntax) {
			fail("New(%q) = %v, want an ErrSyntax", exp.InputURL, err)
		}
		return problems
	case exp.URLSuffixes != nil:
		// JavaScript stringifies 1, null and undefined; in Go they are
		// the strings, resolved against the base URL.
		for in, suffix := range exp.URLSuffixes {
			es, err := New(t.Context(), in, &EventSourceInit{Client: client, BaseURL: srv.URL + "/base/"})
			if err != nil {
				fail("New(%q): %v", in, err)
				continue
			}
			if !strings.HasSuffix(es.URL(), suffix) {
				fail("URL() = %q, want a suffix %q", es.URL(), suffix)
			}
			es.Close()
		}
		return problems
	case exp.URLAttribute != "":
		in, base, want := "", srv.URL+"/doc", srv.URL+"/doc"
		if tc.ID == "eventsource-url" {
			in, base, want = "resources/message.py", srv.URL+"/eventsource/", srv.URL+"/eventsource/resources/message.py"
		}
		es, err := New(t.Context(), in, &EventSourceInit{Client: client, BaseURL: base})
		if err != nil {
			return []string{fmt.Sprintf("New(%q): %v", in, err)}
		}
		defer es.Close()
		if es.URL() != want {
			fail("URL() = %q, want %q", es.URL(), want)
		}
		if _, err := New(t.Context(), in, nil); in != "" && !errors.Is(err, ErrSyntax) {
			fail("a relative URL without BaseURL: %v, want ErrSyntax", err)
		}
		return problems
	}

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var types []string
	for _, ev := range exp.Events {
		types = append(types, ev.Type)
	}
	rec := &recorder{}
	init := rec.init(types)
	init.Client = client
	init.ReconnectionTime = 10 * time.Millisecond // the cases that time reconnections set retry:
	href := srv.URL + "/" + tc.ID
	if strings.HasPrefix(tc.ID, "constructor-non-http-") {
		// The URL is the last parenthesized part of the test name.
		href = strings.TrimSuffix(tc.WPTTest[strings.LastIndex(tc.WPTTest, " (")+2:], ")")
	}
	// rec.es must be set before a listener can run: the listeners read it,
	// and the server's gate holds the first response until then.
	var es *EventSource
	var err error
	func() {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		es, err = New(ctx, href, init)
		rec.es = es
	}()
	if err != nil {
		return []string{fmt.Sprintf("New(%q): %v", href, err)}
	}
	defer es.Close()
	// The gate holds the first response, so the state cannot have moved
	// on yet; a non-HTTP URL fails at once, asynchronously, so its state
	// is not checked here.
	if got := es.ReadyState(); got != StateConnecting && len(tc.Connections) > 0 {
		fail("readyState after the constructor = %v, want CONNECTING", got)
	}

	if tc.ID == "eventsource-request-cancellation" {
		// window.stop() while the request is in flight: cancel the
		// lifetime context once the request has arrived.
		select {
		case <-rs.first:
		case <-time.After(wptCaseTimeout):
			return []string{"the request never arrived"}
		}
		cancel()
		select {
		case <-rec.failed:
		case <-time.After(wptCaseTimeout):
			return []string{"no error event after the abort"}
		}
		es.Close()
		rec.mu.Lock()
		defer rec.mu.Unlock()
		if len(rec.opens) != 0 || len(rec.events) != 0 || !slices.Equal(rec.errors, []ReadyState{StateClosed}) {
			fail("after the abort: opens %v, events %v, errors %v; want one error in CLOSED only", rec.opens, rec.events, rec.errors)
		}
		if !errors.Is(rec.errs[0], fetch.ErrAbort) || !errors.Is(rec.errs[0], context.Canceled) {
			fail("abort error %v does not wrap fetch.ErrAbort and context.Canceled", rec.errs[0])
		}
		return problems
	}
	close(rs.gate)

	// Wait for the end of the case.
	select {
	case <-rs.extra:
	case <-rec.failed:
	case <-time.After(wptCaseTimeout):
		fail("timed out")
	}
	es.Close()
	rs.release()
	if got := es.ReadyState(); got != StateClosed {
		fail("readyState after close() = %v", got)
	}

	rec.mu.Lock()
	defer rec.mu.Unlock()
	rs.mu.Lock()
	defer rs.mu.Unlock()
	problems = append(problems, rs.problems...)

	// Which connections opened: 200 with text/event-stream.
	opened, failedConn := 0, false
	for _, c := range tc.Connections[:min(rs.n, len(tc.Connections))] {
		ct := c.Response.Headers["Content-Type"]
		switch {
		case c.Response.Status >= 300 && c.Response.Status < 400 && c.Response.Headers["Location"] != "":
		case c.Response.Status == 200 && strings.HasPrefix(ct, "text/event-stream"):
			opened++
		default:
			failedConn = true
		}
	}
	if len(tc.Connections) == 0 || strings.HasPrefix(tc.ID, "constructor-non-http-") {
		failedConn = true
	}

	if exp.Events != nil || exp.ErrorEvent != nil {
		want := exp.Events
		if want == nil {
			want = []wptEvent{}
		}
		got := rec.events
		if got == nil {
			got = []wptEvent{}
		}
		if !slices.Equal(got, want) {
			fail("events %q, want %q", got, want)
		}
	}
	for _, o := range rec.origins {
		if o != srv.URL {
			fail("MessageEvent origin %q, want %q", o, srv.URL)
		}
	}
	if exp.Sequence != nil {
		want := exp.Sequence
		if !failedConn {
			want = append(slices.Clone(want), "error(readyState=CONNECTING)")
		}
		if !slices.Equal(rec.sequence, want) {
			fail("sequence %q, want %q", rec.sequence, want)
		}
	}
	for name, want := range exp.RequestHeader {
		if c := tc.Connections[0].Request[name]; c == nil || *c != want {
			fail("request_header %s: %q is not among the checked request headers", name, want)
		}
	}
	if exp.OpenEvents != nil && len(rec.opens) != *exp.OpenEvents {
		fail("%d open events, want %d", len(rec.opens), *exp.OpenEvents)
	}
	for _, s := range rec.opens {
		if s != StateOpen || exp.ReadyStateInOnOpen != "" && s.String() != exp.ReadyStateInOnOpen {
			fail("readyState in onopen = %v", s)
		}
	}
	// Errors: one CONNECTING error for each opened connection (its end
	// of stream), then one CLOSED error if the last connection failed.
	wantErrors := slices.Repeat([]ReadyState{StateConnecting}, opened)
	if failedConn {
		wantErrors = append(wantErrors, StateClosed)
	}
	if exp.ErrorEvent != nil && (exp.ErrorEvent.Count != 1 || exp.ErrorEvent.ReadyStateInHandler != "CLOSED") {
		fail("unexpected error_event expectation %+v", *exp.ErrorEvent)
	}
	if exp.ErrorEvent != nil && !failedConn {
		fail("the data expects a failed connection, the replay did not fail one")
	}
	if !slices.Equal(rec.errors, wantErrors) {
		fail("error events in states %v, want %v (errors: %v)", rec.errors, wantErrors, rec.errs)
	}
	if failedConn && rs.n != len(tc.Connections) {
		fail("%d requests after a failed connection, want %d (no reconnection)", rs.n, len(tc.Connections))
	}
	if !failedConn && rs.n != len(tc.Connections)+1 {
		fail("%d requests, want %d", rs.n, len(tc.Connections)+1)
	}
	if exp.Reconnect != nil && exp.Reconnect.AfterMS > 0 {
		// The WPT tolerance is ±25%; the upper bound gets 2 s of slack
		// for a loaded machine. A retry read as seconds, or ignored,
		// is far outside either bound.
		want := time.Duration(exp.Reconnect.AfterMS) * time.Millisecond
		if len(rs.arrived) < 2 || len(rs.ended) < 1 {
			fail("no reconnection to time (%d requests, %d ended connections)", len(rs.arrived), len(rs.ended))
		}
		for i := 1; i < len(rs.arrived) && i <= len(rs.ended); i++ {
			gap := rs.arrived[i].Sub(rs.ended[i-1])
			if gap < want*3/4 || gap > want*5/4+2*time.Second {
				fail("reconnection %d after %v, want %v", i, gap, want)
			}
		}
	}
	return problems
}

// The harness itself: a request header expectation that does not hold is
// reported (a harness that cannot fail proves nothing).
func TestWPTHarnessReportsHeaderMismatch(t *testing.T) {
	wrong := "text/html"
	tc := wptCase{ID: "harness-self-test", Connections: []wptConnection{{Request: map[string]*string{"Accept": &wrong}}}}
	tc.Connections[0].Response.Status = 200
	tc.Connections[0].Response.Headers = map[string]string{"Content-Type": "text/event-stream"}
	tc.Connections[0].Response.BodyBase64 = base64.StdEncoding.EncodeToString([]byte("data: x\n\n"))
	tc.Expected.Events = []wptEvent{{Type: "message", Data: "y"}}
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	problems := runWPTCase(t, &fetch.Client{HTTPClient: &http.Client{Transport: tr}}, tc)
	assert.Len(t, problems, 2, "%q", problems)
}
