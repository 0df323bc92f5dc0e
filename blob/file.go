package blob

import (
	"fmt"
	"mime"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/webnet-go/webnet/internal/textenc"
)

// FilePropertyBag holds the options of [NewFile] and [OpenFile]; a nil
// *FilePropertyBag means all defaults. They only read it.
//
// Spec: https://w3c.github.io/FileAPI/#dfn-FilePropertyBag
type FilePropertyBag struct {
	// Type and Endings are as in [BlobPropertyBag].
	Type    string
	Endings string
	// LastModified is the file's last modification time. The zero value
	// means the default: the current time for NewFile, the file's
	// modification time for OpenFile. JavaScript's lastModified number is
	// LastModified.UnixMilli().
	LastModified time.Time
}

// File is a Blob with a name and a last modification time, the File API's
// File. Every method of [Blob] works on a *File too (Size, Type, Slice,
// Stream, Bytes, Text, ExtractBody), and a *File is a [BlobPart].
//
// The zero value is an empty File with name "" and a zero LastModified. A
// File is immutable and safe for concurrent use by multiple goroutines.
//
// Spec: https://w3c.github.io/FileAPI/#file-section
type File struct {
	core
	name         string
	lastModified time.Time
}

// NewFile returns a File named name holding the bytes of parts (as in
// [New]) with the options of opts (nil means defaults). The name is kept
// as given: a "/" in it is not replaced.
//
// Spec: https://w3c.github.io/FileAPI/#dom-file-file
func NewFile(parts []BlobPart, name string, opts *FilePropertyBag) *File {
	var o FilePropertyBag
	if opts != nil {
		o = *opts
	}
	if o.LastModified.IsZero() {
		o.LastModified = time.Now().Round(0)
	}
	return &File{
		core:         newCore(parts, o.Type, o.Endings),
		name:         textenc.USVString(name),
		lastModified: o.LastModified,
	}
}

// OpenFile returns a File backed by the regular file at path. It reads no
// bytes: it stats the file once, keeping its size and modification time as
// the File's snapshot, and every [File.Stream] (and Bytes, Text, a slice's
// Stream, a fetch upload) opens the file, reads just the range it needs,
// and closes it. Slicing or sending a file of any size therefore never
// loads it into memory. If the file's size or modification time is not the
// snapshot's when it is read, the read fails with an error wrapping
// [ErrNotReadable].
//
// The File's name is the last element of path. Its type is opts.Type, or,
// when that is empty, the one [mime.TypeByExtension] gives path's
// extension without parameters ("" when unknown), as browsers type files
// from disk by extension. LastModified is opts.LastModified, or the file's
// modification time. opts.Endings is ignored. The error, when the file
// cannot be stat'ed or is not a regular file, is an *fs.PathError.
//
// Deviation: a Go extension; in browsers such Files come from <input
// type=file> or drag and drop.
//
// Spec: https://w3c.github.io/FileAPI/#file-section
func OpenFile(path string, opts *FilePropertyBag) (*File, error) {
	var o FilePropertyBag
	if opts != nil {
		o = *opts
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, &os.PathError{Op: "open", Path: path, Err: fmt.Errorf("not a regular file (mode %s)", st.Mode())}
	}
	typ := o.Type
	if typ == "" {
		typ, _, _ = strings.Cut(mime.TypeByExtension(filepath.Ext(abs)), ";")
		typ = strings.TrimSpace(typ)
	}
	mod := o.LastModified
	if mod.IsZero() {
		mod = st.ModTime()
	}
	var segs []segment
	if st.Size() > 0 {
		src := &fileSource{path: abs, size: st.Size(), modTime: st.ModTime()}
		segs = []segment{{src: src, n: st.Size()}}
	}
	return &File{
		core:         buildCore(segs, normalizeType(typ)),
		name:         filepath.Base(abs),
		lastModified: mod,
	}, nil
}

// appendTo makes a *File a BlobPart: its segments are shared, not copied.
// A nil *File is an empty part.
func (f *File) appendTo(dst []segment, _ bool) []segment {
	if f == nil {
		return dst
	}
	return append(dst, f.segs...)
}

// Name returns the file's name.
//
// Spec: https://w3c.github.io/FileAPI/#dfn-name
func (f *File) Name() string { return f.name }

// LastModified returns the file's last modification time (JavaScript's
// lastModified is its UnixMilli).
//
// Spec: https://w3c.github.io/FileAPI/#dfn-lastModified
func (f *File) LastModified() time.Time { return f.lastModified }

// Blob returns the File's bytes and type as a *Blob, sharing them (no
// copy). It is the Go spelling of using a File where a Blob is expected.
//
// Spec: https://w3c.github.io/FileAPI/#file-section
func (f *File) Blob() *Blob { return &Blob{core: f.core} }
