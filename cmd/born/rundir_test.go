package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Two born train started in the same second both succeed, in folders of
// their own: runs/<date>-<time> and runs/<date>-<time>-2. Also when they
// run at once.
func TestTrainSameSecond(t *testing.T) {
	t.Chdir(t.TempDir())
	args := []string{"train", "--data", "bas:2x2", "--ansatz", "qcbm:1", "--steps", "2", "--quiet"}
	outDir := func(out string) string {
		var s struct{ Out string }
		if err := json.Unmarshal([]byte(out), &s); err != nil {
			t.Fatalf("summary %q: %v", out, err)
		}
		return s.Out
	}
	// Sequential: retry until two runs fall in the same second (a run
	// takes milliseconds, so the first pair nearly always does).
	same := false
	for try := 0; try < 5 && !same; try++ {
		a, _, err := runBorn(t, "", args...)
		if err != nil {
			t.Fatal(err)
		}
		b, _, err := runBorn(t, "", args...)
		if err != nil {
			t.Fatalf("second run: %v", err)
		}
		da, db := outDir(a), outDir(b)
		if da == db {
			t.Fatalf("both runs wrote %s", da)
		}
		// runs/20060102-150405[-N]: the same second, told apart by -N.
		stamp := func(d string) string { return d[:len("runs/20060102-150405")] }
		same = stamp(da) == stamp(db)
		if same && db != stamp(db)+"-2" && !strings.HasPrefix(db, stamp(db)+"-") {
			t.Errorf("runs in the same second: %s and %s", da, db)
		}
	}
	if !same {
		t.Fatal("no two runs started in the same second in 5 tries")
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
