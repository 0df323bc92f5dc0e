//go:build race

package mimetype

// raceEnabled is set under the race detector, which adds allocations the
// allocation tests must not count.
const raceEnabled = true
