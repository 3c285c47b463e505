package transpile

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"born/circuit"
	"born/internal/setting"
)

// Options configure Transpile.
type Options struct {
	// Coupling overrides the target's default coupling map. Nil uses the
	// target's (if any).
	Coupling *CouplingMap
	// AllToAll ignores every coupling map: no layout and no routing.
	AllToAll bool
	// Values binds the circuit's parameters by name. Every name must be a
	// parameter of the circuit.
	Values map[string]float64
	// Symbolic keeps parameters without a value as OpenQASM 3 "input float"
	// parameters, for targets that accept them (Target.Symbolic).
	Symbolic bool
	// Route tunes SABRE layout and routing.
	Route RouteOptions
}

// Stats counts the gates of a circuit.
type Stats struct {
	OneQubit      int            `json:"one_qubit_gates"`
	TwoQubit      int            `json:"two_qubit_gates"` // gates on two or more qubits
	Depth         int            `json:"depth"`           // layers of gates, measurements and resets
	TwoQubitDepth int            `json:"two_qubit_depth"` // layers of 2-qubit gates
	Counts        map[string]int `json:"counts"`          // by gate name, "measure" and "reset"
}

// Result is a transpiled circuit.
type Result struct {
	Target *Target
	// Source is the circuit that was transpiled: the input with parameters
	// bound (or renumbered, when some stay symbolic) and, if it measured
	// nothing, a measurement of every qubit appended. Exports are verified
	// against it.
	Source *circuit.Circuit
	// Circuit is the export in the target's gates. With a coupling map (or
	// a Physical target) its qubits are physical qubits 0..N-1.
	Circuit *circuit.Circuit
	// Physical is set when Circuit's qubits are hardware qubits.
	Physical bool
	// Coupling is the map routed on, or nil.
	Coupling *CouplingMap
	// Layout gives where each source qubit starts and ends (identity
	// without routing), and the number of SWAPs inserted.
	Layout *Routing
	// GlobalPhase (radians) and GlobalPhaseExpr (a symbolic part, or nil)
	// relate the unitaries: U_source = e^{i phase} P_final^T U_export P_initial
	// for a pure source, P the layouts. Not written to files; distributions
	// do not depend on it.
	GlobalPhase     float64
	GlobalPhaseExpr circuit.Expr
	// AppendedMeasure is set when the source measured nothing and a
	// measurement of every qubit was appended.
	AppendedMeasure bool
	// DroppedZ is set when final virtual z rotations were dropped (IonQ
	// native gates): the measured distribution is exact, the unitary is
	// exact up to those diagonal phases.
	DroppedZ bool
	// Before and After are the gate counts in the target basis without and
	// with routing (equal when there is no coupling map).
	Before, After Stats
}

