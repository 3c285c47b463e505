package mpsbm

import (
	"context"
	"testing"

	"born/bornmachine"
	"born/dataset"
	"born/model"
)

// benchmarkSweep measures one training sweep (2(n-1) two-site updates) of
// a model already trained to its data's bond dimensions.
func benchmarkSweep(b *testing.B, data, spec string) {
	d := mustData(b, data)
	set := DefaultSettings()
	set.Sweeps = 5
	r, err := Train(context.Background(), spec, d, nil, set)
	if err != nil {
		b.Fatal(err)
	}
	cfg := bornmachine.TrainConfig{ObjectiveConfig: model.ObjectiveConfig{Loss: dataset.LossNLL}, LR: set.LR}
	m := r.Model
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := m.Sweep(i+1, d, cfg); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSweepBAS3x3Chi16(b *testing.B) { benchmarkSweep(b, "bas:3x3", "mps:16") }
func BenchmarkSweepBAS4x4Chi32(b *testing.B) { benchmarkSweep(b, "bas:4x4", "mps:32") }
func BenchmarkSweepGauss12Chi32(b *testing.B) {
	benchmarkSweep(b, "gauss:12", "mps:32")
}
