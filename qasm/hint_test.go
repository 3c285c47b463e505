package qasm

import (
	"strings"
	"testing"
)

// A misspelt gate, or another tool's name for one, gets the library gate it
// probably means, saying when it needs an include; a name near nothing gets
// no guess.
func TestUnknownGateHints(t *testing.T) {
	const v2, v3 = "OPENQASM 2.0;\n", "OPENQASM 3.0;\n"
	const inc2, inc3 = "include \"qelib1.inc\";\n", "include \"stdgates.inc\";\n"
	for _, tc := range []struct {
		name, src, want string
	}{
		{"doubled letter", v2 + inc2 + "qreg q[2];\nhh q[0];", "t.qasm:4:1: unknown gate 'hh' (not declared; did you mean 'h'?)"},
		{"other tool's name", v2 + inc2 + "qreg q[2];\ncnot q[0], q[1];", "t.qasm:4:1: unknown gate 'cnot' (not declared; did you mean 'cx'?)"},
		{"toffoli", v2 + inc2 + "qreg q[3];\ntoffoli q[0], q[1], q[2];", "t.qasm:4:1: unknown gate 'toffoli' (not declared; did you mean 'ccx'?)"},
		{"case", v2 + inc2 + "qreg q[1];\nH q[0];", "t.qasm:4:1: unknown gate 'H' (not declared; did you mean 'h'?)"},
		{"without include", v2 + "qreg q[2];\ncnot q[0], q[1];", "t.qasm:3:1: unknown gate 'cnot' (not declared; did you mean 'cx' from include \"qelib1.inc\"?)"},
		{"user gate", v2 + "qreg q[1];\ngate mygate a { U(0,0,0) a; }\nmygte q[0];", "t.qasm:4:1: unknown gate 'mygte' (not declared; did you mean 'mygate'?)"},
		{"multi-controlled", v2 + inc2 + "qreg q[4];\nmcx q[0], q[1], q[2], q[3];", "t.qasm:4:1: unknown gate 'mcx' (not declared; missing include?)"},
		{"far from everything", v2 + inc2 + "qreg q[1];\nfrobnicate q[0];", "t.qasm:4:1: unknown gate 'frobnicate' (not declared; missing include?)"},
		{"v3 swapped letters", v3 + inc3 + "qubit[2] q;\nswpa q[0], q[1];", "t.qasm:4:1: unknown gate 'swpa' (not declared; did you mean 'swap'?)"},
		{"v3 without include", v3 + "qubit[2] q;\ncnot q[0], q[1];", "t.qasm:3:1: unknown gate 'cnot' (not declared; did you mean 'cx' from include \"stdgates.inc\"?)"},
		{"v3 far from everything", v3 + inc3 + "qubit[1] q;\nfrobnicate q[0];", "t.qasm:4:1: unknown gate 'frobnicate' (not declared)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			list := parseErr(t, tc.src, nil)
			if got := list[0].Error(); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// An unsupported OpenQASM 3 minor version is one error: the rest of the
// program is read as OpenQASM 3.0, not as 2.0 (which rejected its include
// of stdgates.inc and its qubit declarations with misleading errors).
func TestUnsupportedVersionDoesNotCascade(t *testing.T) {
	for _, src := range []string{
		"OPENQASM 3.2;\ninclude \"stdgates.inc\";\nqubit[2] q;\nh q[0];\ncx q[0], q[1];\n",
		"OPENQASM 4.0;\ninclude \"stdgates.inc\";\nqubit[2] q;\nh q[0];\n",
	} {
		list := parseErr(t, src, nil)
		if len(list) != 1 || !strings.Contains(list[0].Error(), "t.qasm:1:10: unsupported version OPENQASM") {
			t.Errorf("%q: errors\n%v\nwant one, the version's", src, list)
		}
	}
}
