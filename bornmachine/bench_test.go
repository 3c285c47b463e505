package bornmachine

import (
	"testing"

	"born/dataset"
	"born/model"
)

// benchObjective returns the objective of the paper's BAS 3x3 setting:
// depth 10, Chow-Liu pairs, 279 parameters, sigmas 0.5,1,2,4.
func benchObjective(b *testing.B, grad string, shots int) (model.Objective, []float64) {
	b.Helper()
	data, err := dataset.ParseDataset("bas:3x3")
	if err != nil {
		b.Fatal(err)
	}
	a, err := ParseAnsatz("qcbm:10", data.Bits, data)
	if err != nil {
		b.Fatal(err)
	}
	m, err := NewAnsatzQCBM(a, nil)
	if err != nil {
		b.Fatal(err)
	}
	if m.NumParams() != 279 {
		b.Fatalf("%d parameters, want 279", m.NumParams())
	}
	m.RandomizeParams(1)
	obj, err := m.Objective(data, model.ObjectiveConfig{Loss: dataset.LossMMD, Sigmas: []float64{0.5, 1, 2, 4}, Grad: grad, Shots: shots, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	return obj, m.Params()
}

// BenchmarkStepBAS3x3 measures one loss-and-gradient evaluation (the cost
// of a training step) for BAS 3x3 at depth 10: 279 parameters, 558 shifted
// circuits. The reference Python code needs 1.75 s of CPU for the shift
// gradient and a vectorised numpy adjoint 14 ms; the goals are 17 ms
// (shift, 2 cores) and 1 ms (adjoint).
//
//   - shift: the default shift gradient (prefix and suffix of the shifted
//     circuits shared, see svShift);
//   - shift-prefix: only the prefix shared, every shifted circuit's suffix
//     run on its own;
//   - adjoint: the adjoint gradient;
//   - shift-shots1000, shift-prefix-shots1000: the same with every loss
//     and shifted circuit sampled 1000 times.
//
// Workers are GOMAXPROCS (-cpu sets it). Besides the wall time, each
// reports cpu-ns/op, the process's CPU time per step (all threads): on a
// shared machine it varies less with the load than the wall time does.
func BenchmarkStepBAS3x3(b *testing.B) {
	for _, bc := range []struct {
		name   string
		grad   string
		shots  int
		prefix bool
	}{
		{"shift", GradShift, 0, false},
		{"shift-prefix", GradShift, 0, true},
		{"adjoint", GradAdjoint, 0, false},
		{"shift-shots1000", GradShift, 1000, false},
		{"shift-prefix-shots1000", GradShift, 1000, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			obj, theta := benchObjective(b, bc.grad, bc.shots)
			if bc.prefix {
				o := obj.(*qcbmObjective)
				s := newSVShift(o.m.prog, 0)
				s.rank = false
				o.sv.Store(s)
			}
			grad := make([]float64, len(theta))
			cpu0, ok := processCPU()
			n := 0
			for i := 0; b.Loop(); i++ {
				if _, err := obj.Eval(i+1, theta, grad); err != nil {
					b.Fatal(err)
				}
				n++
			}
			if cpu1, ok1 := processCPU(); ok && ok1 && n > 0 {
				b.ReportMetric(float64(cpu1-cpu0)/float64(n), "cpu-ns/op")
			}
		})
	}
}
