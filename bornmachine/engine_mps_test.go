package bornmachine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"born/dataset"
	"born/model"
	"born/mps"
)

// TestMPSEngineMatchesStateVector runs QCBMs on random circuits of 2 to 8
// qubits, with gates between arbitrary pairs, controlled and modified
// gates, on the MPS engine without a bond cap and on the state vector: the
// probabilities, losses and parameter-shift gradients agree to 1e-10, for
// every loss.
func TestMPSEngineMatchesStateVector(t *testing.T) {
	eng, err := MPSEngine(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	trials := 6
	if testing.Short() {
		trials = 3
	}
	for trial := range trials {
		for _, loss := range []string{dataset.LossMMD, dataset.LossKL, dataset.LossNLL} {
			t.Run(fmt.Sprintf("%d-%s", trial, loss), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(uint64(trial), 11))
				n := 2 + trial
				nsym := 3 + rng.IntN(4)
				c := randomCircuit(rng, n, nsym, 6*n)
				sv, err := NewQCBM(c, nil)
				if err != nil {
					t.Fatal(err)
				}
				mp, err := NewQCBM(c, eng)
				if err != nil {
					t.Fatal(err)
				}
				theta := make([]float64, nsym)
				for i := range theta {
					theta[i] = rng.Float64()*4 - 2
				}
				for _, m := range []*QCBM{sv, mp} {
					if err := m.SetParams(theta); err != nil {
						t.Fatal(err)
					}
				}
				ps, _ := sv.Probabilities()
				pm, _ := mp.Probabilities()
				for x := range ps {
					if math.Abs(ps[x]-pm[x]) > 1e-10 {
						t.Fatalf("p(%d): statevector %g, mps %g", x, ps[x], pm[x])
					}
					lp, err := mp.LogProb(uint64(x))
					if err != nil || (ps[x] > 1e-6 && math.Abs(lp-math.Log(ps[x])) > 1e-8) {
						t.Fatalf("ln p(%d): mps %g (%v), statevector %g", x, lp, err, math.Log(ps[x]))
					}
				}
				data := randomData(rng, n, dataset.Hamming)
				cfg := model.ObjectiveConfig{Loss: loss, Sigmas: []float64{0.5, 1, 2, 4}, Grad: GradShift, Workers: 2}
				osv, err := sv.Objective(data, cfg)
				if err != nil {
					t.Fatal(err)
				}
				om, err := mp.Objective(data, cfg)
				if err != nil {
					t.Fatal(err)
				}
				gs, gm := make([]float64, nsym), make([]float64, nsym)
				es, err := osv.Eval(1, theta, gs)
				if err != nil {
					t.Fatal(err)
				}
				em, err := om.Eval(1, theta, gm)
				if err != nil {
					t.Fatal(err)
				}
				if math.Abs(es.Loss-em.Loss) > 1e-10 {
					t.Fatalf("loss: statevector %.15g, mps %.15g", es.Loss, em.Loss)
				}
				for i := range gs {
					if math.Abs(gs[i]-gm[i]) > 1e-10 {
						t.Fatalf("dL/dtheta_%d: statevector %.15g, mps %.15g", i, gs[i], gm[i])
					}
				}
				// The adjoint gradient needs the state vector.
				cfg.Grad = GradAdjoint
				if _, err := mp.Objective(data, cfg); err == nil || !strings.Contains(err.Error(), "statevector") {
					t.Fatalf("adjoint on mps: %v", err)
				}
			})
		}
	}
}

// TestMPSEngineSamplingAndTruncation: exact sampling of a QCBM on the MPS
// engine follows the state vector's probabilities, and a bond cap makes
// the engine truncate (its state is then the capped MPS).
func TestMPSEngineSamplingAndTruncation(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	const n = 6
	c := randomCircuit(rng, n, 4, 40)
	capped, err := MPSEngine(2, 0)
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewQCBM(c, capped)
	if err != nil {
		t.Fatal(err)
	}
	m.RandomizeParams(1)
	st, err := m.RunOn(nil)
	if err != nil {
		t.Fatal(err)
	}
	s := MPSOf(st)
	if s == nil {
		t.Fatal("MPSOf of an MPS engine's state is nil")
	}
	if s.MaxBond() > 2 || !(s.DiscardedWeight() > 0) {
		t.Fatalf("bond cap 2: max bond %d, discarded weight %g", s.MaxBond(), s.DiscardedWeight())
	}
	svst, _ := m.RunOn(StateVector)
	if MPSOf(svst) != nil {
		t.Fatal("MPSOf of a state vector is not nil")
	}
	// Sampling: the frequencies of 20000 shots are within 5 sigma.
	p, _ := m.Probabilities()
	xs, err := m.Sample(20000, 9)
	if err != nil {
		t.Fatal(err)
	}
	counts := make([]float64, len(p))
	for _, x := range xs {
		counts[x]++
	}
	for x := range p {
		f := counts[x] / 20000
		if sd := math.Sqrt(p[x]*(1-p[x])/20000) + 1e-4; math.Abs(f-p[x]) > 5*sd {
			t.Fatalf("p(%d) = %.4f, frequency %.4f", x, p[x], f)
		}
	}
}

func TestEngineByName(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		chi        int
		cutoff     float64
	}{
		{"", "statevector", 0, 0},
		{"sv", "statevector", 0, 0},
		{"statevector", "statevector", 0, 0},
		{"mps", "mps", 0, mps.DefaultCutoff},
		{"mps:16", "mps:16", 16, mps.DefaultCutoff},
		{"mps:0:1e-10", "mps:0:1e-10", 0, 1e-10},
		{"mps:8:1e-12", "mps:8", 8, mps.DefaultCutoff},
	} {
		e, err := EngineByName(tc.name)
		if err != nil {
			t.Fatalf("%q: %v", tc.name, err)
		}
		if e.Name() != tc.want {
			t.Errorf("%q: name %q, want %q", tc.name, e.Name(), tc.want)
		}
		if tc.want == "statevector" {
			continue
		}
		st, err := e.New(4)
		if err != nil {
			t.Fatal(err)
		}
		s := MPSOf(st)
		if s.MaxBondCap() != tc.chi || s.Cutoff() != tc.cutoff {
			t.Errorf("%q: cap %d cutoff %g", tc.name, s.MaxBondCap(), s.Cutoff())
		}
	}
	for _, bad := range []string{"gpu", "mpsx", "mps:", "mps:x", "mps:-1", "mps:4:abc", "mps:4:-1", "mps:4:NaN", "mps:1:2:3"} {
		if _, err := EngineByName(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// A QCBM on the MPS engine saves its engine and reads back with it.
func TestQCBMOnMPSRoundTrip(t *testing.T) {
	data, _ := dataset.BarsAndStripes(2, 3)
	a, err := ParseAnsatz("qcbm:3", data.Bits, data)
	if err != nil {
		t.Fatal(err)
	}
	eng, _ := EngineByName("mps:8")
	m, err := NewAnsatzQCBM(a, eng)
	if err != nil {
		t.Fatal(err)
	}
	m.RandomizeParams(4)
	mf, err := NewModelFile(m)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(mf)
	_, back, err := DecodeModelFile(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if got := back.(*QCBM).Engine().Name(); got != "mps:8" {
		t.Fatalf("engine %q after reading back", got)
	}
	p, _ := m.Probabilities()
	q, _ := back.Probabilities()
	for x := range p {
		if p[x] != q[x] {
			t.Fatalf("p(%d) %g, read back %g", x, p[x], q[x])
		}
	}
}