// Transpile converts circuit c for target t.
func Transpile(c *circuit.Circuit, t *Target, opts *Options) (*Result, error) {
	if opts == nil {
		opts = &Options{}
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if c.NumQubits < 1 {
		return nil, fmt.Errorf("the circuit has no qubits")
	}
	src, err := bindValues(c, t, opts)
	if err != nil {
		return nil, err
	}
	res := &Result{Target: t}
	if !src.HasMeasure() {
		src = measureAll(src)
		res.AppendedMeasure = true
	}
	res.Source = src
	if err := checkDynamic(src, t); err != nil {
		return nil, err
	}
	n := src.NumQubits
	ident := make([]int, n)
	for i := range ident {
		ident[i] = i
	}
	res.Layout = &Routing{Initial: ident, Final: slices.Clone(ident)}
	if t.AsWritten {
		res.Circuit = src
		res.Before = count(src)
		res.After = res.Before
		return res, nil
	}
	if err := checkAngles(src); err != nil {
		return nil, err
	}
	d, err := decompose(src)
	if err != nil {
		return nil, err
	}
	res.GlobalPhaseExpr = d.phaseSym
	cm := opts.Coupling
	if cm == nil && t.Coupling != nil {
		cm = t.Coupling()
	}
	if opts.AllToAll {
		cm = nil
	}
	// Unrouted, for the "before" counts (and the result without a map).
	lw := &lowering{t: t}
	out, err := build(src, t, lw.run(slices.Clone(d.nodes)), n)
	if err != nil {
		return nil, err
	}
	res.Before = count(out)
	res.Circuit, res.After, res.Physical = out, res.Before, t.Physical
	if cm != nil {
		if err := cm.Check(n); err != nil {
			return nil, err
		}
		if l := opts.Route.InitialLayout; l != nil {
			if err := checkLayout(l, n, cm.N); err != nil {
				return nil, err
			}
		}
		// Terminal measurements are taken out of routing and made at the
		// end, where each qubit finally is: the router may still move a
		// measured qubit, and targets that measure only at the end need
		// them last.
		body, meas := splitTerminalMeasures(d.nodes, n)
		routed, routing := sabre(body, n, cm, opts.Route)
		for _, m := range meas {
			m.q = []int{routing.Final[m.q[0]]}
			routed = append(routed, m)
		}
		lw = &lowering{t: t, cm: cm}
		if out, err = build(src, t, lw.run(routed), cm.N); err != nil {
			return nil, err
		}
		res.Circuit, res.After, res.Physical = out, count(out), true
		res.Layout, res.Coupling = routing, cm
	}
	res.GlobalPhase = circuit.PrincipalAngle(d.phase + lw.phase)
	res.DroppedZ = lw.droppedZ
	return res, nil
}

// bindValues binds the parameters that have values and checks that the
// rest may stay symbolic.
func bindValues(c *circuit.Circuit, t *Target, opts *Options) (*circuit.Circuit, error) {
	var names []string
	for name := range opts.Values {
		if c.SymbolIndex(name) < 0 {
			names = append(names, name)
		}
	}
	if len(names) > 0 {
		sort.Strings(names)
		known := "it has none"
		if len(c.Symbols) > 0 {
			known = "its parameters are " + strings.Join(c.Symbols, ", ")
		}
		return nil, fmt.Errorf("no parameter %s in the circuit (%s)", strings.Join(quoteAll(names), ", "), known)
	}
	for name, v := range opts.Values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("parameter %q = %v: values must be finite", name, v)
		}
	}
	if opts.Symbolic && !t.Symbolic {
		return nil, setting.Errorf("target %s cannot keep parameters symbolic (only qasm3 and braket can): drop {symbolic} and bind them", t.Name)
	}
	var free []string
	for _, s := range c.Symbols {
		if _, ok := opts.Values[s]; !ok {
			free = append(free, s)
		}
	}
	if len(free) > 0 {
		switch {
		case !opts.Symbolic && t.Symbolic:
			return nil, setting.Errorf("parameter %s unbound: give {values}, or keep them as inputs with {symbolic}",
				strings.Join(quoteAll(free), ", "))
		case !t.Symbolic:
			return nil, setting.Errorf("parameter %s unbound: target %s needs numbers; give {values} (only qasm3 and braket keep parameters symbolic)",
				strings.Join(quoteAll(free), ", "), t.Name)
		}
	}
	// Substitute values, renumbering the free symbols.
	args := make([]circuit.Expr, len(c.Symbols))
	for i, s := range c.Symbols {
		if v, ok := opts.Values[s]; ok {
			args[i] = circuit.Const(v)
		} else {
			args[i] = circuit.Sym{Name: s, Index: slices.Index(free, s)}
		}
	}
	out := *c
	out.Symbols = free
	out.Ops = make([]circuit.Op, len(c.Ops))
	for i, op := range c.Ops {
		if len(op.Params) > 0 {
			ps := make([]circuit.Expr, len(op.Params))
			for j, p := range op.Params {
				e := circuit.Subst(p, args)
				if circuit.IsConst(e) {
					v := e.Eval(nil)
					if math.IsNaN(v) || math.IsInf(v, 0) {
						return nil, fmt.Errorf("op %d (%s): parameter %d evaluates to %v", i, op.Gate.Name, j, v)
					}
					if !circuit.IsConst(p) {
						e = circuit.Const(v)
					}
				}
				ps[j] = e
			}
			op.Params = ps
		}
		out.Ops[i] = op
	}
	return &out, nil
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = fmt.Sprintf("%q", x)
	}
	return out
}

