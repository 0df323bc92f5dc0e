// Command formdata measures uploading a FormData that carries a large
// file-backed File, against the same upload written with mime/multipart,
// in one run: throughput and the peak RSS of each side.
//
//	go run ./bench/formdata               # 1 GiB sparse file, 5 runs per mode
//	go run ./bench/formdata -size 256MiB -runs 3
//
// It makes a sparse file in a temporary directory (reading it once, so
// the page cache is warm for every mode), then runs each mode in a fresh
// child process, so that each peak RSS (getrusage ru_maxrss) is that
// mode's own:
//
//   - webnet-discard: formdata.ExtractBody copied to io.Discard.
//   - multipart-discard: mime/multipart.Writer to io.Discard with io.Copy
//     from the *os.File.
//   - webnet-http: a POST over loopback to an httptest server that
//     discards the body, with the exact Content-Length from ExtractBody.
//   - multipart-http: the same POST streaming mime/multipart.Writer
//     through io.Pipe (chunked: its length is not known in advance).
//
// It prints the median throughput and the largest peak RSS of each mode
// and the webnet/multipart throughput ratios, and exits with status 1 when
// a target is missed: webnet throughput at least 0.9x mime/multipart's in
// both shapes, and the webnet modes' peak RSS under 64 MiB (where it is
// measured). It needs no network beyond 127.0.0.1 and removes its file
// when done.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/webnet-go/webnet/blob"
	"github.com/webnet-go/webnet/formdata"
)

var modes = []string{"webnet-discard", "multipart-discard", "webnet-http", "multipart-http"}

// result is what a child reports.
type result struct {
	Mode    string  `json:"mode"`
	Bytes   int64   `json:"bytes"`
	Seconds float64 `json:"seconds"`
	MaxRSS  int64   `json:"maxrss"` // bytes
}

func main() {
	log.SetFlags(0)
	size := flag.String("size", "1GiB", "file size (B, KiB, MiB, GiB suffixes)")
	runs := flag.Int("runs", 5, "runs per mode")
	child := flag.String("child", "", "internal: run one mode in this process")
	file := flag.String("file", "", "internal: the file to upload")
	flag.Parse()

	if *child != "" {
		r, err := runMode(*child, *file)
		if err != nil {
			log.Fatal(err)
		}
		if err := json.NewEncoder(os.Stdout).Encode(r); err != nil {
			log.Fatal(err)
		}
		return
	}
	n, err := parseSize(*size)
	if err != nil {
		log.Fatal(err)
	}
	if err := parent(n, *runs); err != nil {
		log.Fatal(err)
	}
}

func parseSize(s string) (int64, error) {
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"B", 1}} {
		if v, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = v, u.m
			break
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("bad -size %q", s)
	}
	return v * mult, nil
}

func parent(size int64, runs int) error {
	dir, err := os.MkdirTemp("", "webnet-bench-formdata")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "upload.bin")
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := f.Truncate(size); err != nil {
		f.Close()
		return err
	}
	if _, err := io.Copy(io.Discard, f); err != nil { // warm the page cache
		f.Close()
		return err
	}
	f.Close()

	exe, err := os.Executable()
	if err != nil {
		return err
	}
	results := make(map[string][]result)
	for i := range runs {
		for _, mode := range modes { // interleaved, so drift hits every mode alike
			out, err := exec.Command(exe, "-child", mode, "-file", path).Output()
			if err != nil {
				return fmt.Errorf("run %d of %s: %w", i+1, mode, err)
			}
			var r result
			if err := json.Unmarshal(out, &r); err != nil {
				return fmt.Errorf("run %d of %s: %w", i+1, mode, err)
			}
			if r.Bytes < size {
				return fmt.Errorf("%s sent %d bytes, want at least %d", mode, r.Bytes, size)
			}
			results[mode] = append(results[mode], r)
		}
	}

	fmt.Printf("file %d MiB (sparse), %d runs per mode\n", size>>20, runs)
	fmt.Printf("%-18s %14s %14s\n", "mode", "median MB/s", "max RSS MiB")
	median := make(map[string]float64)
	peak := make(map[string]int64)
	for _, mode := range modes {
		var speeds []float64
		for _, r := range results[mode] {
			speeds = append(speeds, float64(r.Bytes)/r.Seconds/1e6)
			peak[mode] = max(peak[mode], r.MaxRSS)
		}
		slices.Sort(speeds)
		median[mode] = speeds[len(speeds)/2]
		fmt.Printf("%-18s %14.0f %14.1f\n", mode, median[mode], float64(peak[mode])/(1<<20))
	}
	fmt.Printf("ratio webnet/multipart: discard %.2fx, http %.2fx\n",
		median["webnet-discard"]/median["multipart-discard"], median["webnet-http"]/median["multipart-http"])

	missed := false
	for _, shape := range []string{"discard", "http"} {
		if ratio := median["webnet-"+shape] / median["multipart-"+shape]; ratio < 0.9 {
			fmt.Printf("MISSED: %s throughput ratio %.2fx < 0.9x\n", shape, ratio)
			missed = true
		}
		if rss := peak["webnet-"+shape]; rss >= 64<<20 {
			fmt.Printf("MISSED: webnet-%s peak RSS %.1f MiB >= 64 MiB\n", shape, float64(rss)/(1<<20))
			missed = true
		}
	}
	if missed {
		return fmt.Errorf("targets missed")
	}
	fmt.Println("all targets met")
	return nil
}

