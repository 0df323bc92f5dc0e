package fetch

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// redirectServer serves /hops/N (redirecting N times with status
// ?status=, default 302), /loop, /to?url= and /final (an echo).
func redirectServer(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/hops/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		status := 302
		if s := r.URL.Query().Get("status"); s != "" {
			status, _ = strconv.Atoi(s)
		}
		_, _ = io.Copy(io.Discard, r.Body)
		if n == 0 {
			writeEcho(w, r, nil)
			return
		}
		w.Header().Set("Location", fmt.Sprintf("/hops/%d?status=%d", n-1, status))
		w.WriteHeader(status)
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/to", func(w http.ResponseWriter, r *http.Request) {
		status := 302
		if s := r.URL.Query().Get("status"); s != "" {
			status, _ = strconv.Atoi(s)
		}
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Location", r.URL.Query().Get("url"))
		w.WriteHeader(status)
	})
	mux.HandleFunc("/nolocation", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(302)
		_, _ = w.Write([]byte("no location"))
	})
	mux.HandleFunc("/final", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		writeEcho(w, r, body)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func writeEcho(w http.ResponseWriter, r *http.Request, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(echo{Method: r.Method, Path: r.URL.RequestURI(), Header: r.Header, Body: string(body), ContentLength: r.ContentLength})
}

func TestRedirectFollow(t *testing.T) {
	srv := redirectServer(t)
	c := newTestClient(t)
	for _, n := range []int{1, 20} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			resp, err := c.Fetch(t.Context(), fmt.Sprintf("%s/hops/%d#frag", srv.URL, n), nil)
			require.NoError(t, err)
			assert.Equal(t, 200, resp.Status())
			assert.True(t, resp.Redirected())
			assert.Equal(t, srv.URL+"/hops/0?status=302", resp.URL())
			_, err = resp.Bytes()
			require.NoError(t, err)
		})
	}
	t.Run("21 hops", func(t *testing.T) {
		_, err := c.Fetch(t.Context(), srv.URL+"/hops/21", nil)
		assert.ErrorIs(t, err, ErrNetwork)
		assert.ErrorContains(t, err, "too many redirects")
	})
	t.Run("loop", func(t *testing.T) {
		_, err := c.Fetch(t.Context(), srv.URL+"/loop", nil)
		assert.ErrorIs(t, err, ErrNetwork)
	})
	t.Run("no location", func(t *testing.T) {
		resp, err := c.Fetch(t.Context(), srv.URL+"/nolocation", nil)
		require.NoError(t, err)
		assert.Equal(t, 302, resp.Status())
		assert.False(t, resp.Redirected())
		text, _ := resp.Text()
		assert.Equal(t, "no location", text)
	})
	t.Run("non-HTTP location", func(t *testing.T) {
		_, err := c.Fetch(t.Context(), srv.URL+"/to?url=data:,x", nil)
		assert.ErrorIs(t, err, ErrNetwork)
	})
}

func TestRedirectModes(t *testing.T) {
	srv := redirectServer(t)
	c := newTestClient(t)
	_, err := c.Fetch(t.Context(), srv.URL+"/hops/1", &RequestInit{Redirect: RedirectError})
	assert.ErrorIs(t, err, ErrNetwork)

	resp, err := c.Fetch(t.Context(), srv.URL+"/hops/1?status=307", &RequestInit{Redirect: RedirectManual})
	require.NoError(t, err)
	assert.Equal(t, 307, resp.Status())
	assert.False(t, resp.Redirected())
	loc, ok := resp.Headers().Get("Location")
	assert.True(t, ok)
	assert.Equal(t, "/hops/0?status=307", loc)
	require.NoError(t, resp.Body().Close())
}

func TestRedirectMethodRewriting(t *testing.T) {
	srv := redirectServer(t)
	c := newTestClient(t)
	tests := []struct {
		status     int
		method     string
		wantMethod string
		wantBody   string
	}{
		{301, "POST", "GET", ""},
		{302, "POST", "GET", ""},
		{303, "POST", "GET", ""},
		{303, "PUT", "GET", ""},
		{303, "HEAD", "HEAD", ""},
		{301, "PUT", "PUT", "payload"},
		{302, "DELETE", "DELETE", "payload"},
		{307, "POST", "POST", "payload"},
		{308, "POST", "POST", "payload"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status, tt.method), func(t *testing.T) {
			init := &RequestInit{Method: tt.method, Headers: HeaderMap{"Content-Language": "en", "X-Keep": "1"}}
			if tt.method != "HEAD" {
				init.Body = String("payload")
			}
			resp, err := c.Fetch(t.Context(), fmt.Sprintf("%s/to?status=%d&url=/final", srv.URL, tt.status), init)
			require.NoError(t, err)
			assert.True(t, resp.Redirected())
			if tt.method == "HEAD" {
				assert.Equal(t, 200, resp.Status())
				return
			}
			var e echo
			require.NoError(t, resp.JSON(&e))
			assert.Equal(t, tt.wantMethod, e.Method)
			assert.Equal(t, tt.wantBody, e.Body)
			assert.Equal(t, "1", e.Header.Get("X-Keep"))
			if tt.wantBody == "" {
				assert.Empty(t, e.Header.Get("Content-Type"), "request-body headers are removed")
				assert.Empty(t, e.Header.Get("Content-Language"))
			} else {
				assert.Equal(t, "text/plain;charset=UTF-8", e.Header.Get("Content-Type"))
				assert.Equal(t, "en", e.Header.Get("Content-Language"))
			}
		})
	}
}

func TestRedirectReaderBody(t *testing.T) {
	srv := redirectServer(t)
	c := newTestClient(t)
	_, err := c.Fetch(t.Context(), srv.URL+"/to?status=307&url=/final", &RequestInit{Method: "POST", Body: Reader(strings.NewReader("once"))})
	assert.ErrorIs(t, err, ErrNetwork)
	assert.ErrorContains(t, err, "Reader body")

	// A 303 drops the body, so a Reader body is fine.
	resp, err := c.Fetch(t.Context(), srv.URL+"/to?status=303&url=/final", &RequestInit{Method: "POST", Body: Reader(strings.NewReader("once"))})
	require.NoError(t, err)
	var e echo
	require.NoError(t, resp.JSON(&e))
	assert.Equal(t, "GET", e.Method)
}

func TestRedirectCrossOriginDropsCredentials(t *testing.T) {
	a := redirectServer(t)
	b := redirectServer(t)
	c := newTestClient(t)
	c.AllowForbiddenHeaders = true
	headers := HeaderMap{"Authorization": "Bearer secret", "Cookie": "a=b", "Proxy-Authorization": "Basic x", "X-Other": "kept"}

	resp, err := c.Fetch(t.Context(), a.URL+"/to?url="+b.URL+"/final", &RequestInit{Headers: headers})
	require.NoError(t, err)
	var e echo
	require.NoError(t, resp.JSON(&e))
	assert.Empty(t, e.Header.Get("Authorization"))
	assert.Empty(t, e.Header.Get("Cookie"))
	assert.Empty(t, e.Header.Get("Proxy-Authorization"))
	assert.Equal(t, "kept", e.Header.Get("X-Other"))

	resp, err = c.Fetch(t.Context(), a.URL+"/to?url=/final", &RequestInit{Headers: headers})
	require.NoError(t, err)
	e = echo{}
	require.NoError(t, resp.JSON(&e))
	assert.Equal(t, "Bearer secret", e.Header.Get("Authorization"), "same origin keeps it")
	assert.Equal(t, "a=b", e.Header.Get("Cookie"))
}
