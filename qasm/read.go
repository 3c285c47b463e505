package qasm

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// DefaultMaxBytes is the default for Options.MaxBytes: the largest source
// file the reader takes, 64 MiB (a circuit of DefaultMaxOps operations
// written out is about 40 MB).
const DefaultMaxBytes = 64 << 20

// ReadSource reads the program file at path: it must be a regular file (not
// a device such as /dev/zero, a pipe or a directory, which could be read
// without end) of at most max bytes (DefaultMaxBytes when max <= 0).
func ReadSource(path string, max int64) ([]byte, error) {
	if max <= 0 {
		max = DefaultMaxBytes
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		what := "not a regular file"
		switch {
		case st.IsDir():
			what = "a directory"
		case st.Mode()&os.ModeDevice != 0:
			what = "a device, not a regular file"
		case st.Mode()&os.ModeNamedPipe != 0:
			what = "a pipe, not a regular file (read standard input with -)"
		}
		return nil, fmt.Errorf("%s is %s", path, what)
	}
	if st.Size() > max {
		return nil, fmt.Errorf("%s is %s; born reads program files of at most %s", path, byteSize(st.Size()), byteSize(max))
	}
	// Read into a buffer of the file's size (and one byte more, to see it
	// grow meanwhile): growing one by doubling held up to twice the file.
	src := make([]byte, 0, st.Size()+1)
	for int64(len(src)) <= max {
		if len(src) == cap(src) {
			src = append(src, 0)[:len(src)]
		}
		n, err := f.Read(src[len(src):cap(src)])
		src = src[:len(src)+n]
		if err == io.EOF {
			return src, nil
		}
		if err != nil {
			return nil, err
		}
	}
	return nil, fmt.Errorf("%s holds more than %s, the most born reads as a program", path, byteSize(max))
}

// ReadLimited reads r (standard input, say, named name in errors) to its
// end, refusing more than max bytes (DefaultMaxBytes when max <= 0).
func ReadLimited(r io.Reader, name string, max int64) ([]byte, error) {
	if max <= 0 {
		max = DefaultMaxBytes
	}
	src, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(src)) > max {
		return nil, fmt.Errorf("%s holds more than %s, the most born reads as a program", name, byteSize(max))
	}
	return src, nil
}

func byteSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// within reports whether path lies inside dir once both are absolute with
// symbolic links resolved (a path that does not exist is taken as written).
func within(dir, path string) bool {
	resolve := func(p string) string {
		if a, err := filepath.Abs(p); err == nil {
			p = a
		}
		if r, err := filepath.EvalSymlinks(p); err == nil {
			p = r
		}
		return filepath.Clean(p)
	}
	d, p := resolve(dir), resolve(path)
	rel, err := filepath.Rel(d, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
