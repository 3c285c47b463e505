// Package examples holds small runnable programs that show born's library
// API. This test builds and runs each one and checks what it prints.
package examples

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestExamples(t *testing.T) {
	cases := []struct {
		dir  string
		args []string
		want []string
	}{
		{"bell", nil, []string{"P(00) = 0.500", "P(01) = 0.000", "P(11) = 0.500", "(total 1000)"}},
		{"runqasm", nil, []string{"00000 0.500000", "11111 0.500000"}},
		{"runqasm", []string{"testdata/teleport.qasm"}, []string{"000 0.244417", "100 0.005583"}},
	}
	bin := t.TempDir()
	for _, tc := range cases {
		exe := filepath.Join(bin, tc.dir)
		if out, err := exec.Command("go", "build", "-o", exe, "./"+tc.dir).CombinedOutput(); err != nil {
			t.Fatalf("go build ./%s: %v\n%s", tc.dir, err, out)
		}
		out, err := exec.Command(exe, tc.args...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", tc.dir, tc.args, err, out)
		}
		for _, w := range tc.want {
			if !strings.Contains(string(out), w) {
				t.Errorf("%s %v: output lacks %q:\n%s", tc.dir, tc.args, w, out)
			}
		}
	}
}
