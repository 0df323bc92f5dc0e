package websocket

import (
	"context"
	"errors"
	"fmt"
	"time"

	cws "github.com/coder/websocket"
)

// heartbeat is the opt-in keep-alive (Options.PingInterval): every
// interval it sends a ping and waits PongTimeout for the pong, which the
// reader receives; a missing pong fails the connection with
// ErrPongTimeout. It stops when ctx ends (the reader has stopped) or the
// close has started.
//
// Deviation: browsers only answer pings; this is a Go extension.
//
// Spec: https://www.rfc-editor.org/rfc/rfc6455#section-5.5.2
func (ws *WebSocket) heartbeat(ctx context.Context, conn *cws.Conn) {
	defer ws.ioWG.Done()
	t := time.NewTicker(ws.opts.PingInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		pctx, cancel := context.WithTimeout(ctx, ws.opts.PongTimeout)
		err := conn.Ping(pctx)
		timedOut := errors.Is(pctx.Err(), context.DeadlineExceeded)
		cancel()
		if err == nil {
			continue
		}
		ws.mu.Lock()
		closing := ws.closeStarted
		ws.mu.Unlock()
		if ctx.Err() == nil && !closing && timedOut {
			ws.abort(fmt.Errorf("%w: waited %v", ErrPongTimeout, ws.opts.PongTimeout))
		}
		// Any other failure means the connection is gone, which the
		// reader reports.
		return
	}
}
