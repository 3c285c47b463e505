package bornmachine

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"born/circuit"
	"born/dataset"
)

// plainEngine is the state-vector engine behind a wrapper that hides it,
// so that the program takes the engine-independent path (one Apply per
// block, Probabilities) instead of the prepared gates.
type plainEngine struct{}

func (plainEngine) Name() string { return "plain" }

func (plainEngine) New(n int) (State, error) {
	s, err := StateVector.New(n)
	if err != nil {
		return nil, err
	}
	return plainState{s}, nil
}

type plainState struct{ State }

func (s plainState) Clone() State       { return plainState{s.State.Clone()} }
func (s plainState) CopyFrom(src State) { s.State.CopyFrom(src.(plainState).State) }

// TestPreparedPathMatchesPlain: on the state vector, runs use gates
// prepared once per evaluation; they give the engine-independent path's
// probabilities bit for bit (same kernels), on random circuits of 2-4
// qubits and on the 9-qubit BAS 3x3 ansatz (CNOTs, high and low qubits).
// The adjoint gradient and the state-vector shift gradient agree with the
// engine-independent shift gradient (every shifted circuit's suffix run on
// its own, probabilities summed from the probability vector) to 1e-10 and
// 1e-12. (TestShiftSharingMatchesSeparateRuns compares with circuits
// built and run separately.)
func TestPreparedPathMatchesPlain(t *testing.T) {
	type tc struct {
		name string
		c    *circuit.Circuit
	}
	var cases []tc
	for trial := range 3 {
		rng := rand.New(rand.NewPCG(uint64(trial), 11))
		n := 2 + trial
		cases = append(cases, tc{fmt.Sprintf("random-%d", n), randomCircuit(rng, n, 4, 16)})
	}
	data, err := dataset.ParseDataset("bas:3x3")
	if err != nil {
		t.Fatal(err)
	}
	a, err := ParseAnsatz("qcbm:3", data.Bits, data)
	if err != nil {
		t.Fatal(err)
	}
	cases = append(cases, tc{"bas3x3-depth3", a.Circuit()})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pr, err := compile(c.c)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(3, 4))
			theta := make([]float64, pr.nsym)
			for i := range theta {
				theta[i] = rng.Float64() * 6
			}
			g := make([]float64, 1<<uint(pr.n))
			for i := range g {
				g[i] = rng.NormFloat64()
			}
			ev, err := pr.evaluate(theta)
			if err != nil {
				t.Fatal(err)
			}
			sv, _ := StateVector.New(pr.n)
			pl, _ := plainEngine{}.New(pr.n)
			pr.prepareSV(ev, nil)
			pr.apply(sv, ev, 0, len(pr.blocks))
			pr.apply(pl, ev, 0, len(pr.blocks))
			ps, pp := sv.Probabilities(), pl.Probabilities()
			for i := range ps {
				if ps[i] != pp[i] {
					t.Fatalf("p(%d): prepared %v, plain %v", i, ps[i], pp[i])
				}
			}
			// The adjoint gradient (bulk inner products; SIMD ones on a
			// state of more than one block in the SIMD build) agrees with
			// the shift rule.
			dvA, err := pr.adjointGrad(ev, sv.(svState).State, g)
			if err != nil {
				t.Fatal(err)
			}
			dvS, err := pr.shiftGrad(StateVector, ev, g, shiftOptions{workers: 1})
			if err != nil {
				t.Fatal(err)
			}
			dvP, err := pr.shiftGrad(plainEngine{}, ev, g, shiftOptions{workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			for i := range dvA {
				if d := math.Abs(dvA[i] - dvP[i]); d > 1e-10 {
					t.Fatalf("occurrence %d: adjoint %v, shift %v", i, dvA[i], dvP[i])
				}
				if d := math.Abs(dvS[i] - dvP[i]); d > 1e-12 {
					t.Fatalf("occurrence %d: state-vector shift %v, engine-independent shift %v", i, dvS[i], dvP[i])
				}
			}
		})
	}
}
