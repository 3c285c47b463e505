package sim

import (
	"fmt"
	"math"

	"born/circuit"
	"born/internal/bitgather"
)

// PruneBelow is the outcome probability below which Exact drops a branch
// of a mid-circuit measurement or reset: such branches are rounding noise
// (or carry negligible weight), and renormalising them would amplify it.
const PruneBelow = 1e-18

// Exact computes the exact distribution of the classical register of l
// (key bit b is classical bit b) and the probability of every basis state
// at the end, averaged over all measurement and reset outcomes (the
// diagonal of the final density matrix). It branches on every mid-circuit
// measurement and reset, pruning outcomes of probability below PruneBelow;
// terminal measurements do not branch but are read off each branch's final
// state. It returns a *BranchError if more than maxBranches final branches
// would be needed, and it counts before it simulates: a circuit that
// provably needs more is refused before any state is made, and one that
// may is probed along a few random paths (Knuth's estimate of the tree's
// size) and refused if the estimate exceeds twice maxBranches; otherwise
// the walk itself stops at the first branch beyond maxBranches. Zero
// probabilities are left out of classical.
func Exact[S State[S]](newState func(n int) (S, error), l *circuit.Lowered, vals []float64, maxBranches int) (classical map[uint64]float64, probs []float64, err error) {
	return ExactObserve(newState, l, vals, maxBranches, nil)
}

// ExactObserve is Exact that also calls observe (if not nil) with the final
// state of every branch, so that an engine that truncates can report its
// accounting.
func ExactObserve[S State[S]](newState func(n int) (S, error), l *circuit.Lowered, vals []float64, maxBranches int, observe func(S)) (classical map[uint64]float64, probs []float64, err error) {
	if l.NumClbits > 64 {
		return nil, nil, fmt.Errorf("sim: %d classical bits; Exact handles at most 64", l.NumClbits)
	}
	pr, err := compile(l, vals)
	if err != nil {
		return nil, nil, err
	}
	proven, possible := countBranches(pr)
	lower, upper := math.Exp2(float64(proven)), math.Exp2(float64(possible))
	if lower > float64(maxBranches) {
		return nil, nil, &BranchError{Max: maxBranches, Lower: lower, Upper: upper, Branching: possible}
	}
	st, err := newState(l.NumQubits)
	if err != nil {
		return nil, nil, err
	}
	if err := checkQubits(st.NumQubits(), l); err != nil {
		return nil, nil, err
	}
	e := &exact[S]{pr: pr, max: maxBranches, classical: map[uint64]float64{}, observe: observe,
		g: bitgather.New(l.NumQubits, pr.final)}
	for c, q := range pr.final {
		if q >= 0 {
			e.finalMask |= 1 << uint(c)
		}
	}
	// Up to the first branching instruction there is one state.
	if err := runUnitaries(pr, st, vals, pr.settled); err != nil {
		return nil, nil, err
	}
	if upper > float64(maxBranches) {
		if est := probeBranches(pr, st, pr.settled); est > 2*float64(maxBranches) {
			return nil, nil, &BranchError{Max: maxBranches, Lower: lower, Upper: upper, Estimate: est,
				Probes: branchProbes, Branching: possible}
		}
	}
	if err := e.walk(st, pr.settled, make([]bool, l.NumClbits), 1); err != nil {
		return nil, nil, err
	}
	return e.classical, e.probs, nil
}

type exact[S State[S]] struct {
	pr        *program
	max       int
	leaves    int
	g         *bitgather.Gather
	finalMask uint64
	classical map[uint64]float64
	probs     []float64
	observe   func(S)
}

// walk runs st (reached with probability weight and classical bits cbits,
// which it owns) from instruction pc to the end, depth first.
func (e *exact[S]) walk(st S, pc int, cbits []bool, weight float64) error {
	instrs := e.pr.l.Instrs
	for ; pc < len(instrs); pc++ {
		in := &instrs[pc]
		if e.pr.skip[pc] || (in.Kind == circuit.IMeasure && e.pr.deferred[pc]) || !holds(in.Cond, cbits) {
			continue
		}
		if in.Kind == circuit.IUnitary {
			st.Apply(e.pr.mats[pc], in.Targets, in.Controls, in.CtrlState)
			continue
		}
		// A measurement or reset: branch on the outcome.
		q := in.Targets[0]
		one := st.Clone()
		p1 := one.Project(q, 1)
		p0 := st.Project(q, 0)
		if p1 >= PruneBelow {
			if in.Kind == circuit.IReset {
				one.Apply(matX, in.Targets[:1], nil, 0)
			}
			cb := append([]bool(nil), cbits...)
			if in.Kind == circuit.IMeasure {
				cb[in.Clbit] = true
			}
			if err := e.walk(one, pc+1, cb, weight*p1); err != nil {
				return err
			}
		}
		if p0 < PruneBelow {
			return nil
		}
		if in.Kind == circuit.IMeasure {
			cbits[in.Clbit] = false
		}
		weight *= p0
	}
	return e.leaf(st, cbits, weight)
}

func (e *exact[S]) leaf(st S, cbits []bool, weight float64) error {
	e.leaves++
	if e.leaves > e.max {
		return &BranchError{Max: e.max, Upper: math.Inf(1)}
	}
	if e.observe != nil {
		e.observe(st)
	}
	p := st.Probabilities()
	if e.probs == nil {
		e.probs = make([]float64, len(p))
	}
	base := pack(cbits)
	if e.finalMask == 0 {
		e.classical[base] += weight
	} else {
		base &^= e.finalMask
		for i, pi := range p {
			if pi != 0 {
				e.classical[base|e.g.Of(uint64(i))] += weight * pi
			}
		}
	}
	for i, pi := range p {
		e.probs[i] += weight * pi
	}
	return nil
}
