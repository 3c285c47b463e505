package sim_test

import (
	"slices"
	"testing"

	"born/circuit"
	"born/sim"
)

func TestTerminalMeasurements(t *testing.T) {
	h, x, cx, rz, cz := qe["h"], qe["x"], qe["cx"], qe["rz"], qe["cz"]
	tests := []struct {
		name    string
		c       *circuit.Circuit
		ok      bool
		qubitOf []int
	}{
		{"no measurement", circuit.New(2, 2).G(h, 0), true, []int{-1, -1}},
		{"measure all at end", circuit.New(2, 2).G(h, 0).G(cx, 0, 1).Measure([]int{0, 1}, []int{0, 1}), true, []int{0, 1}},
		{"crossed bits", circuit.New(2, 2).G(h, 0).Measure([]int{0, 1}, []int{1, 0}), true, []int{1, 0}},
		{"gate on another qubit after", measure(circuit.New(2, 1).G(h, 0), 0, 0).G(h, 1), true, []int{0}},
		{"measured qubit as control after", measure(circuit.New(2, 1).G(h, 0), 0, 0).G(cx, 0, 1), true, []int{0}},
		{"diagonal gate on measured qubit after", measure(circuit.New(2, 1).G(h, 0), 0, 0).GP(rz, []float64{1}, 0).G(cz, 1, 0), true, []int{0}},
		{"H on measured qubit after", measure(circuit.New(1, 1).G(h, 0), 0, 0).G(h, 0), false, nil},
		{"CX onto measured qubit after", measure(circuit.New(2, 1).G(h, 0), 0, 0).G(cx, 1, 0), false, nil},
		{"later measurement into the same bit wins", measure(measure(circuit.New(2, 1).G(h, 0), 0, 0), 1, 0), true, []int{1}},
		{"measure twice", measure(measure(circuit.New(1, 2).G(h, 0), 0, 0), 0, 1), true, []int{0, 0}},
		{"reset at start is a no-op", measure(circuit.New(1, 1).Reset(0).G(h, 0), 0, 0), true, []int{0}},
		{"reset after diagonal gate is a no-op", measure(circuit.New(1, 1).GP(rz, []float64{1}, 0).Reset(0).G(h, 0), 0, 0), true, []int{0}},
		{"reset after H", measure(circuit.New(1, 1).G(h, 0).Reset(0), 0, 0), false, nil},
		{"reset after measurement", measure(circuit.New(1, 1).G(h, 0), 0, 0).Reset(0), false, nil},
		{"reset after a conditional reset", measure(when(measure(circuit.New(1, 1).G(h, 0), 0, 0).Reset(0), []int{0}, 1).Reset(0), 0, 0), false, nil},
		{"reset after H, then again", measure(circuit.New(1, 1).G(h, 0).Reset(0).Reset(0), 0, 0), false, nil},
		{"conditional gate", when(measure(circuit.New(2, 1).G(h, 0), 0, 0).G(x, 1), []int{0}, 1), false, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			qubitOf, ok := sim.TerminalMeasurements(lower(t, tc.c))
			if ok != tc.ok || !slices.Equal(qubitOf, tc.qubitOf) {
				t.Errorf("TerminalMeasurements = %v, %v; want %v, %v", qubitOf, ok, tc.qubitOf, tc.ok)
			}
		})
	}
}
