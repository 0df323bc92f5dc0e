package fetch

import (
	"context"
	"slices"
	"sync"
	"time"
)

// noCopy makes go vet's copylocks check flag copies of the types holding it.
type noCopy struct{}

func (*noCopy) Lock()   {}
func (*noCopy) Unlock() {}

// AbortController aborts the operations that watch its [AbortSignal]: any
// number of fetches, response body reads, and code of your own (through
// [AbortSignal.OnAbort], [AbortSignal.Done] or [AbortSignal.Context]).
//
// Create it with [NewAbortController]; the zero value is ready to use too.
// It must not be copied after first use. It is safe for concurrent use by
// multiple goroutines.
//
// It is [context.WithCancelCause] with the DOM's vocabulary: Abort cancels the
// signal's context with the reason as its cause.
//
// Spec: https://dom.spec.whatwg.org/#interface-abortcontroller
type AbortController struct {
	_      noCopy
	once   sync.Once
	signal *AbortSignal
}

// NewAbortController returns a controller whose signal is not aborted.
//
// Spec: https://dom.spec.whatwg.org/#dom-abortcontroller-abortcontroller
func NewAbortController() *AbortController {
	c := &AbortController{}
	c.Signal()
	return c
}

// Signal returns the controller's signal, always the same one.
//
// Spec: https://dom.spec.whatwg.org/#dom-abortcontroller-signal
func (c *AbortController) Signal() *AbortSignal {
	c.once.Do(func() { c.signal = newControlledSignal() })
	return c.signal
}

// Abort aborts the controller's signal with reason (a nil reason becomes
// [ErrAbort]), then runs the signal's abort listeners, in the order they were
// added, on the calling goroutine before Abort returns, followed by those of
// the signals made from it by [AbortSignalAny]. Every fetch watching the
// signal fails with an error matching [ErrAbort] (or [ErrTimeout] for a
// timeout reason) and reason. The signal, and its context, are aborted
// before any listener runs, so a fetch on another goroutine may return its
// error while the listeners are still running. Calling Abort again does
// nothing.
//
// Spec: https://dom.spec.whatwg.org/#dom-abortcontroller-abort
func (c *AbortController) Abort(reason error) {
	if reason == nil {
		reason = ErrAbort
	}
	c.Signal().signalAbort(reason)
}

// AbortSignal reports an abort to whoever watches it. Get one from an
// [AbortController], from [AbortSignalTimeout], [AbortSignalAny] or
// [AbortSignalAbort], or from a context with [AbortSignalFromContext]; pass it
// to a fetch as [RequestInit.Signal].
//
// A signal is a [context.Context] underneath: [AbortSignal.Context] is done
// exactly when the signal is aborted, and its [context.Cause] is the reason.
// A nil *AbortSignal is a signal that never aborts.
//
// Listeners added with [AbortSignal.OnAbort] run once, in the order they were
// added, never with an internal lock held (so a listener may call OnAbort's
// stop function, Abort, or start a fetch). They run on the goroutine that
// calls [AbortController.Abort], before it returns, or, for signals aborted
// by a timer or a context, on a goroutine of their own.
//
// An AbortSignal is safe for concurrent use by multiple goroutines.
//
// Spec: https://dom.spec.whatwg.org/#interface-AbortSignal
type AbortSignal struct {
	_      noCopy
	ctx    context.Context
	cancel context.CancelCauseFunc // nil when ctx is ended by a timer or a parent
	timer  context.CancelFunc      // releases the timer of AbortSignalTimeout; never called early

	mu        sync.Mutex
	fired     bool // the abort steps ran (or were not needed)
	listeners []*abortListener
	// dependent reports a signal made by AbortSignalAny; sources are the
	// signals it follows and dependents those following it. Links are strong
	// and are dropped when either side aborts.
	dependent  bool
	sources    []*AbortSignal
	dependents []*AbortSignal
}

type abortListener struct{ fn func(reason error) }

func newControlledSignal() *AbortSignal {
	ctx, cancel := context.WithCancelCause(context.Background())
	return &AbortSignal{ctx: ctx, cancel: cancel}
}

