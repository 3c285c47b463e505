package main

import "testing"

// A program that declares no qubits runs on either engine with the same
// result: one outcome, the empty bitstring (or the classical bits, all 0),
// with probability 1; the MPS engine said "mps: need at least 1 qubit, got
// 0" (found by sim's FuzzLowerSimulate2 from the input ";").
func TestRunNoQubits(t *testing.T) {
	progs := []string{
		"OPENQASM 2.0;\n",
		"OPENQASM 2.0;\ncreg c[2];\n",
		"OPENQASM 3.0;\nbit[3] b;\ngphase(pi/3);\n",
	}
	for _, src := range progs {
		for _, out := range []string{"probs", "amps", "counts"} {
			sv, _, err := runBorn(t, src, "run", "-", "--format", "json", "--print", out, "--shots", "5")
			if err != nil {
				t.Fatalf("%q --print %s: %v", src, out, err)
			}
			m, _, err := runBorn(t, src, "run", "-", "--format", "json", "--print", out, "--shots", "5", "--engine", "mps")
			if err != nil {
				t.Fatalf("%q --print %s --engine mps: %v", src, out, err)
			}
			if m != sv {
				t.Errorf("%q --print %s: mps gives\n%s\nstatevector\n%s", src, out, m, sv)
			}
		}
	}
}
