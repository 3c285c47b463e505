package sim

import (
	"fmt"
	"math"
	"math/rand/v2"

	"born/circuit"
)

// BranchError reports that Exact would need more branches than allowed.
// Exact counts before it simulates: Lower is a proven lower bound on the
// number of branches (from measurements and resets of qubits in a known
// superposition, found without applying a gate), Upper an upper bound (two
// outcomes for every measurement or reset that may have either), and
// Estimate, when set, Knuth's estimate of the tree's size from Probes
// random paths through it. When neither settles it, Exact walks the tree
// and stops at the first branch beyond Max.
type BranchError struct {
	Max          int
	Lower, Upper float64
	Estimate     float64
	Probes       int
	Branching    int // measurements and resets that may branch
}

func (e *BranchError) Error() string {
	const tail = "; sample shots instead"
	switch {
	case e.Lower > float64(e.Max):
		return fmt.Sprintf("sim: exact simulation needs at least %.0f branches (%d mid-circuit measurements and resets of qubits in superposition), more than %d%s",
			e.Lower, int(math.Round(math.Log2(e.Lower))), e.Max, tail)
	case e.Estimate > 0:
		return fmt.Sprintf("sim: exact simulation needs about %.2g branches (estimated from %d random paths through %d mid-circuit measurements and resets that may branch), more than %d%s",
			e.Estimate, e.Probes, e.Branching, e.Max, tail)
	}
	return fmt.Sprintf("sim: exact simulation needs more than %d branches (mid-circuit measurement and reset outcomes)%s", e.Max, tail)
}

// provenBelow is the smaller outcome probability above which a measurement
// of a qubit in a tracked superposition counts as a proven branch: well
// above PruneBelow, so that rounding in the simulation cannot prune it.
const provenBelow = 1e-12

// qubit kinds of the static branch count.
const (
	qBasis    = iota // a basis state, the same on every path (val)
	qDefinite        // a basis state on every path, the value path-dependent
	qProduct         // unentangled, the same pure state (a, b) on every path
	qUnknown         // anything else
)

type qubitState struct {
	kind int
	a, b complex128 // amplitudes of |0> and |1> (qBasis and qProduct)
}

func (s qubitState) basisValue() (int, bool) {
	if s.kind != qBasis && s.kind != qProduct {
		return 0, false
	}
	p0, p1 := sq(s.a), sq(s.b)
	switch {
	case p1 < PruneBelow:
		return 0, true
	case p0 < PruneBelow:
		return 1, true
	}
	return 0, false
}

func sq(z complex128) float64 { return real(z)*real(z) + imag(z)*imag(z) }

// isPermutation reports whether m has one nonzero entry in every column:
// it maps basis states to basis states.
func isPermutation(m circuit.Matrix) bool {
	d := m.Dim()
	for j := 0; j < d; j++ {
		nz := 0
		for i := 0; i < d; i++ {
			if sq(m[i*d+j]) > PruneBelow {
				nz++
			}
		}
		if nz != 1 {
			return false
		}
	}
	return true
}

// countBranches bounds the number of leaves Exact's tree has, from the
// circuit alone (no gate is applied): it follows every qubit that stays
// unentangled and path-independent as a 2-vector, every qubit in a basis
// state, and treats the rest as unknown. A measurement or reset of a
// qubit in a tracked superposition with both outcomes above provenBelow,
// unconditioned, doubles the leaves on every path (proven); one of an
// unknown qubit may (possible). It returns the counts of both kinds of
// instruction: the leaves lie between 2^proven and 2^possible.
func countBranches(pr *program) (proven, possible int) {
	l := pr.l
	qs := make([]qubitState, l.NumQubits)
	for q := range qs {
		qs[q] = qubitState{kind: qBasis, a: 1}
	}
	unknown := func(q int) { qs[q] = qubitState{kind: qUnknown} }
	for i := range l.Instrs {
		in := &l.Instrs[i]
		if pr.skip[i] || (in.Kind == circuit.IMeasure && pr.deferred[i]) {
			continue
		}
		cond := len(in.Cond) > 0
		switch in.Kind {
		case circuit.IUnitary:
			applyStatic(qs, pr.mats[i], in, cond)
		case circuit.IMeasure, circuit.IReset:
			q := in.Targets[0]
			s := qs[q]
			branches := false
			switch s.kind {
			case qUnknown:
				branches = true
				possible++
			case qProduct, qBasis:
				p0, p1 := sq(s.a), sq(s.b)
				if p0 >= PruneBelow && p1 >= PruneBelow {
					branches = true
					possible++
					if !cond && p0 >= provenBelow && p1 >= provenBelow {
						proven++
					}
				}
			}
			switch {
			case in.Kind == circuit.IReset && !cond:
				qs[q] = qubitState{kind: qBasis, a: 1}
			case cond && branches:
				unknown(q) // measured or reset on some paths only
			case cond:
				if s.kind == qBasis || s.kind == qProduct {
					qs[q] = qubitState{kind: qDefinite}
				}
			case branches:
				qs[q] = qubitState{kind: qDefinite}
			case s.kind == qProduct:
				v, _ := s.basisValue()
				qs[q] = qubitState{kind: qBasis, a: complex(float64(1-v), 0), b: complex(float64(v), 0)}
			}
		}
	}
	return proven, possible
}

