package statevector_test

import (
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"born/circuit"
	"born/statevector"
)

// TestGateMatchesApply: a prepared Gate gives what Apply gives, bit for
// bit, for every kind of gate (X included, which has a permutation kernel),
// in both precisions and with both kernel sets; Set reuses a Gate for
// another gate, and the zero Gate is the identity.
func TestGateMatchesApply(t *testing.T) {
	for _, simd := range []bool{false, true} {
		if simd && !statevector.HaveSIMD() {
			continue
		}
		restore := statevector.SetSIMD(simd)
		var g64 statevector.Gate[float64]
		var g32 statevector.Gate[float32]
		for _, n := range []int{1, 2, 3, 4, 6, 9} {
			rng := rand.New(rand.NewPCG(uint64(n), 5))
			for k := 0; k <= 3 && k <= n; k++ {
				for c := 0; c <= 2 && k+c <= n; c++ {
					for trial := range 8 {
						diag := trial%3 == 1
						if k == 0 && !diag {
							continue
						}
						gc := randGate(rng, n, k, c, diag)
						if k == 1 && trial%3 == 2 {
							gc.m = circuit.Matrix{0, 1, 1, 0}
						}
						psi := randVec(rng, n)
						a, b := mustState(t, psi), mustState(t, psi)
						a.Apply(gc.m, gc.targets, gc.controls, gc.ctrlState)
						g64.Set(n, gc.m, gc.targets, gc.controls, gc.ctrlState)
						b.ApplyGate(&g64)
						if d := maxDiff(a.Amplitudes(), b.Amplitudes()); d != 0 {
							t.Fatalf("simd=%v n=%d %v ctrl %v: Gate differs from Apply by %g", simd, n, gc.targets, gc.controls, d)
						}
						a32, _ := statevector.FromAmplitudes32(psi)
						b32, _ := statevector.FromAmplitudes32(psi)
						a32.Apply(gc.m, gc.targets, gc.controls, gc.ctrlState)
						g32.Set(n, gc.m, gc.targets, gc.controls, gc.ctrlState)
						b32.ApplyGate(&g32)
						if d := maxDiff(a32.Amplitudes(), b32.Amplitudes()); d != 0 {
							t.Fatalf("single simd=%v n=%d: Gate differs from Apply by %g", simd, n, d)
						}
						want := append([]complex128(nil), psi...)
						circuit.ApplyRef(want, gc.m, gc.targets, gc.controls, gc.ctrlState)
						if d := maxDiff(b.Amplitudes(), want); d > 1e-12 {
							t.Fatalf("simd=%v n=%d: Gate differs from the reference by %g", simd, n, d)
						}
					}
				}
			}
		}
		restore()
	}
	st, _ := statevector.New(3)
	var zero statevector.Gate[float64]
	st.ApplyGate(&zero)
	if st.Amplitude(0) != 1 {
		t.Error("the zero Gate changed the state")
	}
}

// TestGateSharedAcrossGoroutines applies one prepared gate to many states
// at once (run with -race).
func TestGateSharedAcrossGoroutines(t *testing.T) {
	g := statevector.NewGate[float64](8, circuit.MatU(0.3, 0.2, 0.1), []int{5}, []int{1}, 1)
	done := make(chan []complex128, 4)
	for range 4 {
		go func() {
			st, _ := statevector.New(8)
			st.Apply(circuit.MatU(1, 2, 3), []int{1}, nil, 0)
			for range 10 {
				st.ApplyGate(g)
			}
			done <- st.Amplitudes()
		}()
	}
	first := <-done
	for range 3 {
		if d := maxDiff(first, <-done); d != 0 {
			t.Fatalf("results differ by %g", d)
		}
	}
}

func TestGatePanics(t *testing.T) {
	for name, f := range map[string]func(){
		"size":  func() { statevector.NewGate[float64](3, circuit.Matrix{1, 0, 0}, []int{0}, nil, 0) },
		"range": func() { statevector.NewGate[float64](3, circuit.Matrix{0, 1, 1, 0}, []int{3}, nil, 0) },
		"twice": func() { statevector.NewGate[float64](3, circuit.Matrix{0, 1, 1, 0}, []int{1}, []int{1}, 0) },
		"mismatch": func() {
			s, _ := statevector.New(4)
			s.ApplyGate(statevector.NewGate[float64](3, circuit.Matrix{0, 1, 1, 0}, []int{1}, nil, 0))
		},
		// A gate with no effect (a diagonal of ones) is still checked.
		"mismatch identity": func() {
			s, _ := statevector.New(4)
			s.ApplyGate(statevector.NewGate[float64](3, circuit.Matrix{1, 0, 0, 1}, []int{1}, nil, 0))
		},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f()
		})
	}
}