// AbortSignalAbort returns a signal that is already aborted with reason (a
// nil reason becomes [ErrAbort]). Its listeners never run: the abort
// happened before anyone could listen.
//
// Spec: https://dom.spec.whatwg.org/#dom-abortsignal-abort
func AbortSignalAbort(reason error) *AbortSignal {
	if reason == nil {
		reason = ErrAbort
	}
	s := newControlledSignal()
	s.fired = true
	s.cancel(reason)
	return s
}

// AbortSignalTimeout returns a signal that aborts with reason [ErrTimeout]
// once d has elapsed. Its context's Err is [context.DeadlineExceeded].
// The timer cannot be stopped early; a pending timer holds only the signal.
//
// Spec: https://dom.spec.whatwg.org/#dom-abortsignal-timeout
func AbortSignalTimeout(d time.Duration) *AbortSignal {
	ctx, stop := context.WithTimeoutCause(context.Background(), d, ErrTimeout)
	s := &AbortSignal{ctx: ctx, timer: stop}
	context.AfterFunc(ctx, func() { s.signalAbort(context.Cause(ctx)) })
	return s
}

// AbortSignalFromContext returns a signal that aborts when ctx is done, with
// [context.Cause](ctx) as its reason (for example [context.Canceled]); its
// Context is ctx itself. A ctx that is never done gives a signal that never
// aborts.
//
// Deviation: a Go extension; the DOM has no contexts.
//
// Spec: https://dom.spec.whatwg.org/#interface-AbortSignal
func AbortSignalFromContext(ctx context.Context) *AbortSignal {
	s := &AbortSignal{ctx: ctx}
	if ctx.Err() != nil {
		s.fired = true
		return s
	}
	context.AfterFunc(ctx, func() { s.signalAbort(context.Cause(ctx)) })
	return s
}

// AbortSignalAny returns a new signal that aborts as soon as any of signals
// aborts, with that signal's reason. When one of signals is already aborted,
// the result is aborted at once with the reason of the first such signal in
// the list. With no signals, the result never aborts. Nil signals are
// ignored.
//
// The new signal stays linked to (and reachable from) the signals it follows
// until one of them aborts: to release it sooner, abort a signal you own,
// for example a per-operation controller with defer c.Abort(nil), the way
// one calls a context's cancel function.
//
// Spec: https://dom.spec.whatwg.org/#dom-abortsignal-any
func AbortSignalAny(signals ...*AbortSignal) *AbortSignal {
	res := newControlledSignal()
	res.dependent = true
	for _, s := range signals {
		if s.Aborted() {
			res.fired = true
			res.cancel(s.Reason())
			return res
		}
	}
	for _, s := range signals {
		if s == nil || s.ctx == nil {
			continue
		}
		if !s.dependent {
			if !res.link(s) {
				return res
			}
			continue
		}
		s.mu.Lock()
		srcs := slices.Clone(s.sources)
		s.mu.Unlock()
		for _, src := range srcs {
			if !res.link(src) {
				return res
			}
		}
	}
	return res
}

// link makes res (a new dependent signal) follow src. It reports false when
// src turned out to be aborted already, in which case res is now aborted.
func (res *AbortSignal) link(src *AbortSignal) bool {
	src.mu.Lock()
	if src.fired || src.ctx.Err() != nil {
		src.mu.Unlock()
		res.signalAbort(src.Reason())
		return false
	}
	if slices.Contains(src.dependents, res) {
		src.mu.Unlock()
		return true
	}
	src.dependents = append(src.dependents, res)
	src.mu.Unlock()
	res.mu.Lock()
	res.sources = append(res.sources, src)
	res.mu.Unlock()
	return true
}