func runMode(mode, path string) (result, error) {
	r := result{Mode: mode}
	var srv *httptest.Server
	if strings.HasSuffix(mode, "-http") {
		srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			n, err := io.Copy(io.Discard, req.Body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			fmt.Fprint(w, n)
		}))
		defer srv.Close()
	}
	start := time.Now()
	var err error
	switch mode {
	case "webnet-discard", "webnet-http":
		r.Bytes, err = webnet(path, srv)
	case "multipart-discard", "multipart-http":
		r.Bytes, err = stdlib(path, srv)
	default:
		err = fmt.Errorf("unknown mode %q", mode)
	}
	r.Seconds = time.Since(start).Seconds()
	r.MaxRSS = maxRSS()
	return r, err
}

// webnet encodes the form with formdata and sends or discards it.
func webnet(path string, srv *httptest.Server) (int64, error) {
	file, err := blob.OpenFile(path, nil)
	if err != nil {
		return 0, err
	}
	fd := formdata.New()
	fd.Append("firstName", "John")
	fd.AppendFile("upload", file, "")
	body, length, contentType, err := fd.ExtractBody()
	if err != nil {
		return 0, err
	}
	defer body.Close()
	if srv == nil {
		return io.Copy(io.Discard, body)
	}
	req, err := http.NewRequest(http.MethodPost, srv.URL, body)
	if err != nil {
		return 0, err
	}
	req.ContentLength = length
	req.Header.Set("Content-Type", contentType)
	return post(srv, req)
}

// stdlib writes the same form with mime/multipart.
func stdlib(path string, srv *httptest.Server) (int64, error) {
	write := func(w io.Writer) (*multipart.Writer, error) {
		mw := multipart.NewWriter(w)
		if err := mw.WriteField("firstName", "John"); err != nil {
			return nil, err
		}
		part, err := mw.CreateFormFile("upload", filepath.Base(path))
		if err != nil {
			return nil, err
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if _, err := io.Copy(part, f); err != nil {
			return nil, err
		}
		return mw, mw.Close()
	}
	if srv == nil {
		cw := &countWriter{w: io.Discard}
		_, err := write(cw)
		return cw.n, err
	}
	pr, pw := io.Pipe()
	boundary := make(chan string, 1)
	go func() {
		mw, err := write(&boundaryWriter{w: pw, first: boundary})
		if mw == nil && err != nil {
			close(boundary)
		}
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequest(http.MethodPost, srv.URL, pr)
	if err != nil {
		return 0, err
	}
	b, ok := <-boundary
	if !ok {
		return 0, fmt.Errorf("multipart writer failed before writing")
	}
	req.Header.Set("Content-Type", "multipart/form-data; boundary="+b)
	return post(srv, req)
}

// boundaryWriter passes the boundary (from the first line the multipart
// writer emits) to the request before the body flows.
type boundaryWriter struct {
	w     io.Writer
	first chan<- string
	sent  bool
}

func (b *boundaryWriter) Write(p []byte) (int, error) {
	if !b.sent {
		b.sent = true
		line, _, _ := strings.Cut(string(p), "\r\n")
		b.first <- strings.TrimPrefix(line, "--")
	}
	return b.w.Write(p)
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// post sends req and returns the byte count the server reports.
func post(srv *httptest.Server, req *http.Request) (int64, error) {
	resp, err := srv.Client().Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	reply, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("server: %s: %s", resp.Status, reply)
	}
	return strconv.ParseInt(string(reply), 10, 64)
}
