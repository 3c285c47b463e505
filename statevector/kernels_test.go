package statevector_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"born/circuit"
	"born/statevector"
)

// TestApplyMatchesReference checks every kernel (phase, 1-qubit, 2-qubit,
// k-qubit dense and diagonal, with and without controls) against
// circuit.ApplyRef on random states, random qubit placements and random
// control states (zeros included).
func TestApplyMatchesReference(t *testing.T) {
	const n = 8
	type kind int
	const (
		dense kind = iota
		diagonal
	)
	type applyCase struct {
		targets, controls int
		kind              kind
	}
	var tests []applyCase
	for k := 0; k <= 4; k++ {
		for c := 0; c <= 3; c++ {
			tests = append(tests, applyCase{k, c, dense})
			if k > 0 {
				tests = append(tests, applyCase{k, c, diagonal})
			}
		}
	}
	for _, tc := range tests {
		name := fmt.Sprintf("k=%d/c=%d/%s", tc.targets, tc.controls, map[kind]string{dense: "dense", diagonal: "diag"}[tc.kind])
		t.Run(name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(tc.targets), uint64(tc.controls)*7+uint64(tc.kind)))
			for trial := 0; trial < 20; trial++ {
				perm := rng.Perm(n)
				targets := perm[:tc.targets]
				controls := perm[tc.targets : tc.targets+tc.controls]
				ctrlState := rng.Uint64N(1 << uint(tc.controls))
				var m circuit.Matrix
				switch {
				case tc.targets == 0:
					m = circuit.Matrix{circuit.Expi(rng.Float64() * 6)}
				case tc.kind == diagonal:
					m = randDiag(rng, tc.targets)
					if trial%3 == 1 { // exercise the skipping of unit factors
						m[0] = 1
					}
					if trial%3 == 2 {
						m[len(m)-1] = 1
					}
				default:
					m = randMatrix(rng, tc.targets)
				}
				psi := randVec(rng, n)
				want := append([]complex128(nil), psi...)
				circuit.ApplyRef(want, m, targets, controls, ctrlState)
				st := mustState(t, psi)
				st.Apply(m, targets, controls, ctrlState)
				if d := maxDiff(st.Amplitudes(), want); d > 1e-12 {
					t.Fatalf("trial %d: targets %v controls %v state %b: max diff %g", trial, targets, controls, ctrlState, d)
				}
			}
		})
	}
}

// TestApplySpecialDiagonals covers 1-qubit diagonals with unit entries
// (P, Z, RZ-like) and the identity, which take dedicated paths.
func TestApplySpecialDiagonals(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	tests := []struct {
		name string
		m    circuit.Matrix
	}{
		{"identity", circuit.Matrix{1, 0, 0, 1}},
		{"p", circuit.MatP(0.7)},
		{"z", circuit.Matrix{1, 0, 0, -1}},
		{"d0 only", circuit.Diag(1i, 1)},
		{"rz", circuit.MatRZ(1.3)},
	}
	for _, tc := range tests {
		for _, controls := range [][]int{nil, {3}, {0, 4}} {
			for cs := uint64(0); cs < 1<<uint(len(controls)); cs++ {
				psi := randVec(rng, 5)
				want := append([]complex128(nil), psi...)
				circuit.ApplyRef(want, tc.m, []int{2}, controls, cs)
				st := mustState(t, psi)
				st.Apply(tc.m, []int{2}, controls, cs)
				if d := maxDiff(st.Amplitudes(), want); d > 1e-13 {
					t.Errorf("%s controls %v state %b: max diff %g", tc.name, controls, cs, d)
				}
			}
		}
	}
}

// TestApplyReusesScratch applies gates of shrinking and growing arity to
// one state, so stale scratch would show.
func TestApplyReusesScratch(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	psi := randVec(rng, 7)
	want := append([]complex128(nil), psi...)
	st := mustState(t, psi)
	for _, k := range []int{4, 3, 2, 3, 1, 4, 3} {
		targets := rng.Perm(7)[:k]
		var m circuit.Matrix
		if k%2 == 1 {
			m = randDiag(rng, k)
		} else {
			m = randMatrix(rng, k)
		}
		circuit.ApplyRef(want, m, targets, nil, 0)
		st.Apply(m, targets, nil, 0)
	}
	if d := maxDiff(st.Amplitudes(), want); d > 1e-10 {
		t.Fatalf("max diff %g", d)
	}
}

