package transpile

import (
	"math"
	"strings"
	"testing"

	"born/circuit"
	"born/qasm"
)

// The independent route gives the analytic powers: x^(2^62) = I,
// s^(2^53-1) = diag(1, -i), h^(2^53-1) = h, h^(2^53+1) = I (that exponent
// is 2^53 in float64), and for a generic rotation rz(theta)^k = rz(k
// theta) (within k ulps).
func TestPowerIndependent(t *testing.T) {
	lib := circuit.StdGates
	h := lib["h"].MatrixFunc(nil)
	for _, tc := range []struct {
		m     circuit.Matrix
		k     float64
		want  circuit.Matrix
		exact bool
	}{
		{lib["x"].MatrixFunc(nil), 1 << 62, circuit.Identity(2), true},
		{lib["s"].MatrixFunc(nil), 1<<53 - 1, circuit.Diag(1, -1i), true},
		{h, 1<<53 + 1, circuit.Identity(2), true}, // 2^53+1 rounds to 2^53: even
		{h, 1<<53 - 1, h, true},
		{lib["rz"].MatrixFunc([]float64{0.37}), 1e6, lib["rz"].MatrixFunc([]float64{0.37e6}), false},
		{lib["cx"].MatrixFunc(nil), 4095, lib["cx"].MatrixFunc(nil), true},
	} {
		got, exact, ok := powerIndependent(tc.m, tc.k)
		if !ok || exact != tc.exact {
			t.Fatalf("k=%g: ok %v exact %v", tc.k, ok, exact)
		}
		if d := circuit.MaxDiff(got, tc.want); d > 1e-15*math.Max(1, math.Abs(tc.k)) {
			t.Errorf("k=%g: max diff %.3g", tc.k, d)
		}
	}
}

// CheckPowers confirms the lowering's powers, including those the lowering
// got wrong before (pow(2^62) @ x, pow(10^18) @ h) and user gates.
func TestCheckPowers(t *testing.T) {
	src := `OPENQASM 3.0;
include "stdgates.inc";
qubit[2] q;
gate hs a { h a; s a; }
pow(2**62) @ x q[0];
pow(1e18) @ h q[1];
pow(-(2**53 - 1)) @ t q[0];
pow(1000000000000000000) @ hs q[1];
ctrl @ pow(7) @ sx q[0], q[1];
pow(1000) @ U(0.3, 0.2, 0.1) q[0];
pow(3) @ cx q[0], q[1];
`
	c, _, err := qasm.Parse("p.qasm", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	n, err := CheckPowers(c)
	if err != nil {
		t.Fatal(err)
	}
	if n != 7 {
		t.Errorf("%d powers checked, want 7", n)
	}
}

// CheckPowers catches a lowering that gets a power wrong: one with a factor
// too many (pow(k) lowered as pow(k+1)) fails the check for a gate of
// finite order (x^(2^62+1) = x, not I) and for a generic one (U^1001).
func TestCheckPowersCatchesWrongLowering(t *testing.T) {
	defer func(f func(*circuit.Circuit) (circuit.Matrix, error)) { lowered = f }(lowered)
	lowered = func(c *circuit.Circuit) (circuit.Matrix, error) {
		m, err := c.Unitary(nil)
		if err != nil {
			return nil, err
		}
		bare := *c
		op := c.Ops[0]
		op.Mods = nil // the circuits here have only pow modifiers
		bare.Ops = []circuit.Op{op}
		g, err := bare.Unitary(nil)
		return circuit.MatMul(m, g), err
	}
	for _, src := range []string{"pow(2**62) @ x q[0];", "pow(1000) @ U(0.3, 0.2, 0.1) q[0];", "pow(3) @ cx q[0], q[1];"} {
		c, _, err := qasm.Parse("p.qasm", []byte("OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[2] q;\n"+src+"\n"), nil)
		if err != nil {
			t.Fatal(err)
		}
		n, err := CheckPowers(c)
		if n != 0 || err == nil || !strings.Contains(err.Error(), "away from its power computed from its eigenvalues; this is a bug in born") {
			t.Errorf("%s lowered with a factor too many: %d checked, error %v", src, n, err)
		}
	}
}
