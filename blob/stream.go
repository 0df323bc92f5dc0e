package blob

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// source is where the bytes of a non-memory segment live.
type source interface {
	// open makes the source readable: it returns a ReaderAt over it and a
	// release function, which reports an error when the source changed
	// while it was open and frees what open took.
	open() (ra io.ReaderAt, release func() error, err error)
	// shortRead returns the error for a source that ended before a
	// segment's bytes were all read.
	shortRead() error
}

// fileSource is a file on disk as OpenFile found it: its snapshot state is
// the size and modification time seen then.
//
// Spec: https://w3c.github.io/FileAPI/#snapshot-state
type fileSource struct {
	path    string
	size    int64
	modTime time.Time
}

func (s *fileSource) open() (io.ReaderAt, func() error, error) {
	f, err := os.Open(s.path)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrNotReadable, err)
	}
	if err := s.check(f); err != nil {
		f.Close()
		return nil, nil, err
	}
	release := func() error {
		// A change made while the bytes were being read may have gone
		// unnoticed by the reads themselves; fstat once more.
		err := s.check(f)
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("%w: %w", ErrNotReadable, cerr)
		}
		return err
	}
	return f, release, nil
}

// check compares the open file with the snapshot state.
func (s *fileSource) check(f *os.File) error {
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("%w: %w", ErrNotReadable, err)
	}
	if st.Size() != s.size || !st.ModTime().Equal(s.modTime) {
		return fmt.Errorf("%w: %s changed since it was opened (size %d, modified %s; was %d, %s)",
			ErrNotReadable, s.path, st.Size(), st.ModTime().Format(time.RFC3339Nano),
			s.size, s.modTime.Format(time.RFC3339Nano))
	}
	return nil
}

func (s *fileSource) shortRead() error {
	return fmt.Errorf("%w: %s is shorter than when it was opened: %w", ErrNotReadable, s.path, io.ErrUnexpectedEOF)
}

// readerAtSource is the io.ReaderAt of FromReaderAt.
type readerAtSource struct{ r io.ReaderAt }

func (s readerAtSource) open() (io.ReaderAt, func() error, error) {
	return s.r, func() error { return nil }, nil
}

func (s readerAtSource) shortRead() error {
	return fmt.Errorf("blob: reader ended early: %w", io.ErrUnexpectedEOF)
}

// copyBufferSize is the buffer WriteTo reads file-backed bytes through.
const copyBufferSize = 64 << 10

var errClosed = errors.New("blob: read from a closed stream")

// stream reads a list of segments in order, opening each source lazily.
// It is the reader of Blob.Stream; not safe for concurrent use.
type stream struct {
	segs    []segment
	i       int   // the current segment
	pos     int64 // bytes of segs[i] already delivered
	ra      io.ReaderAt
	release func() error // non-nil while segs[i]'s source is open
	err     error        // sticky
	closed  bool
}

func newStream(segs []segment) *stream { return &stream{segs: segs} }

// Read implements io.Reader.
func (s *stream) Read(p []byte) (int, error) {
	if s.closed {
		return 0, errClosed
	}
	n := 0
	for n < len(p) && s.err == nil {
		if s.i == len(s.segs) {
			s.err = io.EOF
			break
		}
		seg := s.segs[s.i]
		if seg.src == nil {
			c := copy(p[n:], seg.mem[s.pos:])
			n += c
			s.pos += int64(c)
			s.advanceIfDone(seg)
			continue
		}
		if n > 0 {
			break // deliver what we have before touching a file
		}
		n = s.readSource(seg, p)
		break
	}
	if n > 0 {
		return n, nil
	}
	return 0, s.err
}

// readSource reads from the source segment seg into p and returns how
// many bytes it read; a failure is left in s.err.
func (s *stream) readSource(seg segment, p []byte) int {
	if s.release == nil {
		ra, release, err := seg.src.open()
		if err != nil {
			s.err = err
			return 0
		}
		s.ra, s.release = ra, release
	}
	want := seg.n - s.pos
	if int64(len(p)) > want {
		p = p[:want]
	}
	n, err := s.ra.ReadAt(p, seg.off+s.pos)
	s.pos += int64(n)
	switch {
	case n == len(p):
		// Done, whatever err says (ReadAt may report io.EOF with the last
		// bytes of the file).
	case err == nil || err == io.EOF:
		s.fail(seg.src.shortRead())
		return n
	default:
		s.fail(fmt.Errorf("blob: read: %w", err))
		return n
	}
	s.advanceIfDone(seg)
	return n
}

// advanceIfDone moves on to the next segment once seg is fully read,
// closing its source.
func (s *stream) advanceIfDone(seg segment) {
	if s.pos < seg.size() {
		return
	}
	if err := s.releaseSource(); err != nil {
		s.err = err
		return
	}
	s.i++
	s.pos = 0
}

// releaseSource closes the source of the current segment, if one is open,
// and returns the error of its release.
func (s *stream) releaseSource() error {
	if s.release == nil {
		return nil
	}
	err := s.release()
	s.ra, s.release = nil, nil
	return err
}

func (s *stream) fail(err error) {
	s.err = err
	_ = s.releaseSource()
}

// WriteTo implements io.WriterTo: it writes the rest of the stream to w,
// in-memory segments directly and file-backed ones through one buffer.
func (s *stream) WriteTo(w io.Writer) (int64, error) {
	if s.closed {
		return 0, errClosed
	}
	var total int64
	var buf []byte
	for s.err == nil {
		if s.i == len(s.segs) {
			s.err = io.EOF
			break
		}
		seg := s.segs[s.i]
		if seg.src == nil {
			n, err := s.writeString(w, seg.mem[s.pos:], &buf)
			total += int64(n)
			s.pos += int64(n)
			if err != nil {
				s.fail(err)
				return total, err
			}
			s.advanceIfDone(seg)
			continue
		}
		if buf == nil {
			buf = make([]byte, min(copyBufferSize, s.remaining()))
		}
		n := s.readSource(seg, buf)
		if n > 0 {
			m, err := w.Write(buf[:n])
			total += int64(m)
			if err == nil && m < n {
				err = io.ErrShortWrite
			}
			if err != nil {
				s.fail(err)
				return total, err
			}
		}
	}
	if s.err == io.EOF {
		return total, nil
	}
	return total, s.err
}

// writeString writes str to w without converting all of it to a []byte at
// once: through io.StringWriter when w has it, else in chunks of *buf.
func (s *stream) writeString(w io.Writer, str string, buf *[]byte) (int, error) {
	if sw, ok := w.(io.StringWriter); ok {
		return sw.WriteString(str)
	}
	if *buf == nil {
		*buf = make([]byte, min(copyBufferSize, s.remaining()))
	}
	total := 0
	for total < len(str) {
		c := copy(*buf, str[total:])
		n, err := w.Write((*buf)[:c])
		total += n
		if err == nil && n < c {
			err = io.ErrShortWrite
		}
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// remaining returns the number of bytes not yet delivered.
func (s *stream) remaining() int64 {
	var n int64
	for _, seg := range s.segs[s.i:] {
		n += seg.size()
	}
	return n - s.pos
}

// Close releases the file the stream has open, if any. Reads after Close
// fail. It is idempotent and always returns nil.
func (s *stream) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	_ = s.releaseSource()
	return nil
}