// measureAll returns c with a measurement of every qubit i into bit i of a
// new classical register ("c", or "meas" if c has classical bits).
func measureAll(c *circuit.Circuit) *circuit.Circuit {
	out := *c
	out.CRegs = slices.Clone(c.CRegs)
	out.Ops = slices.Clone(c.Ops)
	name := "c"
	if c.NumClbits > 0 {
		name = "meas"
		for taken := true; taken; {
			taken = false
			for _, r := range out.CRegs {
				if r.Name == name {
					name += "_"
					taken = true
				}
			}
		}
	}
	r := out.AddCReg(name, c.NumQubits)
	for q := 0; q < c.NumQubits; q++ {
		out.Ops = append(out.Ops, circuit.Op{Kind: circuit.Measure, Qubits: []int{q}, Clbits: []int{r.Start + q}})
	}
	return &out
}

// checkDynamic refuses mid-circuit measurement, reset and conditions for
// targets that cannot express them.
func checkDynamic(c *circuit.Circuit, t *Target) error {
	if t.Dynamic {
		if t.Format != FormatQuil {
			return nil
		}
		for i, op := range c.Ops {
			for _, cd := range op.Cond {
				if cd.Negate {
					return &Error{Op: i, Gate: describe(c, &op), Msg: "quil: a condition with != cannot be written as Quil jumps; use an OpenQASM 3 target (qasm3, ibm-heron, ibm-eagle)"}
				}
			}
		}
		return nil
	}
	measured := make([]bool, c.NumQubits)
	for i, op := range c.Ops {
		if len(op.Cond) > 0 {
			return &Error{Op: i, Gate: describe(c, &op), Msg: fmt.Sprintf("target %s cannot condition operations on measurement results; use qasm3, ibm-heron, ibm-eagle or quil", t.Name)}
		}
		switch op.Kind {
		case circuit.Reset:
			return &Error{Op: i, Gate: describe(c, &op), Msg: fmt.Sprintf("target %s cannot reset qubits; use qasm3, ibm-heron, ibm-eagle or quil", t.Name)}
		case circuit.Measure:
			for _, q := range op.Qubits {
				if measured[q] {
					return &Error{Op: i, Gate: describe(c, &op), Msg: fmt.Sprintf("target %s measures each qubit once, at the end; %s is measured twice", t.Name, c.QubitLabel(q))}
				}
				measured[q] = true
			}
		case circuit.GateOp:
			for _, q := range op.Qubits {
				if measured[q] {
					return &Error{Op: i, Gate: describe(c, &op), Msg: fmt.Sprintf("target %s measures at the end only, but %s is used after it is measured", t.Name, c.QubitLabel(q))}
				}
			}
		}
	}
	return nil
}

// build turns lowered nodes into a circuit of the target's gates on nq
// qubits, with the source's classical registers and symbols.
func build(src *circuit.Circuit, t *Target, nodes []node, nq int) (*circuit.Circuit, error) {
	out := &circuit.Circuit{NumQubits: nq, NumClbits: src.NumClbits, CRegs: slices.Clone(src.CRegs), Symbols: slices.Clone(src.Symbols)}
	out.QRegs = []circuit.Register{{Name: "q", Start: 0, Size: nq}}
	gate := func(name string) (*circuit.GateDef, error) {
		if t.Format == FormatQuil {
			name = strings.ToUpper(name)
		}
		g, ok := t.Gates[name]
		if !ok {
			return nil, fmt.Errorf("transpile: internal error: target %s has no gate %s", t.Name, name)
		}
		return g, nil
	}
	for _, n := range nodes {
		op := circuit.Op{Qubits: n.q, Cond: n.cond}
		switch n.kind {
		case kBasis1, k2:
			g, err := gate(n.name)
			if err != nil {
				return nil, err
			}
			op.Kind, op.Gate = circuit.GateOp, g
			for _, p := range n.params {
				op.Params = append(op.Params, circuit.Const(p))
			}
		case kRot:
			g, err := gate("r" + string(n.axis))
			if err != nil {
				return nil, err
			}
			op.Kind, op.Gate, op.Params = circuit.GateOp, g, []circuit.Expr{n.angle}
		case kMeasure:
			op.Kind, op.Clbits = circuit.Measure, []int{n.clbit}
		case kReset:
			op.Kind = circuit.Reset
		case kBarrier:
			op.Kind = circuit.Barrier
		default:
			return nil, fmt.Errorf("transpile: internal error: node kind %d left after lowering", n.kind)
		}
		out.Ops = append(out.Ops, op)
	}
	return out, nil
}

