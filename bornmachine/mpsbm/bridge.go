package mpsbm

import (
	"fmt"

	"born/bornmachine"
	"born/mps"
)

// FromQCBM returns the MPS Born machine of a QCBM's state: its circuit, at
// its current parameters, run on the MPS engine with bond cap bondDim (0:
// none, exact up to the cutoff) and relative cutoff (0: mps.DefaultCutoff).
// Without truncation the model's probabilities are the QCBM's. The stats
// report the largest bond and the discarded weight of the run. The model
// is complex; it trains with the training cutoff DefaultCutoff.
func FromQCBM(q *bornmachine.QCBM, bondDim int, cutoff float64) (*Model, mps.Stats, error) {
	eng, err := bornmachine.MPSEngine(bondDim, cutoff)
	if err != nil {
		return nil, mps.Stats{}, err
	}
	st, err := q.RunOn(eng)
	if err != nil {
		return nil, mps.Stats{}, err
	}
	s := bornmachine.MPSOf(st)
	if s == nil {
		return nil, mps.Stats{}, fmt.Errorf("mps: the engine did not return a matrix product state")
	}
	m, err := FromState(s, bondDim, 0)
	if err != nil {
		return nil, mps.Stats{}, err
	}
	return m, s.Stats(), nil
}
