package eventsource

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/webnet-go/webnet/fetch"
)

// benchBlock is 1000 events of about 64 bytes.
var benchBlock = func() []byte {
	var b bytes.Buffer
	for i := range 1000 {
		fmt.Fprintf(&b, "data: {\"i\":%06d,\"delta\":\"some token text\",\"more\":\"pad\"}\n\n", i)
	}
	return b.Bytes()
}()

// benchServer streams n events (whole blocks, at least n) from one
// request whose query is ?n=, then waits for the client to leave.
func benchServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		w.Header().Set("Content-Type", "text/event-stream")
		for sent := 0; sent < n; sent += 1000 {
			if _, err := w.Write(benchBlock); err != nil {
				return
			}
		}
		http.NewResponseController(w).Flush()
		<-r.Context().Done()
	}))
	b.Cleanup(srv.Close)
	return srv
}

// reportPerEvent reports events/s and the allocations per event.
func reportPerEvent(b *testing.B, start time.Time, before *runtime.MemStats) {
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	el := time.Since(start)
	b.ReportMetric(float64(b.N)/el.Seconds(), "events/s")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(b.N), "allocs/event")
}

// BenchmarkEventSourceLoopback measures the EventSource end to end over
// loopback: one op is one dispatched event (fetch, parse, dispatch to a
// listener). allocs/event counts every allocation of the process, the
// server's included.
func BenchmarkEventSourceLoopback(b *testing.B) {
	srv := benchServer(b)
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	client := &fetch.Client{HTTPClient: &http.Client{Transport: tr}}
	done := make(chan struct{})
	count, last := 0, ""
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	start := time.Now()
	es, err := New(b.Context(), srv.URL+"/?n="+strconv.Itoa(b.N), &EventSourceInit{
		Client: client,
		OnMessage: func(ev MessageEvent) {
			last = ev.Data
			if count++; count == b.N {
				close(done)
			}
		},
	})
	if err != nil {
		b.Fatal(err)
	}
	<-done
	b.StopTimer()
	reportPerEvent(b, start, &before)
	es.Close()
	if last == "" {
		b.Fatal("no data")
	}
}

// BenchmarkEventSourceLoopbackBaselineNetHTTP is the baseline: raw
// net/http and a bufio.Scanner reading the same stream, allocating each
// event's data string (LF-only lines, no reconnection, no dispatch).
func BenchmarkEventSourceLoopbackBaselineNetHTTP(b *testing.B) {
	srv := benchServer(b)
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	start := time.Now()
	resp, err := (&http.Client{Transport: tr}).Get(srv.URL + "/?n=" + strconv.Itoa(b.N))
	if err != nil {
		b.Fatal(err)
	}
	sc := bufio.NewScanner(resp.Body)
	count, last := 0, ""
	for count < b.N && sc.Scan() {
		if line := sc.Bytes(); bytes.HasPrefix(line, []byte("data: ")) {
			last = string(line[6:])
			count++
		}
	}
	b.StopTimer()
	if count < b.N || last == "" {
		b.Fatal("short stream")
	}
	reportPerEvent(b, start, &before)
	resp.Body.Close()
}