// TestBulkReads checks ExpectDiag (bit for bit against the sum over
// Probabilities), ScaleReal, Inner and PartialInner against direct sums
// over the amplitudes, in both precisions.
func TestBulkReads(t *testing.T) {
	for _, n := range []int{1, 2, 3, 4, 5, 8} {
		rng := rand.New(rand.NewPCG(uint64(n), 9))
		psi, phi := randVec(rng, n), randVec(rng, n)
		w := make([]float64, 1<<uint(n))
		for i := range w {
			w[i] = rng.NormFloat64()
		}
		for _, prec := range []string{"double", "single"} {
			t.Run(fmt.Sprintf("%s/n=%d", prec, n), func(t *testing.T) {
				type vec interface {
					Amplitudes() []complex128
					Probabilities() []float64
					ExpectDiag([]float64) float64
					ScaleReal([]float64)
				}
				var a, b vec
				var inner func() complex128
				var partial func(targets, controls []int, cs uint64) []complex128
				tol := 1e-12
				if prec == "double" {
					x, _ := statevector.FromAmplitudes(psi)
					y, _ := statevector.FromAmplitudes(phi)
					a, b = x, y
					inner = func() complex128 { return x.Inner(y) }
					partial = func(tg, c []int, cs uint64) []complex128 { return x.PartialInner(nil, y, tg, c, cs) }
				} else {
					x, _ := statevector.FromAmplitudes32(psi)
					y, _ := statevector.FromAmplitudes32(phi)
					a, b = x, y
					inner = func() complex128 { return x.Inner(y) }
					partial = func(tg, c []int, cs uint64) []complex128 { return x.PartialInner(nil, y, tg, c, cs) }
					tol = 1e-5
				}
				var want float64
				for x, p := range a.Probabilities() {
					want += w[x] * p
				}
				if got := a.ExpectDiag(w); got != want {
					t.Errorf("ExpectDiag %v, want %v", got, want)
				}
				av, bv := a.Amplitudes(), b.Amplitudes()
				var ip complex128
				for i := range av {
					ip += cmplx.Conj(av[i]) * bv[i]
				}
				if d := cmplx.Abs(inner() - ip); d > tol {
					t.Errorf("Inner off by %g", d)
				}
				for trial := range 12 {
					k := 1 + trial%min(3, n)
					c := min(trial%3, n-k)
					perm := rng.Perm(n)
					tg, ctl := perm[:k], perm[k:k+c]
					cs := rng.Uint64N(1 << uint(c))
					got := partial(tg, ctl, cs)
					// Check through the identity sum_ab M[a][b] R[a][b] =
					// <a| controlled-M |b> on the controlled subspace, with
					// a random M.
					m := randMatrix(rng, k)
					var s complex128
					for e := range m {
						s += m[e] * got[e]
					}
					ref := append([]complex128(nil), bv...)
					circuit.ApplyRef(ref, m, tg, ctl, cs)
					var want complex128
					for i := range av {
						if !controlsHold(i, ctl, cs) {
							continue
						}
						want += cmplx.Conj(av[i]) * ref[i]
					}
					if d := cmplx.Abs(s - want); d > tol*10 {
						t.Fatalf("PartialInner %v ctrl %v/%b: off by %g", tg, ctl, cs, d)
					}
				}
				a.ScaleReal(w)
				for i, v := range a.Amplitudes() {
					if d := cmplx.Abs(v - av[i]*complex(w[i], 0)); d > tol*math.Abs(w[i])+1e-300 {
						t.Fatalf("ScaleReal amplitude %d off by %g", i, d)
					}
				}
			})
		}
	}
}

func controlsHold(i int, controls []int, cs uint64) bool {
	for j, c := range controls {
		if (i>>uint(c)&1 == 1) != (cs>>uint(j)&1 == 1) {
			return false
		}
	}
	return true
}

// TestRunLowered: a whole circuit run with RunLowered (fused to the
// default limit) matches the gates applied one at a time, in both
// precisions; circuits that are not pure or of another size are refused.
func TestRunLowered(t *testing.T) {
	for _, n := range []int{1, 3, 7, 11} {
		c := randomParamCircuit(n, 40, uint64(n))
		l, err := c.Lower()
		if err != nil {
			t.Fatal(err)
		}
		vals := []float64{0.3, -1.2, 2.5}
		want := gateByGate[float64](t, l, vals).Amplitudes()
		sd, _ := statevector.New(n)
		if err := sd.RunLowered(l, vals); err != nil {
			t.Fatal(err)
		}
		if d := maxDiff(sd.Amplitudes(), want); d > 1e-12 {
			t.Errorf("n=%d double: differs by %g", n, d)
		}
		ss, _ := statevector.New32(n)
		if err := ss.RunLowered(l, vals); err != nil {
			t.Fatal(err)
		}
		if d := maxDiff(ss.Amplitudes(), want); d > 1e-5 {
			t.Errorf("n=%d single: differs by %g", n, d)
		}
		other, _ := statevector.New(n + 1)
		if err := other.RunLowered(l, vals); err == nil {
			t.Errorf("n=%d: no error for a state of %d qubits", n, n+1)
		}
	}
	c := circuit.New(2, 1)
	c.G(qe["h"], 0).Measure([]int{0}, []int{0})
	l, _ := c.Lower()
	s, _ := statevector.New(2)
	if err := s.RunLowered(l, nil); err == nil {
		t.Error("no error for a measured circuit")
	}
}
