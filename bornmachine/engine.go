package bornmachine

import (
	"fmt"
	"math/rand/v2"

	"born/circuit"
	"born/statevector"
)

// Engine makes the quantum states a QCBM runs its circuit on. StateVector
// is the exact engine; a tensor-network engine plugs in by implementing
// Engine and State.
type Engine interface {
	// Name is the engine's name in settings and model files.
	Name() string
	// New returns the n-qubit state |0...0>, or an error (too large).
	New(n int) (State, error)
}

// State is what a QCBM needs from an engine's quantum state.
type State interface {
	// Apply applies the matrix m (package circuit's convention: bit j of
	// its index is targets[j]) where the controls have the values in
	// ctrlState.
	Apply(m circuit.Matrix, targets, controls []int, ctrlState uint64)
	// Probabilities returns |<x|psi>|^2 for every x (small n only).
	Probabilities() []float64
	// Probability returns |<x|psi>|^2 for one state x.
	Probability(x uint64) float64
	// Sample draws shots states from |<x|psi>|^2 using rng only.
	Sample(shots int, rng *rand.Rand) []uint64
	// Clone returns an independent copy.
	Clone() State
	// CopyFrom overwrites the state with src, a state of the same engine
	// and size.
	CopyFrom(src State)
}

// StateVector is the exact state-vector engine (package statevector).
var StateVector Engine = svEngine{}

// EngineByName returns the engine called name ("statevector").
func EngineByName(name string) (Engine, error) {
	switch name {
	case "", StateVector.Name():
		return StateVector, nil
	}
	return nil, fmt.Errorf("unknown engine %q: the QCBM runs on statevector", name)
}

type svEngine struct{}

func (svEngine) Name() string { return "statevector" }

func (svEngine) New(n int) (State, error) {
	s, err := statevector.New(n)
	if err != nil {
		return nil, err
	}
	return svState{s}, nil
}

// svState adapts *statevector.State to State.
type svState struct{ *statevector.State }

func (s svState) Clone() State { return svState{s.State.Clone()} }

func (s svState) CopyFrom(src State) { s.State.CopyFrom(src.(svState).State) }

func (s svState) Probability(x uint64) float64 {
	a := s.Amplitude(int(x))
	return real(a)*real(a) + imag(a)*imag(a)
}
