package fetch

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// progressZeros yields n zero bytes without allocating them.
type progressZeros struct{ n int64 }

func (z *progressZeros) Read(p []byte) (int, error) {
	if z.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > z.n {
		p = p[:z.n]
	}
	clear(p)
	z.n -= int64(len(p))
	return len(p), nil
}

// progressLog collects reports; it is safe for concurrent use.
type progressLog struct {
	mu     sync.Mutex
	events []ProgressEvent
	finals int
}

func (l *progressLog) report(ev ProgressEvent, final bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, ev)
	if final {
		l.finals++
	}
}

func (l *progressLog) observe(ev ProgressEvent) { l.report(ev, false) }

func (l *progressLog) snapshot() []ProgressEvent {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]ProgressEvent(nil), l.events...)
}

func TestProgressReaderEveryRead(t *testing.T) {
	var log progressLog
	pr := NewProgressReader(strings.NewReader("abcdef"), 6, -1, log.report)
	buf := make([]byte, 4)
	n, err := pr.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, 4, n)
	n, err = pr.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	_, err = pr.Read(buf)
	require.ErrorIs(t, err, io.EOF)
	_, err = pr.Read(buf)
	require.ErrorIs(t, err, io.EOF)
	assert.Equal(t, []ProgressEvent{
		{LengthComputable: true, Loaded: 4, Total: 6},
		{LengthComputable: true, Loaded: 6, Total: 6},
		{LengthComputable: true, Loaded: 6, Total: 6},
	}, log.events)
	assert.Equal(t, 1, log.finals, "one final report, at the first EOF")
	assert.Equal(t, int64(6), pr.Loaded())
}

func TestProgressReaderLengthComputable(t *testing.T) {
	tests := []struct {
		name  string
		total int64
		want  ProgressEvent
	}{
		{"known", 3, ProgressEvent{LengthComputable: true, Loaded: 3, Total: 3}},
		{"unknown", -1, ProgressEvent{Loaded: 3}},
		{"zero is not computable", 0, ProgressEvent{Loaded: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log progressLog
			_, err := io.Copy(io.Discard, NewProgressReader(strings.NewReader("abc"), tt.total, time.Hour, log.report))
			require.NoError(t, err)
			assert.Equal(t, []ProgressEvent{tt.want}, log.events, "only the final report within the interval")
		})
	}
}

// TestProgressReaderThrottle checks the interval with a fake clock.
func TestProgressReaderThrottle(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var log progressLog
		pr := NewProgressReader(&progressZeros{n: 100}, 100, 0, log.report)
		buf := make([]byte, 10)
		read := func() {
			_, err := pr.Read(buf)
			require.NoError(t, err)
		}
		read() // at 0 ms: too early
		time.Sleep(30 * time.Millisecond)
		read() // at 30 ms: too early
		time.Sleep(20 * time.Millisecond)
		read() // at 50 ms: due
		read() // at 50 ms: too early again
		time.Sleep(60 * time.Millisecond)
		read() // at 110 ms: due
		_, err := io.Copy(io.Discard, pr)
		require.NoError(t, err)
		assert.Equal(t, []ProgressEvent{
			{LengthComputable: true, Loaded: 30, Total: 100},
			{LengthComputable: true, Loaded: 50, Total: 100},
			{LengthComputable: true, Loaded: 100, Total: 100},
		}, log.events)
		assert.Equal(t, 1, log.finals)
	})
}

func TestProgressReaderClose(t *testing.T) {
	rc := &closeCounter{Reader: strings.NewReader("x")}
	pr := NewProgressReader(rc, 1, 0, func(ProgressEvent, bool) {})
	require.NoError(t, pr.Close())
	require.NoError(t, pr.Close())
	assert.Equal(t, 1, rc.closes)
	// A reader that is not a Closer closes as a no-op.
	assert.NoError(t, NewProgressReader(strings.NewReader("x"), 1, 0, func(ProgressEvent, bool) {}).Close())
}

type closeCounter struct {
	io.Reader
	closes int
}

func (c *closeCounter) Close() error { c.closes++; return nil }

