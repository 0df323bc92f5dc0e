package fetch

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAbortControllerSynchronousListeners(t *testing.T) {
	c := NewAbortController()
	s := c.Signal()
	assert.False(t, s.Aborted())
	assert.NoError(t, s.Reason())
	assert.NoError(t, s.Err())
	var calls []error
	s.OnAbort(func(reason error) { calls = append(calls, reason) })
	c.Abort(nil)
	require.Len(t, calls, 1, "the listener ran before Abort returned")
	assert.ErrorIs(t, calls[0], ErrAbort)
	assert.True(t, s.Aborted())
	assert.Equal(t, ErrAbort, s.Reason())
	assert.Equal(t, ErrAbort, s.Err())
	c.Abort(errors.New("again"))
	assert.Len(t, calls, 1)
	assert.Equal(t, ErrAbort, s.Reason())
	assert.Same(t, s, c.Signal())
	select {
	case <-s.Done():
	default:
		t.Fatal("Done not closed")
	}
	assert.ErrorIs(t, context.Cause(s.Context()), ErrAbort)
}

func TestAbortControllerZeroValue(t *testing.T) {
	var c AbortController
	reason := errors.New("why")
	c.Abort(reason)
	assert.Same(t, reason, c.Signal().Reason())
}

func TestOnAbortStopAndLate(t *testing.T) {
	c := NewAbortController()
	ran := 0
	stop := c.Signal().OnAbort(func(error) { ran++ })
	assert.True(t, stop())
	assert.False(t, stop())
	c.Abort(nil)
	assert.Equal(t, 0, ran)
	late := c.Signal().OnAbort(func(error) { ran++ })
	assert.Equal(t, 0, ran, "no retroactive event")
	assert.False(t, late())
}

func TestOnAbortListenerMayRemoveItselfAndAbortOthers(t *testing.T) {
	a, b := NewAbortController(), NewAbortController()
	var stop func() bool
	var order []string
	stop = a.Signal().OnAbort(func(error) {
		order = append(order, "a")
		assert.False(t, stop(), "already running")
		b.Abort(nil)
	})
	b.Signal().OnAbort(func(error) { order = append(order, "b") })
	a.Abort(nil)
	assert.Equal(t, []string{"a", "b"}, order)
}

func TestNilSignal(t *testing.T) {
	var s *AbortSignal
	assert.False(t, s.Aborted())
	assert.NoError(t, s.Err())
	assert.Nil(t, s.Done())
	assert.NoError(t, s.Context().Err())
	assert.False(t, s.OnAbort(func(error) {})())
}

func TestAbortSignalTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := AbortSignalTimeout(time.Second)
		fired := make(chan error, 1)
		s.OnAbort(func(r error) { fired <- r })
		time.Sleep(999 * time.Millisecond)
		assert.False(t, s.Aborted())
		time.Sleep(time.Millisecond)
		synctest.Wait()
		assert.True(t, s.Aborted())
		assert.ErrorIs(t, s.Reason(), ErrTimeout)
		assert.ErrorIs(t, s.Context().Err(), context.DeadlineExceeded)
		assert.ErrorIs(t, <-fired, ErrTimeout)
	})
}

func TestAbortSignalFromContext(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	s := AbortSignalFromContext(ctx)
	done := make(chan error, 1)
	s.OnAbort(func(r error) { done <- r })
	reason := errors.New("stop")
	cancel(reason)
	assert.Same(t, reason, <-done)
	assert.Same(t, reason, s.Reason())

	assert.False(t, AbortSignalFromContext(context.Background()).Aborted())
	done2, cancel2 := context.WithCancel(context.Background())
	cancel2()
	assert.ErrorIs(t, AbortSignalFromContext(done2).Reason(), context.Canceled)
}

func TestAbortSignalAnyUnlinksAfterAbort(t *testing.T) {
	root := NewAbortController()
	for range 100 {
		per := NewAbortController()
		AbortSignalAny(root.Signal(), per.Signal())
		per.Abort(nil)
	}
	root.Signal().mu.Lock()
	n := len(root.Signal().dependents)
	root.Signal().mu.Unlock()
	assert.Equal(t, 0, n, "aborted dependents are released by their sources")
}

func TestAbortSignalConcurrentAbort(t *testing.T) {
	c := NewAbortController()
	dep := AbortSignalAny(c.Signal(), AbortSignalTimeout(time.Hour))
	var n sync.WaitGroup
	count := 0
	var mu sync.Mutex
	dep.OnAbort(func(error) { mu.Lock(); count++; mu.Unlock() })
	for range 8 {
		n.Go(func() { c.Abort(nil) })
	}
	n.Wait()
	assert.Equal(t, 1, count)
}

// slowServer sends headers and part of the body, then waits until the
// test ends (or the client goes away). On /headers it sends nothing and
// reports the request's arrival on arrived.
func slowServer(t *testing.T) (srv *httptest.Server, arrived chan struct{}) {
	t.Helper()
	release := make(chan struct{})
	arrived = make(chan struct{}, 16)
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/headers" {
			arrived <- struct{}{}
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		w.Header().Set("Content-Length", "100")
		_, _ = w.Write([]byte("first part"))
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	return srv, arrived
}