// signalAbort runs the DOM's "signal abort": it records reason, aborts the
// dependent signals, then runs this signal's listeners and those of the
// dependents, in that order.
func (s *AbortSignal) signalAbort(reason error) {
	s.mu.Lock()
	if s.fired {
		s.mu.Unlock()
		return
	}
	s.fired = true
	if s.cancel != nil {
		s.cancel(reason)
	}
	listeners := s.listeners
	s.listeners = nil
	deps := s.dependents
	s.dependents = nil
	srcs := s.sources
	s.sources = nil
	s.mu.Unlock()

	s.unlinkFrom(srcs)
	type pending struct {
		sig       *AbortSignal
		listeners []*abortListener
	}
	var fired []pending
	for _, d := range deps {
		d.mu.Lock()
		if d.fired {
			d.mu.Unlock()
			continue
		}
		d.fired = true
		d.cancel(reason)
		fired = append(fired, pending{d, d.listeners})
		d.listeners = nil
		dsrcs := d.sources
		d.sources = nil
		d.mu.Unlock()
		d.unlinkFrom(dsrcs)
	}
	for _, l := range listeners {
		l.fn(reason)
	}
	for _, p := range fired {
		for _, l := range p.listeners {
			l.fn(reason)
		}
	}
}

// unlinkFrom removes s from the dependents of srcs (s has aborted, so they
// need not keep it).
func (s *AbortSignal) unlinkFrom(srcs []*AbortSignal) {
	for _, src := range srcs {
		src.mu.Lock()
		if i := slices.Index(src.dependents, s); i >= 0 {
			src.dependents = slices.Delete(src.dependents, i, i+1)
		}
		src.mu.Unlock()
	}
}

// Aborted reports whether the signal has been aborted.
//
// Spec: https://dom.spec.whatwg.org/#dom-abortsignal-aborted
func (s *AbortSignal) Aborted() bool {
	return s != nil && s.ctx != nil && s.ctx.Err() != nil
}

// Reason returns the abort reason, or nil while the signal is not aborted.
// It is always the same value once set: the reason given to Abort,
// [ErrAbort] for a nil one, [ErrTimeout] for a timeout, or the cause of the
// context of [AbortSignalFromContext].
//
// Spec: https://dom.spec.whatwg.org/#dom-abortsignal-reason
func (s *AbortSignal) Reason() error {
	if !s.Aborted() {
		return nil
	}
	return context.Cause(s.ctx)
}

// Err returns the abort reason if the signal is aborted, else nil. It is
// JavaScript's throwIfAborted: check it before starting work.
//
// Spec: https://dom.spec.whatwg.org/#dom-abortsignal-throwifaborted
func (s *AbortSignal) Err() error { return s.Reason() }

// Done returns a channel that is closed when the signal is aborted, like
// [context.Context.Done]; nil for a signal that can never abort.
//
// Spec: https://dom.spec.whatwg.org/#abortsignal-aborted
func (s *AbortSignal) Done() <-chan struct{} {
	if s == nil || s.ctx == nil {
		return nil
	}
	return s.ctx.Done()
}

// Context returns a context that is done when the signal is aborted, with
// the reason as its [context.Cause]. Use it to hand the signal to code that
// takes a context, or with [context.AfterFunc] to act on an abort that may
// already have happened.
//
// Deviation: a Go extension; the DOM has no contexts.
//
// Spec: https://dom.spec.whatwg.org/#interface-AbortSignal
func (s *AbortSignal) Context() context.Context {
	if s == nil || s.ctx == nil {
		return context.Background()
	}
	return s.ctx
}

// OnAbort adds fn as an abort listener: fn is called once, with the reason,
// when the signal aborts (see [AbortSignal] for on which goroutine). As with
// addEventListener, a listener added after the abort is never called: check
// [AbortSignal.Aborted] first, or use [context.AfterFunc] on
// [AbortSignal.Context], which also runs for a past abort.
//
// The returned stop removes the listener; it reports whether it did so
// before fn was called, like the stop function of [context.AfterFunc].
//
// Spec: https://dom.spec.whatwg.org/#abortsignal-add
func (s *AbortSignal) OnAbort(fn func(reason error)) (stop func() bool) {
	if s == nil || s.ctx == nil {
		return func() bool { return false }
	}
	l := &abortListener{fn: fn}
	s.mu.Lock()
	if s.fired {
		s.mu.Unlock()
		return func() bool { return false }
	}
	s.listeners = append(s.listeners, l)
	s.mu.Unlock()
	return func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		i := slices.Index(s.listeners, l)
		if i < 0 {
			return false
		}
		s.listeners = slices.Delete(s.listeners, i, i+1)
		return true
	}
}
