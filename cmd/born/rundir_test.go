package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Two born train started in the same second both succeed, in folders of
// their own: runs/<date>-<time> and runs/<date>-<time>-2. Also when they
// run at once. The clock is pinned: on a loaded machine two real runs need
// not fall in one second, and the test must not depend on that.
func TestTrainSameSecond(t *testing.T) {
	t.Chdir(t.TempDir())
	pinned := time.Date(2026, 12, 5, 8, 0, 0, 0, time.Local)
	runDirClock = func() time.Time { return pinned }
	t.Cleanup(func() { runDirClock = time.Now })
	const stamp = "runs/20261205-080000"
	args := []string{"train", "--data", "bas:2x2", "--ansatz", "qcbm:1", "--steps", "2", "--quiet"}
	outDir := func(out string) string {
		var s struct{ Out string }
		if err := json.Unmarshal([]byte(out), &s); err != nil {
			t.Fatalf("summary %q: %v", out, err)
		}
		return s.Out
	}
	// Sequential: the first run takes the stamp, the second -2.
	a, _, err := runBorn(t, "", args...)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := runBorn(t, "", args...)
	if err != nil {
		t.Fatalf("second run: %v", err)
	}
	if da, db := filepath.ToSlash(outDir(a)), filepath.ToSlash(outDir(b)); da != stamp || db != stamp+"-2" {
		t.Errorf("runs in the same second wrote %s and %s, want %s and %s-2", da, db, stamp, stamp)
	}
	// Concurrent: four at once, four folders, each with its model.
	var wg sync.WaitGroup
	dirs := make([]string, 4)
	errs := make([]error, 4)
	for i := range dirs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var out string
			out, _, errs[i] = runBorn(t, "", args...)
			if errs[i] == nil {
				var s struct{ Out string }
				errs[i] = json.Unmarshal([]byte(out), &s)
				dirs[i] = s.Out
			}
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for i, d := range dirs {
		if errs[i] != nil {
			t.Fatalf("concurrent run %d: %v", i, errs[i])
		}
		if seen[d] {
			t.Fatalf("two concurrent runs wrote %s", d)
		}
		seen[d] = true
		if !strings.HasPrefix(filepath.ToSlash(d), stamp+"-") {
			t.Errorf("concurrent run %d wrote %s, want %s-N", i, d, stamp)
		}
		if _, err := os.Stat(filepath.Join(d, "model.json")); err != nil {
			t.Error(err)
		}
	}
	// compare too.
	cargs := []string{"compare", "--data", "bas:2x2", "--models", "rbm:2", "--seeds", "1", "--steps", "2", "--quiet"}
	for range 2 {
		if _, _, err := runBorn(t, "", cargs...); err != nil {
			t.Fatal(err)
		}
	}
	cmp, _ := filepath.Glob("runs/compare-*")
	if len(cmp) != 2 {
		t.Errorf("compare folders %v, want 2", cmp)
	}
}