func TestAbortStages(t *testing.T) {
	srv, arrived := slowServer(t)
	c := newTestClient(t)
	reason := errors.New("user left")

	t.Run("before send", func(t *testing.T) {
		_, err := c.Fetch(t.Context(), srv.URL, &RequestInit{Signal: AbortSignalAbort(reason)})
		assert.ErrorIs(t, err, ErrAbort)
		assert.ErrorIs(t, err, reason)
	})
	t.Run("waiting for headers", func(t *testing.T) {
		ac := NewAbortController()
		// Abort once the server has the request: the handler blocks.
		errc := make(chan error, 1)
		go func() {
			_, err := c.Fetch(context.Background(), srv.URL+"/headers", &RequestInit{Signal: ac.Signal()})
			errc <- err
		}()
		<-arrived
		ac.Abort(reason)
		err := <-errc
		assert.ErrorIs(t, err, ErrAbort)
		assert.ErrorIs(t, err, reason)
	})
	t.Run("mid body", func(t *testing.T) {
		ac := NewAbortController()
		resp, err := c.Fetch(t.Context(), srv.URL, &RequestInit{Signal: ac.Signal()})
		require.NoError(t, err)
		body := resp.Body()
		buf := make([]byte, 10)
		_, err = io.ReadFull(body, buf)
		require.NoError(t, err)
		assert.Equal(t, "first part", string(buf))
		ac.Abort(reason)
		_, err = body.Read(buf)
		assert.ErrorIs(t, err, ErrAbort)
		assert.ErrorIs(t, err, reason)
		_, err = body.Read(buf)
		assert.ErrorIs(t, err, reason, "the error is sticky")
		assert.NoError(t, body.Close())
	})
	t.Run("ctx cancel mid body", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		resp, err := c.Fetch(ctx, srv.URL, nil)
		require.NoError(t, err)
		cancel()
		_, err = resp.Text()
		assert.ErrorIs(t, err, ErrAbort)
		assert.ErrorIs(t, err, context.Canceled)
	})
	t.Run("timeout mid body", func(t *testing.T) {
		resp, err := c.Fetch(t.Context(), srv.URL, &RequestInit{Signal: AbortSignalTimeout(100 * time.Millisecond)})
		require.NoError(t, err)
		_, err = resp.Bytes()
		assert.ErrorIs(t, err, ErrTimeout)
		assert.False(t, errors.Is(err, ErrAbort))
	})
	t.Run("after done", func(t *testing.T) {
		ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("done")) }))
		defer ok.Close()
		ac := NewAbortController()
		resp, err := c.Fetch(t.Context(), ok.URL, &RequestInit{Signal: ac.Signal()})
		require.NoError(t, err)
		text, err := resp.Text()
		require.NoError(t, err)
		ac.Abort(reason)
		assert.Equal(t, "done", text)
	})
}

func TestOneControllerAbortsManyFetches(t *testing.T) {
	srv, _ := slowServer(t)
	c := newTestClient(t)
	ac := NewAbortController()
	const n = 8
	errs := make(chan error, n)
	started := make(chan struct{}, n)
	for range n {
		go func() {
			resp, err := c.Fetch(context.Background(), srv.URL, &RequestInit{Signal: ac.Signal()})
			if err != nil {
				errs <- err
				return
			}
			started <- struct{}{}
			_, err = resp.Text()
			errs <- err
		}()
	}
	for range n {
		<-started
	}
	// The fetches in flight watch the signal's context and add nothing to
	// its listener list, which would otherwise grow with every fetch
	// (after Abort the list is empty whatever happened, so look now).
	ac.Signal().mu.Lock()
	assert.Empty(t, ac.Signal().listeners, "fetches in flight add no abort listeners")
	ac.Signal().mu.Unlock()
	ac.Abort(nil)
	for range n {
		err := <-errs
		assert.ErrorIs(t, err, ErrAbort)
	}
	ac.Signal().mu.Lock()
	assert.Empty(t, ac.Signal().listeners)
	ac.Signal().mu.Unlock()
}

func TestHTTPClientTimeout(t *testing.T) {
	srv, _ := slowServer(t)
	c := newTestClient(t)
	c.HTTPClient.Timeout = 100 * time.Millisecond
	_, err := c.Fetch(t.Context(), srv.URL+"/headers", nil)
	assert.ErrorIs(t, err, ErrTimeout)

	resp, err := c.Fetch(t.Context(), srv.URL, nil)
	require.NoError(t, err)
	_, err = resp.Text()
	assert.ErrorIs(t, err, ErrTimeout, "the timeout bounds the body too")
}

func TestContextDeadlineIsTimeout(t *testing.T) {
	srv, _ := slowServer(t)
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	_, err := newTestClient(t).Fetch(ctx, srv.URL+"/headers", nil)
	assert.ErrorIs(t, err, ErrTimeout)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}
