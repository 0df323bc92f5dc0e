package xhr

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/webnet-go/webnet/fetch"
)

// benchSize is the body size of one benchmark operation.
const benchSize = 64 << 20

// benchServer discards request bodies and answers /download with
// benchSize zero bytes.
func benchServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if r.URL.Path == "/download" {
			w.Header().Set("Content-Length", strconv.Itoa(benchSize))
			_, _ = io.Copy(w, &zeroReader{n: benchSize})
		}
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkUpload sends benchSize bytes per operation through xhr with an
// upload progress listener, and through raw net/http as the baseline.
func BenchmarkUpload(b *testing.B) {
	srv := benchServer(b)
	b.Run("xhr", func(b *testing.B) {
		client := newClient(b)
		b.SetBytes(benchSize)
		events := 0
		for b.Loop() {
			x := New(b.Context(), &Options{Client: client, BaseURL: srv.URL})
			x.Upload().OnProgress(func(ProgressEvent) { events++ })
			done := make(chan struct{})
			x.OnLoadEnd(func(ProgressEvent) { close(done) })
			if err := x.Open("POST", "/upload"); err != nil {
				b.Fatal(err)
			}
			if err := x.Send(fetch.ReaderWithLength(&zeroReader{n: benchSize}, benchSize)); err != nil {
				b.Fatal(err)
			}
			<-done
			if x.Status() != 200 {
				b.Fatalf("status %d", x.Status())
			}
		}
		b.ReportMetric(float64(events)/float64(b.N), "events/op")
	})
	b.Run("raw", func(b *testing.B) {
		tr := &http.Transport{}
		b.Cleanup(tr.CloseIdleConnections)
		hc := &http.Client{Transport: tr}
		b.SetBytes(benchSize)
		for b.Loop() {
			req, err := http.NewRequest("POST", srv.URL+"/upload", &zeroReader{n: benchSize})
			if err != nil {
				b.Fatal(err)
			}
			req.ContentLength = benchSize
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
	})
}

// BenchmarkDownload receives benchSize bytes per operation through xhr
// (streamed to a writer) with a progress listener, and through raw
// net/http as the baseline.
func BenchmarkDownload(b *testing.B) {
	srv := benchServer(b)
	b.Run("xhr", func(b *testing.B) {
		client := newClient(b)
		b.SetBytes(benchSize)
		events := 0
		for b.Loop() {
			x := New(b.Context(), &Options{Client: client, BaseURL: srv.URL})
			x.OnProgress(func(ProgressEvent) { events++ })
			done := make(chan struct{})
			x.OnLoadEnd(func(ProgressEvent) { close(done) })
			if err := x.SetResponseWriter(io.Discard); err != nil {
				b.Fatal(err)
			}
			if err := x.Open("GET", "/download"); err != nil {
				b.Fatal(err)
			}
			if err := x.Send(nil); err != nil {
				b.Fatal(err)
			}
			<-done
			if x.Status() != 200 {
				b.Fatalf("status %d", x.Status())
			}
		}
		b.ReportMetric(float64(events)/float64(b.N), "events/op")
	})
	b.Run("raw", func(b *testing.B) {
		tr := &http.Transport{}
		b.Cleanup(tr.CloseIdleConnections)
		hc := &http.Client{Transport: tr}
		b.SetBytes(benchSize)
		for b.Loop() {
			resp, err := hc.Get(srv.URL + "/download")
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.Copy(io.Discard, resp.Body); err != nil {
				b.Fatal(err)
			}
			resp.Body.Close()
		}
	})
}