func TestProgressNilObservesNothing(t *testing.T) {
	body := &closeCounter{Reader: strings.NewReader("x")}
	var p *Progress
	assert.Equal(t, io.ReadCloser(body), p.wrapUpload(body, 1))
	assert.Equal(t, io.ReadCloser(body), p.wrapDownload(body, 1))
	assert.Equal(t, io.ReadCloser(body), (&Progress{}).wrapUpload(body, 1))
	assert.Equal(t, io.ReadCloser(body), (&Progress{OnUpload: func(ProgressEvent) {}}).wrapDownload(body, 1))
	_, wrapped := (&Progress{OnDownload: func(ProgressEvent) {}}).wrapDownload(body, 1).(*ProgressReader)
	assert.True(t, wrapped)
	assert.Nil(t, (&Progress{OnUpload: func(ProgressEvent) {}}).wrapUpload(nil, 1))
	assert.Equal(t, DefaultProgressInterval, (&Progress{}).interval())
	assert.Equal(t, time.Second, (&Progress{Interval: time.Second}).interval())
}

// TestProgressOverLoopback moves 32 MiB each way through net/http with the
// wrappers the fetch engine applies at its body seams, and checks that the
// reports count what the connection consumed, end with the full size, and
// are throttled.
func TestProgressOverLoopback(t *testing.T) {
	const size = 32 << 20
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		w.Header().Set("X-Received", strconv.FormatInt(n, 10))
		w.Header().Set("Content-Length", strconv.Itoa(size))
		_, _ = io.Copy(w, &progressZeros{n: size})
	}))
	t.Cleanup(srv.Close)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)

	tests := []struct {
		name   string
		length int64 // the request body's length as the seam sees it
	}{
		{"known length", size},
		{"unknown length", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var up, down progressLog
			p := &Progress{OnUpload: up.observe, OnDownload: down.observe}
			start := time.Now()
			body := p.wrapUpload(io.NopCloser(&progressZeros{n: size}), tt.length)
			req, err := http.NewRequest("POST", srv.URL, body)
			require.NoError(t, err)
			req.ContentLength = tt.length
			resp, err := (&http.Client{Transport: tr}).Do(req)
			require.NoError(t, err)
			rb := p.wrapDownload(resp.Body, resp.ContentLength)
			n, err := io.Copy(io.Discard, rb)
			require.NoError(t, err)
			require.NoError(t, rb.Close())
			assert.Equal(t, int64(size), n)
			assert.Equal(t, strconv.Itoa(size), resp.Header.Get("X-Received"))

			limit := int(time.Since(start)/DefaultProgressInterval) + 2
			ups, downs := up.snapshot(), down.snapshot()
			require.NotEmpty(t, ups)
			require.NotEmpty(t, downs)
			assert.Equal(t, newProgressEvent(size, tt.length), ups[len(ups)-1])
			assert.Equal(t, ProgressEvent{LengthComputable: true, Loaded: size, Total: size}, downs[len(downs)-1])
			assert.LessOrEqual(t, len(ups), limit, "upload reports are throttled")
			assert.LessOrEqual(t, len(downs), limit, "download reports are throttled")
			for i := 1; i < len(ups); i++ {
				assert.GreaterOrEqual(t, ups[i].Loaded, ups[i-1].Loaded)
			}
		})
	}
}

func ExampleNewProgressReader() {
	data := bytes.Repeat([]byte("x"), 1000)
	pr := NewProgressReader(bytes.NewReader(data), int64(len(data)), time.Hour, func(ev ProgressEvent, final bool) {
		fmt.Printf("loaded %d of %d (computable %t, final %t)\n", ev.Loaded, ev.Total, ev.LengthComputable, final)
	})
	_, _ = io.Copy(io.Discard, pr)
	// Output: loaded 1000 of 1000 (computable true, final true)
}

func ExampleProgressReader() {
	// Count what an io.Copy moves, reporting after every read.
	pr := NewProgressReader(strings.NewReader("hello, world"), 12, -1, func(ev ProgressEvent, final bool) {
		if final {
			fmt.Printf("done: %d/%d\n", ev.Loaded, ev.Total)
		}
	})
	_, _ = io.Copy(io.Discard, pr)
	fmt.Println(pr.Loaded())
	// Output:
	// done: 12/12
	// 12
}

func ExampleProgressReader_Loaded() {
	pr := NewProgressReader(strings.NewReader("abcdef"), -1, 0, func(ProgressEvent, bool) {})
	_, _ = pr.Read(make([]byte, 4))
	fmt.Println(pr.Loaded())
	// Output: 4
}

