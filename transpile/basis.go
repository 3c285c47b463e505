package transpile

import (
	"math"
	"slices"

	"born/circuit"
)

var (
	matH  = circuit.Matrix{complex(1/math.Sqrt2, 0), complex(1/math.Sqrt2, 0), complex(1/math.Sqrt2, 0), complex(-1/math.Sqrt2, 0)}
	matX  = circuit.Matrix{0, 1, 1, 0}
	matI2 = circuit.Identity(2)
)

// lowering turns routed IR (1-qubit unitaries, CX, SWAP) into a target's
// basis: SWAPs become three CX, CX gates are turned to the directions the
// coupling map allows, CX becomes the target's entangling gate with 1-qubit
// corrections, adjacent 1-qubit gates are merged and self-inverse pairs of
// 2-qubit gates cancelled, and every 1-qubit unitary is synthesised in the
// target's Euler form.
type lowering struct {
	t     *Target
	cm    *CouplingMap // nil: all-to-all
	phase float64
	// droppedZ is set when trailing virtual z rotations were dropped
	// (FormGPI): they do not change measured probabilities.
	droppedZ bool
}

func (lw *lowering) run(nodes []node) []node {
	nodes = lw.expandSwaps(nodes)
	nodes = lw.direct(nodes)
	nodes = lw.translate(nodes)
	nodes = lw.optimize(nodes)
	return lw.synthesize(nodes)
}

func (lw *lowering) expandSwaps(nodes []node) []node {
	out := make([]node, 0, len(nodes))
	for _, n := range nodes {
		if n.kind != kSwap {
			out = append(out, n)
			continue
		}
		a, b := n.q[0], n.q[1]
		if lw.cm != nil && lw.directional() && !lw.cm.Allowed(a, b) {
			a, b = b, a // outer CX in the allowed direction
		}
		out = append(out, node{kind: kCX, q: []int{a, b}, cond: n.cond}, node{kind: kCX, q: []int{b, a}, cond: n.cond},
			node{kind: kCX, q: []int{a, b}, cond: n.cond})
	}
	return out
}

func (lw *lowering) directional() bool {
	switch lw.t.TwoQubit {
	case "cx", "cnot", "ecr":
		return true
	}
	return false
}

// direct rewrites CX(a, b) as (H x H) CX(b, a) (H x H) where only b -> a is
// allowed.
func (lw *lowering) direct(nodes []node) []node {
	if lw.cm == nil || !lw.directional() || !lw.cm.Directed() {
		return nodes
	}
	out := make([]node, 0, len(nodes))
	for _, n := range nodes {
		if n.kind == kCX && !lw.cm.Allowed(n.q[0], n.q[1]) {
			a, b := n.q[0], n.q[1]
			hs := []node{{kind: k1, q: []int{a}, m: matH, cond: n.cond}, {kind: k1, q: []int{b}, m: matH, cond: n.cond}}
			out = append(out, hs...)
			out = append(out, node{kind: kCX, q: []int{b, a}, cond: n.cond})
			out = append(out, hs...)
			continue
		}
		out = append(out, n)
	}
	return out
}

// translate replaces CX by the target's entangling gate:
//
//	CX(a, b) = H_b CZ(a, b) H_b
//	CX(a, b) = e^{i pi/4} Rz_a(pi/2) Rx_b(pi/2) ECR(a, b) X_a
//	CX(a, b) = e^{i pi/4} Rz_a(pi/2) Rx_b(pi/2) H_a MS(pi, 0, pi/2) H_a
//
// (products right to left). The last two follow from
// CX = e^{i pi/4} Rz_a(pi/2) Rx_b(pi/2) exp(i pi/4 Z_a X_b),
// ECR = X_a exp(-i pi/4 Z_a X_b) and MS(pi, 0, pi/2) = exp(i pi/4 X_a X_b).
func (lw *lowering) translate(nodes []node) []node {
	out := make([]node, 0, len(nodes))
	for _, n := range nodes {
		if n.kind != kCX {
			out = append(out, n)
			continue
		}
		a, b := n.q[0], n.q[1]
		one := func(q int, m circuit.Matrix) node { return node{kind: k1, q: []int{q}, m: m, cond: n.cond} }
		two := func(name string, params ...float64) node {
			return node{kind: k2, name: name, q: []int{a, b}, params: params, cond: n.cond}
		}
		switch lw.t.TwoQubit {
		case "cz":
			out = append(out, one(b, matH), two("cz"), one(b, matH))
		case "ecr":
			out = append(out, one(a, matX), two("ecr"), one(a, circuit.MatRZ(math.Pi/2)), one(b, circuit.MatRX(math.Pi/2)))
			lw.phase += math.Pi / 4
		case "ms":
			out = append(out, one(a, matH), two("ms", math.Pi, 0, math.Pi/2), one(a, matH),
				one(a, circuit.MatRZ(math.Pi/2)), one(b, circuit.MatRX(math.Pi/2)))
			lw.phase += math.Pi / 4
		default: // cx, cnot
			out = append(out, two(lw.t.TwoQubit))
		}
	}
	return out
}

// optimize merges runs of numeric 1-qubit gates and cancels adjacent
// identical self-inverse 2-qubit gates until nothing changes.
func (lw *lowering) optimize(nodes []node) []node {
	for iter := 0; iter < 16; iter++ {
		n0 := len(nodes)
		nodes = lw.merge1(nodes)
		nodes = cancel2(nodes)
		if len(nodes) == n0 {
			break
		}
	}
	return nodes
}

