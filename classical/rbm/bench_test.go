package rbm

import (
	"testing"

	"born/dataset"
	"born/model"
)

// BenchmarkTrainStepBAS3x3 measures one exact loss-and-gradient
// evaluation (a training step) of an RBM with 16 hidden units on BAS 3x3:
// 512 visible states enumerated.
func BenchmarkTrainStepBAS3x3(b *testing.B) {
	data, err := dataset.ParseDataset("bas:3x3")
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name   string
		hidden int
		grad   string
	}{
		{"exact/16hidden", 16, GradExact},
		{"exact/8hidden", 8, GradExact}, // hidden layer enumerated: 256 states
		{"pcd1/16hidden", 16, GradPCD},
	} {
		b.Run(bc.name, func(b *testing.B) {
			m, err := New(9, bc.hidden)
			if err != nil {
				b.Fatal(err)
			}
			if err := m.Init(1, 0.1, data); err != nil {
				b.Fatal(err)
			}
			o, err := m.NewObjective(data, model.ObjectiveConfig{Loss: dataset.LossNLL, Grad: bc.grad, Workers: 1})
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
