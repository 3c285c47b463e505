package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Library errors name their settings (lr, checkpoint_every); the command
// line prints them as its flags.
func TestLibraryErrorsInFlagWords(t *testing.T) {
	tmp := t.TempDir()
	wide := filepath.Join(tmp, "wide.txt") // 26 bits: the sampled objective
	if err := os.WriteFile(wide, []byte(strings.Repeat("01", 13)+"\n"+strings.Repeat("10", 13)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"train", "--lr", "-1"}, "--lr -1: the learning rate must be a finite number > 0"},
		{[]string{"train", "--checkpoint-every", "0"}, "--checkpoint-every 0: need at least 1"},
		{[]string{"train", "--shots", "10", "--grad", "adjoint"}, "--grad adjoint is exact and takes no --shots; use --grad shift with --shots"},
		{[]string{"train", "--model", "mps:2", "--loss", "mmd"}, `use --loss nll or kl, not "mmd"`},
		{[]string{"train", "--init", filepath.Join(tmp, "none.json")}, "--init: open "},
		{[]string{"train", "--circuit", "none.qasm", "--init", "marginals"}, "--init marginals sets the layers of an --ansatz"},
		{[]string{"train", "--data", "file:" + wide, "--ansatz", "qcbm:1:line", "--steps", "1"}, "the QCBM trains on the sampled MMD; give --shots N"},
		{[]string{"train", "--data", "file:" + wide, "--ansatz", "qcbm:1:line", "--shots", "10", "--steps", "1"}, "use --engine mps:CHI (e.g. mps:16)"},
		{[]string{"train", "--data", "bas:2x2", "--ansatz", "qcbm:1", "--shots", "9007199254740993"}, "--shots 9007199254740993: at most 2^53"},
		{[]string{"compare", "--models", ""}, "--models is empty"},
		{[]string{"compare", "--sigmas", "1,-2"}, `--sigmas "1,-2": "-2" is not a finite positive number`},
	} {
		args := append(tc.args, "--out", filepath.Join(tmp, "r"))
		_, _, err := runBorn(t, "", args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("born %s: error %v, want %q", strings.Join(tc.args, " "), err, tc.want)
		}
	}
	// A folder that holds a run already.
	dir := filepath.Join(tmp, "done")
	if _, _, err := runBorn(t, "", "train", "--steps", "1", "--quiet", "--out", dir); err != nil {
		t.Fatal(err)
	}
	_, _, err := runBorn(t, "", "train", "--steps", "1", "--quiet", "--out", dir)
	if want := dir + " already holds a run; continue it with --resume " + dir + " or choose another --out"; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}
