package xhr

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// eventLoop runs the tasks of one XMLHttpRequest one at a time, in the
// order they were posted, on one goroutine: the object's stand-in for the
// JavaScript event loop. Every event is dispatched from a task, and every
// method that changes the request's state runs its steps as a task, so
// listeners observe exactly the order the spec describes.
//
// The goroutine is started when a task is posted to an idle loop and exits
// when the queue is empty, so an XMLHttpRequest that is not doing anything
// owns no goroutine.
type eventLoop struct {
	mu      sync.Mutex
	queue   []func()
	running bool
	owner   atomic.Int64 // id of the goroutine running the tasks, 0 when idle
	idle    *sync.Cond   // signalled when the loop goes idle
}

// post appends task to the queue, starting the loop's goroutine if it is
// idle. It never blocks.
func (l *eventLoop) post(task func()) {
	l.mu.Lock()
	l.queue = append(l.queue, task)
	if !l.running {
		l.running = true
		go l.run()
	}
	l.mu.Unlock()
}

// run is the loop's goroutine: it runs tasks until the queue is empty.
func (l *eventLoop) run() {
	l.owner.Store(goroutineID())
	for {
		l.mu.Lock()
		if len(l.queue) == 0 {
			l.running = false
			l.owner.Store(0)
			if l.idle != nil {
				l.idle.Broadcast()
			}
			l.mu.Unlock()
			return
		}
		task := l.queue[0]
		l.queue[0] = nil
		l.queue = l.queue[1:]
		l.mu.Unlock()
		task()
	}
}

// onLoop reports whether the caller is running on the loop's goroutine,
// that is, inside a task or a listener.
func (l *eventLoop) onLoop() bool {
	id := l.owner.Load()
	return id != 0 && id == goroutineID()
}

// do runs fn as a task and waits for it to finish. Called from a task or a
// listener it runs fn at once instead (a nested call, as when a JavaScript
// event handler calls abort()), which keeps it from waiting for itself.
func (l *eventLoop) do(fn func()) {
	if l.onLoop() {
		fn()
		return
	}
	done := make(chan struct{})
	l.post(func() {
		defer close(done)
		fn()
	})
	<-done
}

// waitIdle blocks until the loop has no task left and its goroutine has
// exited. It must not be called from the loop.
func (l *eventLoop) waitIdle() {
	l.mu.Lock()
	if l.idle == nil {
		l.idle = sync.NewCond(&l.mu)
	}
	for l.running {
		l.idle.Wait()
	}
	l.mu.Unlock()
}

// goroutineID returns the id of the calling goroutine, read from the first
// line of its stack trace ("goroutine 18 [running]:"). The runtime has no
// API for it; golang.org/x/net/http2 reads it the same way. It is used only
// to tell whether a call comes from the event loop.
func goroutineID() int64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	const prefix = "goroutine "
	if len(b) < len(prefix) {
		return -1
	}
	var id int64
	for _, c := range b[len(prefix):] {
		if c < '0' || c > '9' {
			break
		}
		id = id*10 + int64(c-'0')
	}
	return id
}