// count returns the gate counts and depths of c.
func count(c *circuit.Circuit) Stats {
	s := Stats{Counts: map[string]int{}}
	depth := make([]int, c.NumQubits)
	depth2 := make([]int, c.NumQubits)
	cdepth := make([]int, c.NumClbits)
	for _, op := range c.Ops {
		if op.Kind == circuit.Barrier {
			continue
		}
		name := op.Kind.String()
		if op.Kind == circuit.GateOp {
			name = op.Gate.Name
			if len(op.Qubits) == 1 {
				s.OneQubit++
			} else if len(op.Qubits) >= 2 {
				s.TwoQubit++
			}
		}
		s.Counts[name]++
		l, l2 := 0, 0
		for _, q := range op.Qubits {
			l, l2 = max(l, depth[q]), max(l2, depth2[q])
		}
		for _, b := range op.Clbits {
			l = max(l, cdepth[b])
		}
		for _, cd := range op.Cond {
			for _, b := range cd.Clbits {
				l = max(l, cdepth[b])
			}
		}
		l++
		if op.Kind == circuit.GateOp && len(op.Qubits) >= 2 {
			l2++
		}
		for _, q := range op.Qubits {
			depth[q], depth2[q] = l, l2
		}
		for _, b := range op.Clbits {
			cdepth[b] = l
		}
		s.Depth = max(s.Depth, l)
		s.TwoQubitDepth = max(s.TwoQubitDepth, l2)
	}
	return s
}

// splitTerminalMeasures separates the measurements after which nothing
// touches the qubit or the classical bit (barriers aside) from the rest.
func splitTerminalMeasures(nodes []node, nq int) (rest, meas []node) {
	terminal := make([]bool, len(nodes))
	qubitUsed := make([]bool, nq)
	bitUsed := map[int]bool{}
	for i := len(nodes) - 1; i >= 0; i-- {
		n := &nodes[i]
		if n.kind == kBarrier {
			continue
		}
		if n.kind == kMeasure && len(n.cond) == 0 && !qubitUsed[n.q[0]] && !bitUsed[n.clbit] {
			terminal[i] = true
		}
		for _, q := range n.q {
			qubitUsed[q] = true
		}
		if n.kind == kMeasure {
			bitUsed[n.clbit] = true
		}
		for _, c := range n.cond {
			for _, b := range c.Clbits {
				bitUsed[b] = true
			}
		}
	}
	for i, n := range nodes {
		if terminal[i] {
			meas = append(meas, n)
		} else {
			rest = append(rest, n)
		}
	}
	return rest, meas
}

// checkLayout checks an initial layout of n qubits on N physical qubits.
func checkLayout(l []int, n, N int) error {
	if len(l) != n {
		return fmt.Errorf("initial layout of %d qubits for a circuit of %d", len(l), n)
	}
	seen := map[int]bool{}
	for i, p := range l {
		if p < 0 || p >= N {
			return fmt.Errorf("initial layout: qubit %d on physical qubit %d, outside 0..%d", i, p, N-1)
		}
		if seen[p] {
			return fmt.Errorf("initial layout: physical qubit %d used twice", p)
		}
		seen[p] = true
	}
	return nil
}
