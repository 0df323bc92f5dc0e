package fetch

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
)

// The benchmarks measure webnet's fetch against the raw net/http client in
// the same run, with transports configured alike and the same loopback
// server:
//
//	go test -run '^$' -bench . -benchmem -count 5 ./fetch
//
// bench/fetch is the companion harness that measures client CPU and peak
// memory with the server in another process.

const benchBody = "Hello, World!" // 13 bytes

func benchServer(b *testing.B) *httptest.Server {
	b.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n, err := strconv.ParseInt(r.URL.Query().Get("size"), 10, 64); err == nil {
			w.Header().Set("Content-Length", strconv.FormatInt(n, 10))
			_, _ = io.CopyN(w, zeroReader{}, n)
			return
		}
		if r.Method == http.MethodPost {
			_, _ = io.Copy(io.Discard, r.Body)
		}
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, benchBody)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// zeroReader yields zero bytes forever.
type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func benchTransport(b *testing.B) *http.Transport {
	tr := newDefaultTransport()
	b.Cleanup(tr.CloseIdleConnections)
	return tr
}

func rawGET(ctx context.Context, hc *http.Client, u string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header["Accept"] = acceptOnly["Accept"] // the request fetch sends
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return err
}

func fetchGET(ctx context.Context, c *Client, u string) error {
	resp, err := c.Fetch(ctx, u, nil)
	if err != nil {
		return err
	}
	body := resp.Body()
	_, err = io.Copy(io.Discard, body)
	body.Close()
	return err
}

// BenchmarkGET13 is a GET of a 13-byte body over a keep-alive loopback
// connection, one request at a time (serial) and 64 at once (parallel).
func BenchmarkGET13(b *testing.B) {
	srv := benchServer(b)
	ctx := context.Background()
	for _, conc := range []int{1, 64} {
		b.Run("conc="+strconv.Itoa(conc)+"/net-http", func(b *testing.B) {
			hc := &http.Client{Transport: benchTransport(b)}
			runConc(b, conc, func() error { return rawGET(ctx, hc, srv.URL) })
		})
		b.Run("conc="+strconv.Itoa(conc)+"/fetch", func(b *testing.B) {
			c := &Client{HTTPClient: &http.Client{Transport: benchTransport(b)}}
			runConc(b, conc, func() error { return fetchGET(ctx, c, srv.URL) })
		})
	}
}

func runConc(b *testing.B, conc int, op func() error) {
	b.ReportAllocs()
	if conc == 1 {
		for b.Loop() {
			if err := op(); err != nil {
				b.Fatal(err)
			}
		}
		return
	}
	b.SetParallelism((conc + 1) / 2) // 2 × GOMAXPROCS(2) = 64 goroutines on the reference machine
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := op(); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

const benchTransferSize = 64 << 20 // per operation; the harness does 1 GiB

// BenchmarkDownload reads a 64 MiB body through Response.Body.
func BenchmarkDownload(b *testing.B) {
	srv := benchServer(b)
	u := srv.URL + "/?size=" + strconv.Itoa(benchTransferSize)
	ctx := context.Background()
	b.Run("net-http", func(b *testing.B) {
		hc := &http.Client{Transport: benchTransport(b)}
		b.SetBytes(benchTransferSize)
		for b.Loop() {
			if err := rawGET(ctx, hc, u); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("fetch", func(b *testing.B) {
		c := &Client{HTTPClient: &http.Client{Transport: benchTransport(b)}}
		b.SetBytes(benchTransferSize)
		for b.Loop() {
			if err := fetchGET(ctx, c, u); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkUpload sends a 64 MiB body streamed from an io.Reader.
func BenchmarkUpload(b *testing.B) {
	srv := benchServer(b)
	ctx := context.Background()
	b.Run("net-http", func(b *testing.B) {
		hc := &http.Client{Transport: benchTransport(b)}
		b.SetBytes(benchTransferSize)
		for b.Loop() {
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, io.LimitReader(zeroReader{}, benchTransferSize))
			if err != nil {
				b.Fatal(err)
			}
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
	b.Run("fetch", func(b *testing.B) {
		c := &Client{HTTPClient: &http.Client{Transport: benchTransport(b)}}
		b.SetBytes(benchTransferSize)
		for b.Loop() {
			resp, err := c.Fetch(ctx, srv.URL, &RequestInit{Method: "POST", Body: Reader(io.LimitReader(zeroReader{}, benchTransferSize))})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := resp.Bytes(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
