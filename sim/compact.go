package sim

import (
	"slices"

	"born/circuit"
)

// Compact returns l restricted to the qubits it touches, and the map back:
// qubit i of the compact circuit is qubit used[i] of l, in increasing
// order, so that bit order is kept (the lowest touched qubit is the least
// significant bit). A qubit is touched when an instruction acts on it as a
// target or control, or measures or resets it; the others stay in |0> from
// start to end, so the state of l is the compact state times |0> on them.
// A circuit that touches no qubit keeps its lowest one (qubit 0), so that
// there is a state to simulate.
//
// Programs written for hardware name physical qubits ($50, $58 of a
// 156-qubit device): Compact runs them on as many qubits as they use. When
// every qubit is touched, Compact returns l itself.
func Compact(l *circuit.Lowered) (*circuit.Lowered, []int) {
	return compact(l, false)
}

// CompactInPlace is Compact for a caller done with l: it renumbers the
// qubits of l's own instructions (which l then shares with the result)
// instead of copying them, which for 2^22 instructions took 700 MB and
// more time than the lowering. The qubit lists are new: l's share theirs
// with the circuit it was lowered from.
func CompactInPlace(l *circuit.Lowered) (*circuit.Lowered, []int) {
	return compact(l, true)
}

func compact(l *circuit.Lowered, inPlace bool) (*circuit.Lowered, []int) {
	touched := make([]bool, l.NumQubits)
	for i := range l.Instrs {
		in := &l.Instrs[i]
		for _, q := range in.Targets {
			touched[q] = true
		}
		for _, q := range in.Controls {
			touched[q] = true
		}
	}
	var used []int
	for q, t := range touched {
		if t {
			used = append(used, q)
		}
	}
	if len(used) == 0 && l.NumQubits > 0 {
		used = []int{0}
	}
	if len(used) == l.NumQubits {
		return l, used
	}
	pos := make([]int, l.NumQubits)
	for i, q := range used {
		pos[q] = i
	}
	// The new qubit lists share one allocation, not one each.
	size := 0
	for i := range l.Instrs {
		size += len(l.Instrs[i].Targets) + len(l.Instrs[i].Controls)
	}
	slab := make([]int, size)
	remap := func(qs []int) []int {
		if qs == nil {
			return nil
		}
		out := slab[:len(qs):len(qs)]
		slab = slab[len(qs):]
		for j, q := range qs {
			out[j] = pos[q]
		}
		return out
	}
	cl := &circuit.Lowered{NumQubits: len(used), NumClbits: l.NumClbits, NumSymbols: l.NumSymbols, Instrs: l.Instrs}
	if !inPlace {
		cl.Instrs = slices.Clone(l.Instrs)
	}
	for i := range cl.Instrs {
		in := &cl.Instrs[i]
		in.Targets, in.Controls = remap(in.Targets), remap(in.Controls)
	}
	return cl, used
}

// Expand maps a basis-state index x of a compact circuit (bit i is compact
// qubit i) to the index of the full circuit's state, with used from
// Compact: bit i of x moves to bit used[i], the untouched qubits are 0.
func Expand(x uint64, used []int) uint64 {
	var y uint64
	for i, q := range used {
		y |= (x >> uint(i) & 1) << uint(q)
	}
	return y
}

// TouchedAtLeast returns a lower bound of the number of qubits Compact keeps
// of c's lowering, without lowering it: the qubits that measurements,
// resets and built-in gates (with their control modifiers) act on. A user
// gate's qubits are not counted, as its body may leave some alone.
func TouchedAtLeast(c *circuit.Circuit) int {
	touched := make([]bool, c.NumQubits)
	n := 0
	mark := func(qs []int) {
		for _, q := range qs {
			if q >= 0 && q < len(touched) && !touched[q] {
				touched[q] = true
				n++
			}
		}
	}
	for i := range c.Ops {
		op := &c.Ops[i]
		switch op.Kind {
		case circuit.Measure, circuit.Reset:
			mark(op.Qubits)
		case circuit.GateOp:
			if g := op.Gate; g.MatrixFunc != nil || g.Target != nil {
				mark(op.Qubits)
			}
		}
	}
	return max(n, min(1, c.NumQubits))
}