// applyStatic updates the tracked qubit states for a unitary instruction.
func applyStatic(qs []qubitState, m circuit.Matrix, in *circuit.Instr, cond bool) {
	// The controls: all in known basis states decide whether the gate acts;
	// definite ones make it path-dependent; any in superposition entangle.
	fixed, active, super := true, true, false
	for k, c := range in.Controls {
		v, ok := qs[c].basisValue()
		if !ok {
			fixed = false
			super = super || qs[c].kind != qDefinite
			continue
		}
		if v != int(in.CtrlState>>uint(k)&1) {
			active = false
		}
	}
	if fixed && !active {
		return // the controls never select the gate
	}
	perm := isPermutation(m)
	diag := circuit.IsDiagonal(m)
	allDefinite := true
	for _, t := range in.Targets {
		if _, ok := qs[t].basisValue(); !ok && qs[t].kind != qDefinite {
			allDefinite = false
		}
	}
	if !fixed {
		// Controls in superposition pick up relative phases or entangle.
		if super {
			for _, c := range in.Controls {
				if _, ok := qs[c].basisValue(); !ok && qs[c].kind == qProduct {
					qs[c] = qubitState{kind: qUnknown}
				}
			}
		}
		for _, t := range in.Targets {
			switch {
			case allDefinite && (diag || perm && !super):
				// Basis targets stay basis states on every path.
				if _, ok := qs[t].basisValue(); !ok || !diag {
					qs[t] = qubitState{kind: qDefinite}
				}
			default:
				qs[t] = qubitState{kind: qUnknown}
			}
		}
		return
	}
	if len(in.Targets) == 0 {
		return // a global phase
	}
	pathDependent := cond
	allBasis := true
	for _, t := range in.Targets {
		if _, ok := qs[t].basisValue(); !ok {
			allBasis = false
		}
	}
	if len(in.Targets) == 1 {
		t := in.Targets[0]
		s := qs[t]
		switch s.kind {
		case qBasis, qProduct:
			a := m[0]*s.a + m[1]*s.b
			b := m[2]*s.a + m[3]*s.b
			next := qubitState{kind: qProduct, a: a, b: b}
			if _, ok := next.basisValue(); ok {
				next.kind = qBasis
			}
			if !pathDependent {
				qs[t] = next
				return
			}
			_, before := s.basisValue()
			_, after := next.basisValue()
			if before && after {
				qs[t] = qubitState{kind: qDefinite}
			} else {
				qs[t] = qubitState{kind: qUnknown}
			}
		case qDefinite:
			if !perm {
				qs[t] = qubitState{kind: qUnknown}
			}
		}
		return
	}
	// Several targets: follow basis states through permutations.
	if allBasis && perm && !pathDependent {
		d := m.Dim()
		in0 := 0
		for j, t := range in.Targets {
			v, _ := qs[t].basisValue()
			in0 |= v << uint(j)
		}
		for i := 0; i < d; i++ {
			if sq(m[i*d+in0]) > PruneBelow {
				for j, t := range in.Targets {
					v := i >> uint(j) & 1
					qs[t] = qubitState{kind: qBasis, a: complex(float64(1-v), 0), b: complex(float64(v), 0)}
				}
				return
			}
		}
	}
	for _, t := range in.Targets {
		if perm && allDefinite {
			qs[t] = qubitState{kind: qDefinite}
		} else {
			qs[t] = qubitState{kind: qUnknown}
		}
	}
}

// branchProbes is the number of random paths Exact follows to estimate
// the size of its tree when the static bounds do not settle it.
const branchProbes = 8

// probeBranches estimates the number of leaves below st (the state after
// instruction from) by Knuth's estimator: along a path that picks one of
// the possible outcomes uniformly at every branching instruction, the
// product of the numbers of possible outcomes is an unbiased estimate of
// the number of leaves (exact for trees that branch alike on every path).
// It averages branchProbes such paths, drawn from a fixed seed.
func probeBranches[S State[S]](pr *program, st S, from int) float64 {
	rng := rand.New(rand.NewPCG(0x4b4e555448, 0x5052)) // "KNUTH", "PR"
	instrs := pr.l.Instrs
	var sum float64
	for range branchProbes {
		s := st.Clone()
		cbits := make([]bool, pr.l.NumClbits)
		est := 1.0
		for pc := from; pc < len(instrs); pc++ {
			in := &instrs[pc]
			if pr.skip[pc] || (in.Kind == circuit.IMeasure && pr.deferred[pc]) || !holds(in.Cond, cbits) {
				continue
			}
			if in.Kind == circuit.IUnitary {
				s.Apply(pr.mats[pc], in.Targets, in.Controls, in.CtrlState)
				continue
			}
			q := in.Targets[0]
			one := s.Clone()
			p1 := one.Project(q, 1)
			p0 := s.Project(q, 0)
			outcome := 0
			switch {
			case p1 >= PruneBelow && p0 >= PruneBelow:
				est *= 2
				outcome = rng.IntN(2)
			case p1 >= PruneBelow:
				outcome = 1
			}
			if outcome == 1 {
				s = one
				if in.Kind == circuit.IReset {
					s.Apply(matX, in.Targets[:1], nil, 0)
				}
			}
			if in.Kind == circuit.IMeasure {
				cbits[in.Clbit] = outcome == 1
			}
		}
		sum += est
	}
	return sum / branchProbes
}
