package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Misspelt gates, data specs, model kinds and targets get a "did you mean";
// an unsupported OpenQASM 3 version is one error, not a cascade.
func TestDidYouMean(t *testing.T) {
	tmp := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	gate := write("g.qasm", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\ncnot q[0], q[1];\n")
	v32 := write("v.qasm", "OPENQASM 3.2;\ninclude \"stdgates.inc\";\nqubit[2] q;\nh q[0];\n")
	bell := write("b.qasm", "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[2];\nh q[0];\ncx q[0], q[1];\n")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", gate}, gate + ":4:1: unknown gate 'cnot' (not declared; did you mean 'cx'?)"},
		{[]string{"run", v32}, v32 + ":1:10: unsupported version OPENQASM 3.2 (only 2.0 and 3.0)"},
		{[]string{"train", "--data", "bsa:3x3", "--out", filepath.Join(tmp, "r1")}, `unknown dataset "bsa:3x3" (did you mean 'bas'?)`},
		{[]string{"compare", "--data", "gaussain:4", "--out", filepath.Join(tmp, "r2")}, `unknown dataset "gaussain:4" (did you mean 'gauss'?)`},
		{[]string{"compare", "--data", "bas:2x2", "--models", "qcbm:2,flwo:8", "--out", filepath.Join(tmp, "r3")}, `unknown model "flwo:8" (did you mean 'flow'?)`},
		{[]string{"export", bell, "--target", "ibm-heorn"}, `unknown target "ibm-heorn" (did you mean 'ibm-heron'?)`},
	} {
		_, _, err := runBorn(t, "", tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("born %s: error %v, want %q", strings.Join(tc.args, " "), err, tc.want)
			continue
		}
		if strings.Count(err.Error(), "\n") > 0 {
			t.Errorf("born %s: more than one error:\n%v", strings.Join(tc.args, " "), err)
		}
	}
}
