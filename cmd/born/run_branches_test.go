package main

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// born run --print probs on a 14-qubit dynamic circuit (28 mid-circuit
// measurements of entangled qubits, about 2^28 branches) refuses after a
// count of a few random paths, where it used to walk 65536 branches first
// (about a minute). The test checks how it refused, not how fast: the
// message of the estimate only comes before the walk.
func TestRunProbsRefusesTooManyBranchesFirst(t *testing.T) {
	var b strings.Builder
	b.WriteString("OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[14] q;\nbit[14] c;\n")
	for range 2 {
		for i := range 14 {
			fmt.Fprintf(&b, "h q[%d];\n", i)
		}
		for i := range 13 {
			fmt.Fprintf(&b, "cx q[%d], q[%d];\n", i, i+1)
		}
		for i := range 14 {
			fmt.Fprintf(&b, "c[%d] = measure q[%d];\n", i, i)
		}
	}
	for i := range 14 {
		fmt.Fprintf(&b, "h q[%d];\n", i)
	}
	start := time.Now()
	_, _, err := runBorn(t, b.String(), "run", "-", "--print", "probs")
	if err == nil || !strings.Contains(err.Error(), "estimated from 8 random paths") || !strings.Contains(err.Error(), "more than 65536") {
		t.Fatalf("%v", err)
	}
	t.Logf("refused in %v: %v", time.Since(start), err)
}
