// Package atomicfile writes files so that a crash never leaves a
// half-written file: the content goes to a temporary file in the same
// directory, which is synced and then renamed over the target.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Write writes path with what write produces, atomically. The file gets
// mode 0644; on any error the old file (if any) is left as it was.
func Write(path string, write func(io.Writer) error) error {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return fmt.Errorf("%s is a folder; name a file to write", path)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+tmpInfix+"*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	tmp := f.Name()
	err = f.Chmod(0o644) // CreateTemp makes the file private
	if err == nil {
		err = write(f)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		if err = os.Rename(tmp, path); err != nil {
			var le *os.LinkError
			if errors.As(err, &le) {
				err = le.Err // without the temporary file's name
			}
		}
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// tmpInfix sits between the target's name and CreateTemp's random digits in
// the name of Write's temporary file: .NAME.tmpDIGITS.
const tmpInfix = ".tmp"

// RemoveStale removes from dir the temporary files of writes cut short
// (the process killed between creating the file and renaming it) and
// returns their names. Call it only where no Write into dir is under way.
func RemoveStale(dir string) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var removed []string
	for _, e := range entries {
		if name := e.Name(); !e.IsDir() && isTemp(name) && os.Remove(filepath.Join(dir, name)) == nil {
			removed = append(removed, name)
		}
	}
	return removed
}

// isTemp reports whether name is a temporary file's of Write: a dot, a
// name, tmpInfix and digits.
func isTemp(name string) bool {
	i := strings.LastIndex(name, tmpInfix)
	if i <= 1 || name[0] != '.' {
		return false
	}
	digits := name[i+len(tmpInfix):]
	return digits != "" && strings.Trim(digits, "0123456789") == ""
}

// WriteBytes writes data to path atomically.
func WriteBytes(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
