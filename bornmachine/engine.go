package bornmachine

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	"born/circuit"
	"born/mps"
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

// EngineByName returns the engine called name: "statevector" (or "sv"),
// or the matrix-product-state engine as "mps" (no bond cap), "mps:CHI" (bond
// cap CHI) or "mps:CHI:CUTOFF" (CHI 0 for no cap), the names MPSEngine's
// engines report.
func EngineByName(name string) (Engine, error) {
	switch name {
	case "", "sv", StateVector.Name():
		return StateVector, nil
	}
	if rest, ok := strings.CutPrefix(name, "mps"); ok && (rest == "" || rest[0] == ':') {
		var chi int
		var cutoff float64
		if rest != "" {
			parts := strings.Split(rest[1:], ":")
			var err error
			if len(parts) > 2 {
				return nil, fmt.Errorf("engine %q: use mps, mps:CHI or mps:CHI:CUTOFF", name)
			}
			if chi, err = strconv.Atoi(parts[0]); err != nil {
				return nil, fmt.Errorf("engine %q: the bond dimension must be a whole number, as in mps:32", name)
			}
			if len(parts) == 2 {
				if cutoff, err = strconv.ParseFloat(parts[1], 64); err != nil {
					return nil, fmt.Errorf("engine %q: the cutoff must be a number, as in mps:32:1e-10", name)
				}
			}
		}
		return MPSEngine(chi, cutoff)
	}
	return nil, fmt.Errorf("unknown engine %q: use statevector, mps or mps:CHI", name)
}

// MPSEngine returns the matrix-product-state engine (package mps) with bond
// cap maxBond (0: none) and relative singular-value cutoff (0:
// mps.DefaultCutoff). Without truncation it gives the state vector's
// probabilities and shift gradients to rounding; the adjoint gradient needs
// the state vector. Its name is mps, mps:CHI or mps:CHI:CUTOFF.
func MPSEngine(maxBond int, cutoff float64) (Engine, error) {
	if maxBond < 0 {
		return nil, fmt.Errorf("mps engine: bond dimension %d; use 0 (no cap) or at least 1", maxBond)
	}
	if !(cutoff >= 0) || math.IsInf(cutoff, 0) {
		return nil, fmt.Errorf("mps engine: cutoff %g must be a finite number >= 0", cutoff)
	}
	return mpsEngine{maxBond: maxBond, cutoff: cutoff}, nil
}

type mpsEngine struct {
	maxBond int
	cutoff  float64
}

func (e mpsEngine) Name() string {
	switch {
	case e.cutoff != 0 && e.cutoff != mps.DefaultCutoff:
		return "mps:" + strconv.Itoa(e.maxBond) + ":" + strconv.FormatFloat(e.cutoff, 'g', -1, 64)
	case e.maxBond > 0:
		return "mps:" + strconv.Itoa(e.maxBond)
	}
	return "mps"
}

func (e mpsEngine) New(n int) (State, error) {
	s, err := mps.New(n, mps.Options{MaxBond: e.maxBond, Cutoff: e.cutoff})
	if err != nil {
		return nil, err
	}
	return mpsState{s}, nil
}

// mpsState adapts *mps.State to State.
type mpsState struct{ *mps.State }

func (s mpsState) Clone() State { return mpsState{s.State.Clone()} }

func (s mpsState) CopyFrom(src State) { s.State.CopyFrom(src.(mpsState).State) }

func (s mpsState) Probability(x uint64) float64 {
	a := s.AmplitudeIndex(x)
	return real(a)*real(a) + imag(a)*imag(a)
}

// MPSOf returns the matrix product state of an MPS engine's state, or nil
// for a state of another engine.
func MPSOf(st State) *mps.State {
	if s, ok := st.(mpsState); ok {
		return s.State
	}
	return nil
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
