// Package blob implements the File API's Blob and File: immutable byte
// sequences with a media type (and, for a File, a name and a modification
// time), as fetch bodies, FormData file entries and websocket binary
// messages use them.
//
// A [Blob] is a list of segments: in-memory strings and ranges of files
// or io.ReaderAts. Building a Blob from other Blobs and slicing one share
// segments instead of copying bytes, and a file-backed [File] from
// [OpenFile] reads its file only while it is streamed, a range at a time,
// so slicing or uploading a file of many gigabytes costs a few kilobytes of
// memory. Every Blob and File satisfies fetch's body interface through
// [Blob.ExtractBody].
//
// # JavaScript to Go
//
//	JavaScript                              Go
//	new Blob(parts, {type, endings})        blob.New([]blob.BlobPart{...}, &blob.BlobPropertyBag{Type: t, Endings: e})
//	  "text" part                           blob.String("text")
//	  ArrayBuffer / typed array part        blob.Bytes(b) (copied)
//	  Blob or File part                     b, f (shared, not copied)
//	blob.size / blob.type                   b.Size() / b.Type()
//	blob.slice(start, end, type)            b.Slice(start, end, type)
//	blob.slice(start)                       b.Slice(start, blob.End, "")
//	await blob.text()                       b.Text()
//	await blob.arrayBuffer() / bytes()      b.Bytes()
//	blob.stream()                           b.Stream() (an io.ReadCloser; Close it)
//	new File(parts, name, {type, lastModified}) blob.NewFile(parts, name, &blob.FilePropertyBag{...})
//	file.name / file.lastModified           f.Name() / f.LastModified().UnixMilli()
//	<input type=file> picking a file        blob.OpenFile(path, nil)
//	(a File used as a Blob)                 f.Blob(), or f directly: *File has every Blob method
//	NotReadableError                        blob.ErrNotReadable
//
// # Deviations from the File API Standard
//
//   - Strings are Go strings: a String part is taken as UTF-8. Ill-formed
//     UTF-8 in it becomes U+FFFD, as a lone surrogate of a JavaScript
//     string does when it is converted to a USVString (see [String]); use
//     [Bytes] for binary data.
//   - Slice takes int64: JavaScript's rounding of fractional arguments
//     ([Clamp] long long) has no Go counterpart, and [End] stands for an
//     omitted end.
//   - New and NewFile have no error result: an Endings value other than
//     "native" means "transparent" where JavaScript throws a TypeError.
//   - [OpenFile] and [FromReaderAt] are Go extensions: the File API gets
//     file-backed Files from the browser's file picker.
//   - Reading is blocking: Text and Bytes return (value, error) instead of
//     a Promise, and Stream is an io.ReadCloser instead of a
//     ReadableStream.
//   - A Blob has no URL: URL.createObjectURL has no counterpart.
//
// # Concurrency
//
// Blobs and Files never change after construction, so they are safe for
// concurrent use by multiple goroutines, and many Streams of one Blob may
// be read at once. A single Stream is a reader for one goroutine and must
// be closed.
package blob
