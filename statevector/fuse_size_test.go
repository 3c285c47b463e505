package statevector_test

import (
	"math"
	"runtime"
	"testing"

	"born/circuit"
	"born/statevector"
)

// TestFuseLongRun compiles 2^13 gates on one qubit of two (found by
// sim's FuzzLowerSimulate2: nested gate definitions expanding to one long
// run): fusion copied a block's instruction list for every gate joining it,
// k^2/2 indices for a run of k (2^22 gates, the lowering's limit, never
// finished). Now it allocates a few bytes per gate, and the program still
// applies them all.
func TestFuseLongRun(t *testing.T) {
	const k = 1 << 13
	c := circuit.New(2, 0)
	for i := range k {
		c.Apply(qe["ry"], []circuit.Expr{circuit.Const(math.Pi / 2 * float64(1+i%2))}, 0)
	}
	c.G(qe["h"], 1)
	l, err := c.Lower()
	if err != nil {
		t.Fatal(err)
	}
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	p, err := statevector.Compile(l, 3)
	runtime.ReadMemStats(&m1)
	if err != nil {
		t.Fatal(err)
	}
	// 150 bytes per gate is generous; copying made it 16 KB per gate.
	if d := m1.TotalAlloc - m0.TotalAlloc; d > 150*k {
		t.Errorf("Compile allocated %d bytes for %d gates", d, k)
	}
	// ry(pi/2) ry(pi) repeated 2^12 times: ry(3 pi/2 * 2^12) = ry(6144 pi) = 1.
	amps := runProgram[float64](t, p, nil, 0).Amplitudes()
	for i, a := range amps {
		want := 0.0
		if i == 0 || i == 2 {
			want = 1 / math.Sqrt2
		}
		if math.Abs(real(a)-want) > 1e-9 || math.Abs(imag(a)) > 1e-9 {
			t.Fatalf("amplitude %d = %v, want %g", i, a, want)
		}
	}
}

// TestFuseIntoWideLowBlock: gates on the qubits of a block that is already
// wider than the low-qubit limit (a Toffoli on qubits 0-2, which the
// AVX-512 kernels' limit of 2 there cannot split) join it: one pass, not
// four. The state is checked against the gates applied one at a time.
func TestFuseIntoWideLowBlock(t *testing.T) {
	forEachKernelSet(t, func(t *testing.T) {
		c := circuit.New(6, 0)
		c.G(qe["h"], 1)
		c.G(qe["ccx"], 0, 1, 2)
		c.G(qe["h"], 0)
		c.G(qe["t"], 1)
		c.G(qe["sx"], 2)
		l, err := c.Lower()
		if err != nil {
			t.Fatal(err)
		}
		p, err := statevector.Compile(l, 3)
		if err != nil {
			t.Fatal(err)
		}
		if p.NumOps() != 1 {
			t.Errorf("%d gates on qubits 0-2 in %d blocks, want 1", p.NumGates(), p.NumOps())
		}
		want := gateByGate[float64](t, l, nil).Amplitudes()
		if d := maxDiff(runProgram[float64](t, p, nil, 0).Amplitudes(), want); d > 1e-12 {
			t.Errorf("max diff %g", d)
		}
	})
}
