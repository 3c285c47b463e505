package transpile

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"

	"born/circuit"
	"born/qasm"
	"born/sim"
	"born/statevector"
)

const (
	// MaxVerifyQubits is the largest source circuit Verify simulates.
	MaxVerifyQubits = 16
	// maxVerifyTouched bounds the qubits of the export Verify simulates
	// (the source's and the ones routing passed through).
	maxVerifyTouched = 24
	// VerifyTolerance is the largest difference of a probability allowed.
	VerifyTolerance = 1e-10
	maxBranches     = 1 << 12
)

// Check is the outcome of Verify.
type Check struct {
	Qubits        int     // qubits of the export simulated
	MaxDiff       float64 // max |p_export - p_source| over final basis states
	ClassicalDiff float64 // max difference of the classical distributions (0 if not compared)
	Classical     bool    // whether the classical distributions were compared
}

// ErrVerifyLimit is the error of a circuit too wide to verify exactly.
var ErrVerifyLimit = errors.New("exact verification is limited")

// Verify simulates the source circuit and an export read back from its file
// and compares them exactly: the probability of every final basis state
// (the diagonal of the final density matrix, averaged over mid-circuit
// measurement outcomes), with source qubit i read from export qubit
// final[i], and, when the export measures, the distribution of the
// classical bits. Export qubits that hold no source qubit must end in |0>.
// Parameters are bound by name from vals in both circuits (an export with
// symbolic parameters reads them back as inputs). It returns an error when
// a probability differs by more than VerifyTolerance.
func Verify(src, exp *circuit.Circuit, final []int, vals map[string]float64) (*Check, error) {
	if src.NumQubits > MaxVerifyQubits {
		return nil, fmt.Errorf("verify: the circuit has %d qubits; %w to %d", src.NumQubits, ErrVerifyLimit, MaxVerifyQubits)
	}
	if len(final) != src.NumQubits {
		return nil, fmt.Errorf("verify: layout of %d qubits for a circuit of %d", len(final), src.NumQubits)
	}
	sv, err := symbolValues(src, vals)
	if err != nil {
		return nil, fmt.Errorf("verify: source: %w", err)
	}
	ev, err := symbolValues(exp, vals)
	if err != nil {
		return nil, fmt.Errorf("verify: export: %w", err)
	}
	sClass, sProbs, err := exact(src, sv)
	if err != nil {
		return nil, fmt.Errorf("verify: simulating the source: %w", err)
	}
	// Compact the export to the qubits it uses.
	used := map[int]bool{}
	for _, op := range exp.Ops {
		for _, q := range op.Qubits {
			used[q] = true
		}
	}
	touched := make([]int, 0, len(used))
	for q := range used {
		touched = append(touched, q)
	}
	sort.Ints(touched)
	if len(touched) > maxVerifyTouched {
		return nil, fmt.Errorf("verify: the export uses %d qubits; %w to %d", len(touched), ErrVerifyLimit, maxVerifyTouched)
	}
	pos := map[int]int{}
	for i, q := range touched {
		pos[q] = i
	}
	small := *exp
	small.NumQubits = len(touched)
	small.QRegs = []circuit.Register{{Name: "q", Size: len(touched)}}
	small.Ops = make([]circuit.Op, len(exp.Ops))
	for i, op := range exp.Ops {
		qs := make([]int, len(op.Qubits))
		for j, q := range op.Qubits {
			qs[j] = pos[q]
		}
		op.Qubits = qs
		small.Ops[i] = op
	}
	if small.NumQubits == 0 {
		small.NumQubits = 1
		small.QRegs[0].Size = 1
	}
	eClass, eProbs, err := exact(&small, ev)
	if err != nil {
		return nil, fmt.Errorf("verify: simulating the export: %w", err)
	}
	// Expected export probabilities: source state x sends bit i to position
	// pos[final[i]]; source qubits the export never touches must be 0.
	want := make([]float64, len(eProbs))
	var worst float64
	worstAt := ""
	for x, p := range sProbs {
		if p == 0 {
			continue
		}
		y := 0
		lost := false
		for i, f := range final {
			if x>>uint(i)&1 == 0 {
				continue
			}
			k, ok := pos[f]
			if !ok {
				lost = true
				break
			}
			y |= 1 << uint(k)
		}
		if lost {
			if p > worst {
				worst, worstAt = p, "source state "+circuit.FormatBits(uint64(x), src.NumQubits)+" (a qubit the export never touches)"
			}
			continue
		}
		want[y] += p
	}
	for y := range eProbs {
		if d := math.Abs(eProbs[y] - want[y]); d > worst {
			worst, worstAt = d, "export state "+circuit.FormatBits(uint64(y), small.NumQubits)
		}
	}
	chk := &Check{Qubits: len(touched), MaxDiff: worst}
	if exp.HasMeasure() {
		chk.Classical = true
		keys := map[uint64]bool{}
		for k := range sClass {
			keys[k] = true
		}
		for k := range eClass {
			keys[k] = true
		}
		for k := range keys {
			if d := math.Abs(sClass[k] - eClass[k]); d > chk.ClassicalDiff {
				chk.ClassicalDiff = d
				if d > worst {
					worst, worstAt = d, "classical outcome "+src.FormatClbits(k)
				}
			}
		}
	}
	if worst > VerifyTolerance {
		return chk, fmt.Errorf("verify: the export's distribution differs from the source's by %.3g at %s (tolerance %g)", worst, worstAt, VerifyTolerance)
	}
	return chk, nil
}

