package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// --lr with --optimizer lbfgs is refused (L-BFGS would ignore it); lbfgs
// alone and adam with --lr train.
func TestTrainLRWithLBFGS(t *testing.T) {
	dir := t.TempDir()
	_, _, err := runBorn(t, "", "train", "--data", "bas:2x2", "--ansatz", "qcbm:1", "--optimizer", "lbfgs", "--lr", "0.05",
		"--steps", "3", "--out", filepath.Join(dir, "a"), "--quiet")
	if err == nil || !strings.Contains(err.Error(), "--lr 0.05: --optimizer lbfgs takes no learning rate") {
		t.Errorf("error %v, want --lr refused with lbfgs", err)
	}
	for i, args := range [][]string{{"--optimizer", "lbfgs"}, {"--optimizer", "adam", "--lr", "0.05"}} {
		a := append([]string{"train", "--data", "bas:2x2", "--ansatz", "qcbm:1", "--steps", "3", "--quiet",
			"--out", filepath.Join(dir, string(rune('b'+i)))}, args...)
		if _, _, err := runBorn(t, "", a...); err != nil {
			t.Errorf("%v: %v", args, err)
		}
	}
}
