package bornmachine

import (
	"fmt"
	"math"

	"born/circuit"
	"born/statevector"
)

// program is a circuit compiled for training: its lowered instructions
// grouped into blocks, each applied to the state as one matrix. Runs of
// uncontrolled one-qubit gates on the same qubit (a QCBM's Rz Rx Rz) fuse
// into one 2x2 block; any other instruction is a block of its own. Gates
// on other qubits commute with a one-qubit block, so a block sits where its
// first gate was.
//
// Every non-constant gate parameter is an occurrence: the unit of the
// parameter-shift rule and of the chain rule to the circuit's symbols.
type program struct {
	n      int
	nsym   int
	instrs []circuit.Instr
	blocks []block
	occs   []occurrence
}

type block struct {
	targets, controls []int
	ctrlState         uint64
	members           []int // instruction indices in application order
	occLo, occHi      int   // occs[occLo:occHi] belong to this block
}

// occurrence is one parameter slot of one instruction whose expression
// depends on the symbols.
type occurrence struct {
	block, member int // member index within the block
	instr, slot   int
	rule          slotRule
	deps          []symDep
}

// symDep is d(slot value)/d(symbol) as an expression.
type symDep struct {
	sym int
	d   circuit.Expr
}

// compile lowers c and builds its program. The circuit must be unitary;
// measurements that end the circuit are dropped (a Born machine measures
// every qubit at the end).
func compile(c *circuit.Circuit) (*program, error) {
	l, err := c.Lower()
	if err != nil {
		return nil, err
	}
	pr := &program{n: l.NumQubits, nsym: l.NumSymbols}
	measured := make([]bool, l.NumQubits)
	for i := range l.Instrs {
		in := l.Instrs[i]
		if len(in.Cond) > 0 {
			return nil, fmt.Errorf("op %d: a Born machine's circuit must be unitary: it cannot branch on measurement results", in.Op)
		}
		switch in.Kind {
		case circuit.IReset:
			return nil, fmt.Errorf("op %d: a Born machine's circuit must be unitary: it cannot reset qubits", in.Op)
		case circuit.IMeasure:
			measured[in.Targets[0]] = true
			continue
		}
		for _, q := range append(append([]int(nil), in.Targets...), in.Controls...) {
			if measured[q] {
				return nil, fmt.Errorf("op %d: a gate acts on qubit %d after it is measured; a Born machine measures only at the end", in.Op, q)
			}
		}
		if len(in.Targets) == 0 && len(in.Controls) == 0 {
			continue // a global phase: no effect on p(x)
		}
		pr.instrs = append(pr.instrs, in)
	}
	// Fuse.
	open := make([]int, pr.n) // block index of the open 1-qubit block on each qubit, or -1
	for q := range open {
		open[q] = -1
	}
	for j := range pr.instrs {
		in := &pr.instrs[j]
		if len(in.Targets) == 1 && len(in.Controls) == 0 {
			q := in.Targets[0]
			if b := open[q]; b >= 0 {
				pr.blocks[b].members = append(pr.blocks[b].members, j)
				continue
			}
			open[q] = len(pr.blocks)
			pr.blocks = append(pr.blocks, block{targets: in.Targets, members: []int{j}})
			continue
		}
		for _, q := range in.Targets {
			open[q] = -1
		}
		for _, q := range in.Controls {
			open[q] = -1
		}
		pr.blocks = append(pr.blocks, block{targets: in.Targets, controls: in.Controls, ctrlState: in.CtrlState, members: []int{j}})
	}
	// Occurrences, block by block.
	for b := range pr.blocks {
		bl := &pr.blocks[b]
		bl.occLo = len(pr.occs)
		for mi, j := range bl.members {
			in := &pr.instrs[j]
			for slot, e := range in.Params {
				if circuit.IsConst(e) {
					continue
				}
				rule := ruleFor(in, slot)
				if rule.constant {
					continue
				}
				o := occurrence{block: b, member: mi, instr: j, slot: slot, rule: rule}
				seen := map[int]bool{}
				for _, s := range circuit.Symbols(nil, e) {
					if seen[s] {
						continue
					}
					seen[s] = true
					d := circuit.Deriv(e, s)
					if n, ok := d.(circuit.Num); ok && n.Value == 0 {
						continue
					}
					o.deps = append(o.deps, symDep{sym: s, d: d})
				}
				if len(o.deps) > 0 {
					pr.occs = append(pr.occs, o)
				}
			}
		}
		bl.occHi = len(pr.occs)
	}
	return pr, nil
}

// gradientError returns the first occurrence without an exact rule for the
// chosen gradient, as an error naming its gate.
func (pr *program) gradientError(shift bool) error {
	for i := range pr.occs {
		o := &pr.occs[i]
		if o.rule.err != nil {
			return fmt.Errorf("parameter %d of instruction %d: %w", o.slot, o.instr, o.rule.err)
		}
		if shift && o.rule.shiftErr != nil {
			return fmt.Errorf("parameter %d of instruction %d: %w", o.slot, o.instr, o.rule.shiftErr)
		}
	}
	return nil
}

// evaluation holds a program's matrices at one parameter vector.
type evaluation struct {
	theta []float64
	vals  [][]float64      // parameter values per instruction
	mats  []circuit.Matrix // instruction matrices
	bmats []circuit.Matrix // block matrices

	// The block matrices prepared for the state-vector engine's kernels,
	// made (by prepareSV) when many runs will share them: a shift gradient
	// applies each block hundreds of times. Read-only once made.
	svGates []statevector.Gate[float64]
}

