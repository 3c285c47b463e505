package statevector_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"born/circuit"
	"born/statevector"
)

// gateCase is a random gate: a dense or diagonal matrix on targets under
// controls.
type gateCase struct {
	m                 circuit.Matrix
	targets, controls []int
	ctrlState         uint64
}

func randGate(rng *rand.Rand, n, k, c int, diag bool) gateCase {
	perm := rng.Perm(n)
	g := gateCase{targets: perm[:k], controls: perm[k : k+c], ctrlState: rng.Uint64N(1 << uint(c))}
	switch {
	case k == 0:
		g.m = circuit.Matrix{circuit.Expi(rng.Float64() * 6)}
	case diag:
		g.m = randDiag(rng, k)
	default:
		g.m = randMatrix(rng, k)
	}
	return g
}

// applyBoth applies g with the given kernels to copies of psi in both
// precisions.
func applyBoth(t *testing.T, psi []complex128, gates []gateCase, simd bool) (dbl, sgl []complex128) {
	t.Helper()
	defer statevector.SetSIMD(simd)()
	sd := mustState(t, psi)
	ss, err := statevector.FromAmplitudes32(psi)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range gates {
		sd.Apply(g.m, g.targets, g.controls, g.ctrlState)
		ss.Apply(g.m, g.targets, g.controls, g.ctrlState)
	}
	return sd.Amplitudes(), ss.Amplitudes()
}

// TestSIMDMatchesPortable compares every assembly kernel (the unrolled 1-
// and 2-qubit ones with high and low targets, the general k-qubit ones and
// the diagonal ones, with high and low controls) of every kernel set this
// CPU runs (AVX-512 and AVX2 on an AVX-512 machine) with the portable
// kernels and with circuit.ApplyRef, on random states and gates, in both
// precisions.
func TestSIMDMatchesPortable(t *testing.T) {
	if !statevector.HaveSIMD() {
		t.Skip("no assembly kernels for this CPU or architecture")
	}
	for _, name := range statevector.AvailableKernels() {
		if name == "portable" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			restore, err := statevector.SetKernels(name)
			if err != nil {
				t.Fatal(err)
			}
			defer restore()
			testKernelsAgree(t, true)
		})
	}
}

// TestPortableKernels checks the portable kernels in both precisions
// against circuit.ApplyRef (they are the only ones in a plain build).
func TestPortableKernels(t *testing.T) { testKernelsAgree(t, false) }

func testKernelsAgree(t *testing.T, simd bool) {
	for _, n := range []int{3, 4, 5, 7, 10} {
		for k := 0; k <= 6 && k <= n; k++ {
			for c := 0; c <= 3 && k+c <= n; c++ {
				for _, diag := range []bool{false, true} {
					if k == 0 && !diag {
						continue
					}
					name := fmt.Sprintf("n=%d/k=%d/c=%d/diag=%v", n, k, c, diag)
					t.Run(name, func(t *testing.T) {
						rng := rand.New(rand.NewPCG(uint64(n*100+k*10+c), 7))
						for trial := 0; trial < 6; trial++ {
							g := randGate(rng, n, k, c, diag)
							psi := randVec(rng, n)
							want := append([]complex128(nil), psi...)
							circuit.ApplyRef(want, g.m, g.targets, g.controls, g.ctrlState)
							gd, gs := applyBoth(t, psi, []gateCase{g}, simd)
							scale := 1.0
							if !diag && k > 0 {
								scale = float64(int(1) << uint(k)) // Gaussian entries: |m x| grows like 2^k/2
							}
							if d := maxDiff(gd, want); d > 1e-13*scale {
								t.Fatalf("double, trial %d %v on %v ctrl %v/%b: max diff %g", trial, k, g.targets, g.controls, g.ctrlState, d)
							}
							if d := maxDiff(gs, want); d > 2e-6*scale {
								t.Fatalf("single, trial %d %v on %v ctrl %v/%b: max diff %g", trial, k, g.targets, g.controls, g.ctrlState, d)
							}
							if simd {
								pd, ps := applyBoth(t, psi, []gateCase{g}, false)
								if d := maxDiff(gd, pd); d > 1e-13*scale {
									t.Fatalf("double SIMD vs portable: %g", d)
								}
								if d := maxDiff(gs, ps); d > 2e-6*scale {
									t.Fatalf("single SIMD vs portable: %g", d)
								}
							}
						}
					})
				}
			}
		}
	}
}

// TestSingleMatchesDouble runs random library circuits in both precisions,
// with every kernel set, and compares the final states to 1e-5.
func TestSingleMatchesDouble(t *testing.T) { forEachKernelSet(t, testSingleMatchesDouble) }

func testSingleMatchesDouble(t *testing.T) {
	for _, n := range []int{2, 5, 9, 12} {
		c := randomCircuitState(t, n, uint64(n))
		l, err := c.Lower()
		if err != nil {
			t.Fatal(err)
		}
		sd, _ := statevector.New(n)
		ss, _ := statevector.New32(n)
		for i := range l.Instrs {
			in := &l.Instrs[i]
			m := in.Matrix(nil)
			sd.Apply(m, in.Targets, in.Controls, in.CtrlState)
			ss.Apply(m, in.Targets, in.Controls, in.CtrlState)
		}
		if d := maxDiff(sd.Amplitudes(), ss.Amplitudes()); d > 1e-5 {
			t.Errorf("n=%d: single vs double max diff %g", n, d)
		}
	}
}

// TestHighTargetGates pins the placements that select the broadcast
// kernel for 3-qubit gates (every target above the lane bits, no low
// control: AVX-512) and its neighbours: high controls (fixed bits and
// their values), a low control and a low target (other kernels). Every
// kernel set, both precisions, against circuit.ApplyRef.
func TestHighTargetGates(t *testing.T) {
	forEachKernelSet(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(15, 3))
		const n = 11
		cases := []gateCase{
			{targets: []int{4, 7, 10}},
			{targets: []int{9, 5, 6}},
			{targets: []int{4, 8, 10}, controls: []int{6}, ctrlState: 1},
			{targets: []int{5, 9, 6}, controls: []int{10, 7}, ctrlState: 2},
			{targets: []int{4, 8, 10}, controls: []int{1}, ctrlState: 1},
			{targets: []int{2, 8, 10}},
		}
		for i, g := range cases {
			g.m = randMatrix(rng, 3)
			psi := randVec(rng, n)
			want := append([]complex128(nil), psi...)
			circuit.ApplyRef(want, g.m, g.targets, g.controls, g.ctrlState)
			gd, gs := applyBoth(t, psi, []gateCase{g}, statevector.KernelSet() != "portable")
			if d := maxDiff(gd, want); d > 1e-13*8 {
				t.Errorf("case %d (targets %v, controls %v/%b), double: max diff %g", i, g.targets, g.controls, g.ctrlState, d)
			}
			if d := maxDiff(gs, want); d > 2e-6*8 {
				t.Errorf("case %d (targets %v, controls %v/%b), single: max diff %g", i, g.targets, g.controls, g.ctrlState, d)
			}
		}
	})
}
