package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The OpenQASM reader's warnings reach stderr once, in the compiler's
// "file:line:col: warning: message" form, from every command that reads a
// circuit (they printed as "warning: file:line:col: warning: message").
func TestQASMWarningsPrintOnce(t *testing.T) {
	tmp := t.TempDir()
	prog := filepath.Join(tmp, "w.qasm")
	src := "OPENQASM 3.0;\ninclude \"stdgates.inc\";\ninput float[64] a;\nqubit[4] q;\n;\nrx(a) q[0];\ncx q[0], q[1];\n"
	if err := os.WriteFile(prog, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	want := prog + ":5:1: warning: empty statement\n"
	for _, args := range [][]string{
		{"run", prog, "--param", "a=1"},
		{"convert", prog, "--to", "qasm2", "--param", "a=1"},
		{"train", "--circuit", prog, "--data", "bas:2x2", "--steps", "2", "--quiet", "--out", filepath.Join(tmp, "run")},
	} {
		_, errOut, err := runBorn(t, "", args...)
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		if errOut != want {
			t.Errorf("born %s: stderr %q, want %q", strings.Join(args[:1], " "), errOut, want)
		}
	}
}
