package blob

import (
	"errors"
	"fmt"
)

// ErrNotReadable is the File API's NotReadableError: the bytes of a Blob
// cannot be read, because the file behind a file-backed Blob ([OpenFile])
// changed (its size or modification time differs from when it was
// opened), disappeared, or failed to read. Every such error returned by a
// Blob's Stream, Bytes or Text wraps it (test with errors.Is), and wraps
// the os error as well when there is one.
//
// Spec: https://w3c.github.io/FileAPI/#NotReadableError
var ErrNotReadable = errors.New("blob: not readable")

// errTooLarge is returned by Bytes and Text for a Blob larger than a Go
// slice can be.
func errTooLarge(size int64) error {
	return fmt.Errorf("blob: %d bytes do not fit in memory", size)
}