func exact(c *circuit.Circuit, vals []float64) (map[uint64]float64, []float64, error) {
	l, err := c.Lower()
	if err != nil {
		return nil, nil, err
	}
	return sim.Exact(statevector.New, l, vals, maxBranches)
}

// symbolValues orders vals by c's symbols.
func symbolValues(c *circuit.Circuit, vals map[string]float64) ([]float64, error) {
	out := make([]float64, len(c.Symbols))
	for i, s := range c.Symbols {
		v, ok := vals[s]
		if !ok {
			return nil, fmt.Errorf("no value for parameter %q", s)
		}
		out[i] = v
	}
	return out, nil
}

// VerifyExport verifies an export before it is written: the text of an
// OpenQASM export is read back with package qasm and simulated; IonQ JSON
// and Quil, which born does not read, are verified through the export's
// circuit (their writers are tested against independent readers). A
// symbolic export is verified at pseudo-random parameter values from seed.
func (r *Result) VerifyExport(text []byte, seed uint64) (*Verification, error) {
	var vals map[string]float64
	if len(r.Circuit.Symbols) > 0 {
		vals = SymbolicValues(r.Circuit.Symbols, seed)
	}
	v := &Verification{Method: "read back", Tolerance: VerifyTolerance, Values: vals}
	exp := r.Circuit
	switch r.Target.Format {
	case FormatIonQ, FormatQuil:
		v.Method = "circuit"
	default:
		c, _, err := qasm.Parse("export", []byte(ReadableQASM(r.Target, string(text))), nil)
		if err != nil {
			return nil, fmt.Errorf("verify: reading the export back: %w", err)
		}
		exp = c
	}
	n, err := CheckPowers(r.Source)
	v.Powers = n
	if err != nil {
		return v, err
	}
	chk, err := Verify(r.Source, exp, r.Layout.Final, vals)
	if chk != nil {
		v.Qubits, v.MaxDiff, v.ClassicalDiff = chk.Qubits, chk.MaxDiff, chk.ClassicalDiff
	}
	return v, err
}

// SymbolicValues returns deterministic pseudo-random values for the given
// parameter names, to verify an export that keeps parameters symbolic.
func SymbolicValues(names []string, seed uint64) map[string]float64 {
	vals := map[string]float64{}
	x := seed*0x9e3779b97f4a7c15 + 1
	for _, s := range slices.Sorted(slices.Values(names)) {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		vals[s] = float64(x%1_000_000)/1_000_000*4*math.Pi - 2*math.Pi
	}
	return vals
}