// prepareSV prepares ev's block matrices for n-qubit double-precision
// state vectors, for apply to use, in gs if it has room (a caller that
// evaluates often passes the gates of its last evaluation, whose memory
// Set reuses). It returns the gates. It must not run concurrently with
// apply on the same evaluation, nor while gs's last evaluation is in use.
func (pr *program) prepareSV(ev *evaluation, gs []statevector.Gate[float64]) []statevector.Gate[float64] {
	if ev.svGates != nil {
		return ev.svGates
	}
	if len(gs) != len(pr.blocks) {
		gs = make([]statevector.Gate[float64], len(pr.blocks))
	}
	for b := range pr.blocks {
		bl := &pr.blocks[b]
		gs[b].Set(pr.n, ev.bmats[b], bl.targets, bl.controls, bl.ctrlState)
	}
	ev.svGates = gs
	return gs
}

// instrMatrix returns the target matrix of in with parameter values vals.
func instrMatrix(in *circuit.Instr, vals []float64) (circuit.Matrix, error) {
	if in.Const != nil {
		return in.Const, nil
	}
	m := in.Gate.MatrixFunc(vals)
	if in.Pow != 1 {
		var ok bool
		if m, ok = circuit.Power(m, in.Pow); !ok {
			return nil, fmt.Errorf("pow(%v) @ %s is not supported", in.Pow, in.Gate.Name)
		}
	}
	if !circuit.IsFinite(m) {
		return nil, fmt.Errorf("gate %s: the matrix is not finite at parameters %v", in.Gate.Name, vals)
	}
	return m, nil
}

// evaluate computes every matrix of the program at theta.
func (pr *program) evaluate(theta []float64) (*evaluation, error) {
	if len(theta) != pr.nsym {
		return nil, fmt.Errorf("the circuit has %d parameters, %d values given", pr.nsym, len(theta))
	}
	for i, v := range theta {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("parameter %d is %v", i, v)
		}
	}
	ev := &evaluation{
		theta: theta,
		vals:  make([][]float64, len(pr.instrs)),
		mats:  make([]circuit.Matrix, len(pr.instrs)),
		bmats: make([]circuit.Matrix, len(pr.blocks)),
	}
	for j := range pr.instrs {
		in := &pr.instrs[j]
		if len(in.Params) > 0 {
			v := make([]float64, len(in.Params))
			for k, e := range in.Params {
				v[k] = e.Eval(theta)
				if math.IsNaN(v[k]) || math.IsInf(v[k], 0) {
					return nil, fmt.Errorf("instruction %d (%s): parameter %d evaluates to %v", j, in.Gate.Name, k, v[k])
				}
			}
			ev.vals[j] = v
		}
		m, err := instrMatrix(in, ev.vals[j])
		if err != nil {
			return nil, fmt.Errorf("instruction %d: %w", j, err)
		}
		ev.mats[j] = m
	}
	for b := range pr.blocks {
		bl := &pr.blocks[b]
		m := ev.mats[bl.members[0]]
		for _, j := range bl.members[1:] {
			m = circuit.MatMul(ev.mats[j], m)
		}
		ev.bmats[b] = m
	}
	return ev, nil
}

// apply applies blocks [from, to) to st: one Apply per block, or, on the
// state-vector engine once prepareSV has run, the prepared gates (the same
// kernels, so the same results).
func (pr *program) apply(st State, ev *evaluation, from, to int) {
	if sv, ok := st.(svState); ok && ev.svGates != nil {
		for b := from; b < to; b++ {
			sv.ApplyGate(&ev.svGates[b])
		}
		return
	}
	for b := from; b < to; b++ {
		bl := &pr.blocks[b]
		st.Apply(ev.bmats[b], bl.targets, bl.controls, bl.ctrlState)
	}
}

// withMember returns the block matrix of block b with member mi's matrix
// replaced by m (the other members as evaluated).
func (pr *program) withMember(ev *evaluation, b, mi int, m circuit.Matrix) circuit.Matrix {
	bl := &pr.blocks[b]
	if len(bl.members) == 1 {
		return m
	}
	var out circuit.Matrix
	for k, j := range bl.members {
		f := ev.mats[j]
		if k == mi {
			f = m
		}
		if out == nil {
			out = f
		} else {
			out = circuit.MatMul(f, out)
		}
	}
	return out
}

// shifted returns the matrix of occurrence o's instruction with its
// parameter moved by delta.
func (pr *program) shifted(ev *evaluation, o *occurrence, delta float64) (circuit.Matrix, error) {
	in := &pr.instrs[o.instr]
	v := append([]float64(nil), ev.vals[o.instr]...)
	v[o.slot] += delta
	return instrMatrix(in, v)
}

// chain turns the derivatives of the loss with respect to every
// occurrence's parameter value (dv) into the gradient with respect to the
// symbols, summing in occurrence order.
func (pr *program) chain(theta, dv, grad []float64) {
	clear(grad)
	for i := range pr.occs {
		for _, d := range pr.occs[i].deps {
			grad[d.sym] += dv[i] * d.d.Eval(theta)
		}
	}
}