func TestApplyPanics(t *testing.T) {
	tests := []struct {
		name              string
		m                 circuit.Matrix
		targets, controls []int
	}{
		{"qubit out of range", circuit.Matrix{0, 1, 1, 0}, []int{3}, nil},
		{"negative qubit", circuit.Matrix{0, 1, 1, 0}, []int{-1}, nil},
		{"control out of range", circuit.Matrix{0, 1, 1, 0}, []int{0}, []int{5}},
		{"target twice", circuit.Identity(4), []int{1, 1}, nil},
		{"control is target", circuit.Matrix{0, 1, 1, 0}, []int{1}, []int{1}},
		{"matrix too small", circuit.Matrix{0, 1, 1, 0}, []int{0, 1}, nil},
		{"phase with a matrix", circuit.Matrix{0, 1, 1, 0}, nil, []int{0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, err := statevector.New(3)
			if err != nil {
				t.Fatal(err)
			}
			defer func() {
				if recover() == nil {
					t.Errorf("Apply did not panic")
				}
			}()
			st.Apply(tc.m, tc.targets, tc.controls, 0)
		})
	}
}

// TestLibraryGatesMatchUnitary runs random circuits over every qelib1 and
// stdgates gate and compares the state with the first column of
// circuit.Unitary (built with the reference kernel).
func TestLibraryGatesMatchUnitary(t *testing.T) {
	for _, lib := range []struct {
		name  string
		cat   circuit.Catalog
		order []string
	}{{"qelib1", circuit.QELib1Gates, circuit.QELib1Order}, {"stdgates", circuit.StdGates, circuit.StdGatesOrder}} {
		t.Run(lib.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(11, uint64(len(lib.order))))
			const n = 6
			for trial := 0; trial < 5; trial++ {
				c := circuit.New(n, 0)
				for i := 0; i < 3*len(lib.order); i++ {
					g := lib.cat[lib.order[rng.IntN(len(lib.order))]]
					ps := make([]float64, len(g.Params))
					for j := range ps {
						ps[j] = (rng.Float64() - 0.5) * 8
					}
					c.GP(g, ps, rng.Perm(n)[:g.NumQubits()]...)
				}
				u, err := c.Unitary(nil)
				if err != nil {
					t.Fatal(err)
				}
				d := 1 << n
				want := make([]complex128, d)
				for i := range want {
					want[i] = u[i*d]
				}
				if diff := maxDiff(evolve(t, c).Amplitudes(), want); diff > 1e-12 {
					t.Fatalf("trial %d: max diff %g", trial, diff)
				}
			}
		})
	}
}

// TestApplyDoesNotAllocate: gates of every arity run without allocating
// once the scratch space has grown.
func TestApplyDoesNotAllocate(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 3))
	st := mustState(t, randVec(rng, 8))
	tests := []struct {
		name              string
		m                 circuit.Matrix
		targets, controls []int
	}{
		{"phase", circuit.Matrix{1i}, nil, []int{2}},
		{"1q", randMatrix(rng, 1), []int{3}, nil},
		{"controlled 1q", randMatrix(rng, 1), []int{3}, []int{0, 7}},
		{"diag 1q", randDiag(rng, 1), []int{5}, []int{1}},
		{"2q", randMatrix(rng, 2), []int{6, 1}, []int{2}},
		{"diag 2q", randDiag(rng, 2), []int{6, 1}, nil},
		{"3q", randMatrix(rng, 3), []int{0, 4, 2}, []int{7}},
		{"diag 4q", randDiag(rng, 4), []int{0, 4, 2, 1}, nil},
	}
	for _, tc := range tests {
		st.Apply(tc.m, tc.targets, tc.controls, 1) // grow the scratch
		if a := testing.AllocsPerRun(10, func() { st.Apply(tc.m, tc.targets, tc.controls, 1) }); a != 0 {
			t.Errorf("%s: %v allocations per gate", tc.name, a)
		}
	}
}

// TestPartialInnerDoesNotAllocate: into a grown dst, the general path
// (controls, several targets) keeps its scratch off the heap.
func TestPartialInnerDoesNotAllocate(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	a, b := mustState(t, randVec(rng, 8)), mustState(t, randVec(rng, 8))
	targets, controls := []int{1, 5, 2}, []int{7}
	dst := a.PartialInner(nil, b, targets, controls, 1)
	if n := testing.AllocsPerRun(10, func() { dst = a.PartialInner(dst, b, targets, controls, 1) }); n != 0 {
		t.Errorf("%v allocations per call", n)
	}
}
