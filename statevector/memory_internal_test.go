package statevector

import (
	"os"
	"path/filepath"
	"testing"
)

func TestMemTotal(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, text string
		want       uint64
		ok         bool
	}{
		{"meminfo", "MemTotal:       24684092 kB\nMemFree:  100 kB\n", 24684092 * 1024, true},
		{"later line", "Foo: 1 kB\nMemTotal: 2 kB\n", 2048, true},
		{"missing", "MemFree: 100 kB\n", 0, false},
		{"garbage", "MemTotal: lots kB\n", 0, false},
	}
	for _, tc := range tests {
		path := filepath.Join(dir, tc.name)
		if err := os.WriteFile(path, []byte(tc.text), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := memTotal(path)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("%s: memTotal = %d, %v; want %d, ok=%v", tc.name, got, err, tc.want, tc.ok)
		}
	}
	if _, err := memTotal(filepath.Join(dir, "absent")); err == nil {
		t.Error("memTotal of a missing file succeeded")
	}
	if MaxMemory == 0 {
		t.Error("MaxMemory is 0")
	}
}
