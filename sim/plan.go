package sim

import "born/circuit"

// plan is the analysis of a lowered circuit that decides how to run it.
type plan struct {
	l *circuit.Lowered

	// skip[i] marks instructions with no effect on any result: resets of a
	// qubit still in |0>, and measurements whose bit a later measurement
	// overwrites before anything reads it and whose qubit nothing later
	// disturbs.
	skip []bool
	// deferred[i] marks a measurement that commutes with everything after
	// it and whose bit nothing reads: its bit can be read off the final
	// state.
	deferred []bool
	// final[c] is the qubit whose final value classical bit c takes when
	// the deferred measurements are read off the final state, or -1.
	final []int
	// sampled is set when every measurement is deferred or skipped, every
	// reset is skipped and nothing is classically conditioned: one final
	// state then gives the whole distribution of the classical bits.
	sampled bool
	// prefix is the number of leading instructions that are deterministic
	// (unconditioned unitaries and skipped resets).
	prefix int
	// settled is the number of leading instructions that leave one final
	// state when the deferred measurements are read off it: the prefix
	// extended over deferred and skipped measurements (the whole circuit
	// when sampled).
	settled int
}

// analyze classifies the instructions of l. It depends on l only (not on
// parameter values): a gate counts as diagonal when Instr.Diagonal says so.
//
// A measurement of qubit q into bit c is deferred when it is unconditioned,
// no later instruction reads c in a condition, and no later instruction
// disturbs q: later gates may use q as a control or act on it with a
// diagonal matrix (both commute with the measurement), and later
// measurements of q are fine, but a non-diagonal gate on q or a reset of q
// is not. Deferring such a measurement to the end of the circuit changes no
// outcome statistics. A deferred measurement whose bit a later measurement
// overwrites is skipped altogether.
func analyze(l *circuit.Lowered) *plan {
	n := len(l.Instrs)
	p := &plan{l: l, skip: make([]bool, n), deferred: make([]bool, n), final: make([]int, l.NumClbits)}
	for c := range p.final {
		p.final[c] = -1
	}

	// Forward: a reset of a qubit that no non-diagonal gate has acted on
	// since the start or its last reset leaves |0> as it is.
	clean := make([]bool, l.NumQubits)
	for q := range clean {
		clean[q] = true
	}
	for i := range l.Instrs {
		in := &l.Instrs[i]
		switch in.Kind {
		case circuit.IUnitary:
			if !in.Diagonal() {
				for _, t := range in.Targets {
					clean[t] = false
				}
			}
		case circuit.IReset:
			q := in.Targets[0]
			if clean[q] {
				p.skip[i] = true
			}
			if len(in.Cond) == 0 {
				clean[q] = true // whatever the outcome, q is |0> afterwards
			}
		}
	}

	// Backward: which measurements commute with everything after them.
	disturbed := make([]bool, l.NumQubits)
	read := make([]bool, l.NumClbits)
	written := make([]bool, l.NumClbits)     // by a later measurement
	overwritten := make([]bool, l.NumClbits) // by a later unconditioned one
	for i := n - 1; i >= 0; i-- {
		in := &l.Instrs[i]
		switch in.Kind {
		case circuit.IUnitary:
			if !in.Diagonal() {
				for _, t := range in.Targets {
					disturbed[t] = true
				}
			}
		case circuit.IReset:
			if !p.skip[i] {
				disturbed[in.Targets[0]] = true
			}
		case circuit.IMeasure:
			q, c := in.Targets[0], in.Clbit
			if len(in.Cond) == 0 && !disturbed[q] && !read[c] {
				switch {
				case overwritten[c]:
					p.skip[i] = true
				case !written[c]:
					p.deferred[i] = true
					p.final[c] = q
				}
				// else a later conditioned measurement may write c: run
				// this one in place.
			}
			written[c] = true
			if len(in.Cond) == 0 {
				overwritten[c] = true
			}
		}
		for _, cond := range in.Cond {
			for _, b := range cond.Clbits {
				read[b] = true
			}
		}
	}

	p.sampled = true
	for i := range l.Instrs {
		in := &l.Instrs[i]
		switch {
		case len(in.Cond) > 0:
			p.sampled = false
		case in.Kind == circuit.IMeasure && !p.deferred[i] && !p.skip[i]:
			p.sampled = false
		case in.Kind == circuit.IReset && !p.skip[i]:
			p.sampled = false
		}
	}
	for p.prefix < n {
		in := &l.Instrs[p.prefix]
		if len(in.Cond) > 0 || in.Kind == circuit.IMeasure || (in.Kind == circuit.IReset && !p.skip[p.prefix]) {
			break
		}
		p.prefix++
	}
	for p.settled < n {
		in := &l.Instrs[p.settled]
		if len(in.Cond) > 0 || (in.Kind == circuit.IMeasure && !p.deferred[p.settled] && !p.skip[p.settled]) ||
			(in.Kind == circuit.IReset && !p.skip[p.settled]) {
			break
		}
		p.settled++
	}
	return p
}

// TerminalMeasurements reports whether the classical outcomes of l can be
// read off its final state: every measurement is terminal (nothing after it
// disturbs the measured qubit or reads its bit), no reset acts on a qubit
// that is not already |0>, and nothing is classically conditioned. If so,
// qubitOf[c] is the qubit whose final value classical bit c takes (the
// last measurement into c wins), or -1 for a bit no measurement writes.
// Otherwise the circuit must be run shot by shot (or branched, for Exact).
func TerminalMeasurements(l *circuit.Lowered) (qubitOf []int, ok bool) {
	p := analyze(l)
	if !p.sampled {
		return nil, false
	}
	return p.final, true
}
