package flow

import (
	"testing"

	"born/dataset"
	"born/model"
)

// BenchmarkTrainStepBAS3x3 measures one loss-and-gradient evaluation (a
// training step) of a MADE with 16 hidden units on BAS 3x3: the NLL over
// the 14 patterns, or the MMD over all 512 states.
func BenchmarkTrainStepBAS3x3(b *testing.B) {
	data, err := dataset.ParseDataset("bas:3x3")
	if err != nil {
		b.Fatal(err)
	}
	for _, loss := range []string{dataset.LossNLL, dataset.LossMMD} {
		b.Run(loss, func(b *testing.B) {
			m, err := New(9, 16)
			if err != nil {
				b.Fatal(err)
			}
			if err := m.Init(1, data); err != nil {
				b.Fatal(err)
			}
			o, err := m.NewObjective(data, model.ObjectiveConfig{Loss: loss, Sigmas: []float64{0.5, 1, 2, 4}, Workers: 1})
			if err != nil {
				b.Fatal(err)
			}
			theta, grad := m.Params(), make([]float64, m.NumParams())
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if _, err := o.Eval(i+1, theta, grad); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
