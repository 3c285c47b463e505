package bornmachine

import (
	"path/filepath"
	"strings"
	"testing"
)

// The library speaks of its own settings (RunSpec's JSON names), never of
// the command line's flags; the CLI maps the names to flags.
func TestErrorsNameSettingsNotFlags(t *testing.T) {
	for _, c := range []struct {
		edit func(*RunSpec)
		want string
	}{
		{func(s *RunSpec) { s.LR = -1 }, "lr -1: the learning rate"},
		{func(s *RunSpec) { s.CheckpointEvery = 0 }, "checkpoint_every 0: need at least 1"},
		{func(s *RunSpec) { s.Tol = -1 }, "tol -1: must be"},
		{func(s *RunSpec) { s.Shots = 1 }, "shots 1: use 0 for exact"},
		{func(s *RunSpec) { s.Shots = 10; s.Grad = GradAdjoint }, "grad adjoint is exact and takes no shots; use grad shift with shots"},
		{func(s *RunSpec) { s.Optimizer = OptLBFGS; s.Shots = 10 }, "optimizer lbfgs needs exact gradients"},
		{func(s *RunSpec) { s.Optimizer = OptSweep }, "optimizer sweep is for tensor-network models (model mps:CHI)"},
		{func(s *RunSpec) { s.Model = "mps:2" }, "give a model or a circuit (ansatz or circuit), not both"},
		{func(s *RunSpec) { s.Sigmas = []float64{0} }, "sigmas: 0 is not"},
		{func(s *RunSpec) { s.Init = filepath.Join(t.TempDir(), "none.json") }, "init: open "},
		{func(s *RunSpec) { s.Circuit = "none.qasm"; s.Ansatz = "" }, "circuit: open none.qasm"},
		{func(s *RunSpec) { s.Circuit = "none.qasm"; s.Ansatz = ""; s.Init = InitMarginals }, "init marginals sets the layers of an ansatz"},
	} {
		s := DefaultRunSpec()
		c.edit(&s)
		_, err := NewRun(filepath.Join(t.TempDir(), "r"), s, "test")
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "--") {
			t.Errorf("error %v, want one containing %q and no flag", err, c.want)
		}
	}
}