func ExampleProgressReader_Close() {
	pr := NewProgressReader(io.NopCloser(strings.NewReader("x")), 1, 0, func(ProgressEvent, bool) {})
	fmt.Println(pr.Close(), pr.Close())
	// Output: <nil> <nil>
}

func ExampleProgressEvent() {
	ev := ProgressEvent{LengthComputable: true, Loaded: 512, Total: 2048}
	if ev.LengthComputable {
		fmt.Printf("%d%%\n", ev.Loaded*100/ev.Total)
	}
	// Output: 25%
}

func ExampleDefaultProgressInterval() {
	fmt.Println(DefaultProgressInterval)
	// Output: 50ms
}

// TestProgressThroughFetch drives RequestInit.Progress end to end: the
// engine's seams wrap the request body net/http sends and the response
// body the caller reads.
func TestProgressThroughFetch(t *testing.T) {
	const size = 16 << 20
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		if r.URL.Path == "/redirect" {
			http.Redirect(w, r, "/", http.StatusTemporaryRedirect)
			return
		}
		w.Header().Set("Content-Length", strconv.FormatInt(n, 10))
		_, _ = io.Copy(w, &progressZeros{n: n})
	}))
	t.Cleanup(srv.Close)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	client := &Client{HTTPClient: &http.Client{Transport: tr}}

	tests := []struct {
		name     string
		path     string
		body     func() BodyInit
		wantUp   ProgressEvent
		minFinal int // final upload reports (one per attempt)
	}{
		{"bytes", "/", func() BodyInit { return Bytes(make([]byte, size)) }, ProgressEvent{LengthComputable: true, Loaded: size, Total: size}, 1},
		{"stream of unknown length", "/", func() BodyInit { return Reader(&progressZeros{n: size}) }, ProgressEvent{Loaded: size}, 1},
		{"307 re-sends from zero", "/redirect", func() BodyInit { return Bytes(make([]byte, size)) }, ProgressEvent{LengthComputable: true, Loaded: size, Total: size}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var up, down progressLog
			resp, err := client.Fetch(t.Context(), srv.URL+tt.path, &RequestInit{
				Method:   "POST",
				Body:     tt.body(),
				Progress: &Progress{OnUpload: up.observe, OnDownload: down.observe},
			})
			require.NoError(t, err)
			b, err := resp.Bytes()
			require.NoError(t, err)
			assert.Len(t, b, size)
			ups, downs := up.snapshot(), down.snapshot()
			require.NotEmpty(t, ups)
			require.NotEmpty(t, downs)
			assert.Equal(t, tt.wantUp, ups[len(ups)-1])
			assert.Equal(t, ProgressEvent{LengthComputable: true, Loaded: size, Total: size}, downs[len(downs)-1])
			finals := 0
			for _, e := range ups {
				if e == tt.wantUp {
					finals++
				}
			}
			assert.GreaterOrEqual(t, finals, tt.minFinal)
		})
	}

	t.Run("no body, no upload reports", func(t *testing.T) {
		var up, down progressLog
		resp, err := client.Fetch(t.Context(), srv.URL, &RequestInit{Progress: &Progress{OnUpload: up.observe, OnDownload: down.observe}})
		require.NoError(t, err)
		_, err = resp.Bytes()
		require.NoError(t, err)
		assert.Empty(t, up.snapshot())
	})
}

// ExampleProgress reports upload and download progress for a plain fetch,
// what XMLHttpRequest's progress events give.
func ExampleProgress() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Length", strconv.FormatInt(n, 10))
		_, _ = io.Copy(w, &progressZeros{n: n})
	}))
	defer srv.Close()

	report := func(direction string) func(ProgressEvent) {
		done := false
		return func(e ProgressEvent) {
			// Print the complete transfer once; the reports before it
			// depend on timing.
			if e.Loaded == e.Total && !done {
				done = true
				fmt.Printf("%s %d of %d bytes\n", direction, e.Loaded, e.Total)
			}
		}
	}
	resp, err := Fetch(context.Background(), srv.URL, &RequestInit{
		Method:   "POST",
		Body:     Bytes(make([]byte, 1<<20)),
		Progress: &Progress{OnUpload: report("uploaded"), OnDownload: report("downloaded")},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	_, _ = resp.Bytes()
	// Output:
	// uploaded 1048576 of 1048576 bytes
	// downloaded 1048576 of 1048576 bytes
}
