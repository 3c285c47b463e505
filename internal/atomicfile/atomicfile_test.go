package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.txt")
	if err := WriteBytes(path, []byte("old")); err != nil {
		t.Fatal(err)
	}
	// A failing writer leaves the old content and no temporary file.
	boom := errors.New("boom")
	err := Write(path, func(w io.Writer) error {
		io.WriteString(w, "half")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v", err)
	}
	got, _ := os.ReadFile(path)
	if string(got) != "old" {
		t.Errorf("content %q after a failed write", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("%d entries left in the directory", len(entries))
	}
	if err := WriteBytes(path, []byte("new")); err != nil {
		t.Fatal(err)
	}
	got, _ = os.ReadFile(path)
	st, _ := os.Stat(path)
	if string(got) != "new" || st.Mode().Perm() != 0o644 {
		t.Errorf("content %q mode %v", got, st.Mode())
	}
}

// RemoveStale removes the temporary file a Write cut short leaves (its
// real name, caught while the write runs) and nothing else: not the files
// written, not names that only look alike.
func TestRemoveStale(t *testing.T) {
	dir := t.TempDir()
	var tmp string
	if err := Write(filepath.Join(dir, "model.json"), func(w io.Writer) error {
		entries, err := os.ReadDir(dir)
		if err != nil || len(entries) != 1 {
			t.Fatalf("during the write: %v %v", entries, err)
		}
		tmp = entries[0].Name()
		// A copy stays behind, as when the process is killed here.
		return os.WriteFile(filepath.Join(dir, tmp+"0"), []byte("{"), 0o644)
	}); err != nil {
		t.Fatal(err)
	}
	keep := []string{"model.json", "x.tmp1", ".tmp1", ".x.tmp", ".x.tmpab", "..tmp", "a"}
	for _, name := range keep[1:] {
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, ".d.tmp12"), 0o755); err != nil {
		t.Fatal(err)
	}
	removed := RemoveStale(dir)
	if len(removed) != 1 || removed[0] != tmp+"0" {
		t.Errorf("removed %v, want [%s0]", removed, tmp)
	}
	for _, name := range append(keep, ".d.tmp12") {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