// merge1 multiplies each run of unconditioned numeric 1-qubit gates on a
// qubit into one, placed where the run ends, and drops identities.
func (lw *lowering) merge1(nodes []node) []node {
	out := make([]node, 0, len(nodes))
	pend := make(map[int]circuit.Matrix)
	flush := func(q int) {
		m, ok := pend[q]
		if !ok {
			return
		}
		delete(pend, q)
		if ph, ok := scalar(m); ok {
			lw.phase += ph
			return
		}
		out = append(out, node{kind: k1, q: []int{q}, m: m})
	}
	for _, n := range nodes {
		if n.kind == k1 && len(n.cond) == 0 {
			q := n.q[0]
			if m, ok := pend[q]; ok {
				pend[q] = circuit.MatMul(n.m, m)
			} else {
				pend[q] = n.m
			}
			continue
		}
		for _, q := range n.q {
			flush(q)
		}
		out = append(out, n)
	}
	qs := make([]int, 0, len(pend))
	for q := range pend {
		qs = append(qs, q)
	}
	slices.Sort(qs)
	for _, q := range qs {
		flush(q)
	}
	return out
}

// scalar reports whether m is e^{i ph} I to within rounding.
func scalar(m circuit.Matrix) (float64, bool) {
	if cmplxAbs(m[1]) > 1e-15 || cmplxAbs(m[2]) > 1e-15 || cmplxAbs(m[0]-m[3]) > 1e-15 {
		return 0, false
	}
	return phaseOf(m, matI2), true
}

func cmplxAbs(z complex128) float64 { return math.Hypot(real(z), imag(z)) }

// selfInverse reports whether two 2-qubit nodes multiply to the identity.
func selfInverse(a, b *node) bool {
	if a.kind != k2 || b.kind != k2 || a.name != b.name || len(a.cond) > 0 || len(b.cond) > 0 {
		return false
	}
	same := a.q[0] == b.q[0] && a.q[1] == b.q[1]
	swapped := a.q[0] == b.q[1] && a.q[1] == b.q[0]
	switch a.name {
	case "cz":
		return same || swapped
	case "cx", "cnot", "ecr":
		return same
	}
	return false
}

// cancel2 removes pairs of adjacent self-inverse 2-qubit gates: the second
// is the next operation on both of the first's qubits.
func cancel2(nodes []node) []node {
	dead := make([]bool, len(nodes))
	last := map[int]int{}                   // qubit -> index of the last live node on it
	prev := make([]map[int]int, len(nodes)) // node -> qubit -> previous live node on it
	for i := range nodes {
		n := &nodes[i]
		if n.kind == k2 && len(n.q) == 2 {
			a, b := n.q[0], n.q[1]
			j, okA := last[a]
			k, okB := last[b]
			if okA && okB && j == k && selfInverse(&nodes[j], n) {
				dead[i], dead[j] = true, true
				for _, q := range nodes[j].q {
					if p, ok := prev[j][q]; ok {
						last[q] = p
					} else {
						delete(last, q)
					}
				}
				continue
			}
		}
		prev[i] = map[int]int{}
		for _, q := range n.q {
			if p, ok := last[q]; ok {
				prev[i][q] = p
			}
			last[q] = i
		}
		// Classical dependencies are not tracked: conditioned operations
		// and measurements are never cancelled, so nothing moves across
		// them.
	}
	out := nodes[:0:0]
	for i, n := range nodes {
		if !dead[i] {
			out = append(out, n)
		}
	}
	return out
}

// synthesize writes every numeric 1-qubit unitary in the target's Euler
// form. For FormGPI, z rotations are virtual: each qubit carries a frame
// Rz(f) applied after the gates emitted so far; later gates absorb it
// (GPI(p) Rz(f) = Rz(f) GPI(p - f), likewise GPI2 and MS), and the frames
// left at the end are dropped, since a z rotation before measurement in
// the computational basis changes no probability.
func (lw *lowering) synthesize(nodes []node) []node {
	out := make([]node, 0, len(nodes))
	gpi := lw.t.OneQubit == FormGPI
	frame := map[int]float64{}
	for _, n := range nodes {
		switch {
		case n.kind == k1:
			u := n.m
			q := n.q[0]
			if gpi {
				u = circuit.MatMul(u, circuit.MatRZ(frame[q]))
			}
			gates, ph := Synth1(lw.t.OneQubit, u)
			lw.phase += ph
			if gpi {
				frame[q] = 0
				if k := len(gates); k > 0 && gates[k-1].Name == "rz" {
					frame[q] = gates[k-1].Params[0]
					gates = gates[:k-1]
				}
			}
			for _, g := range gates {
				out = append(out, node{kind: kBasis1, name: g.Name, params: g.Params, q: []int{q}, cond: n.cond})
			}
		case gpi && n.kind == k2 && n.name == "ms":
			p := slices.Clone(n.params)
			p[0] = circuit.PrincipalAngle(p[0] - frame[n.q[0]])
			p[1] = circuit.PrincipalAngle(p[1] - frame[n.q[1]])
			n.params = p
			out = append(out, n)
		case gpi && n.kind == kReset:
			frame[n.q[0]] = 0
			out = append(out, n)
		default:
			out = append(out, n)
		}
	}
	for _, f := range frame {
		if f != 0 {
			lw.droppedZ = true
		}
	}
	return out
}
