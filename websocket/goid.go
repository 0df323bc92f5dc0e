package websocket

import "runtime"

// goid returns the current goroutine's id, parsed from the first line of
// its stack trace ("goroutine 18 [running]:"). Close uses it to tell a
// call from a handler (which must not wait for its own goroutine) from
// any other call; it is called only there, not on any hot path.
func goid() uint64 {
	var buf [32]byte
	n := runtime.Stack(buf[:], false)
	const prefix = "goroutine "
	var id uint64
	for _, c := range buf[len(prefix):n] {
		if c < '0' || c > '9' {
			break
		}
		id = id*10 + uint64(c-'0')
	}
	return id
}
