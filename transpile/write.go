package transpile

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"born/circuit"
	"born/qasm"
)

// Header is what an export says about itself in comments: the source it
// came from, the layout and the gate counts.
type Header struct {
	Source string // the source file, for the first comment line
}

// Write writes the export in its target's format: OpenQASM 2 or 3
// through package qasm's writer (qasm2, qasm3 and the IBM targets, physical
// qubits written $k), OpenQASM 3 in Braket's dialect (Braket's gate names,
// which need no definitions, and its verbatim box; no barriers, which
// Braket rejects), IonQ's JSON or Quil (neither has barriers either).
// OpenQASM and Quil exports start with comments giving the source, the
// layouts and the gate counts. Output is deterministic: the same result
// gives the same bytes.
func (r *Result) Write(w io.Writer, h Header) error {
	bw := bufio.NewWriter(w)
	var err error
	switch {
	case r.Target.Format == FormatQASM2 || r.Target.Format == FormatQASM3:
		err = r.writeQASM(bw, h)
	case r.Target.Format == FormatIonQ:
		err = r.writeIonQ(bw)
	case r.Target.Format == FormatQuil:
		err = r.writeQuil(bw, h)
	default:
		err = r.writeBraket(bw, h)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

// Comments returns the header comment lines of an export (without comment
// markers): target, source, layouts and gate counts.
func (r *Result) Comments(h Header) []string {
	t := r.Target
	lines := []string{fmt.Sprintf("born export --target %s: %s", t.Name, t.Description)}
	src := h.Source
	if src == "" {
		src = "circuit"
	}
	lines = append(lines, fmt.Sprintf("source: %s, %d qubits, %d classical bits", src, r.Source.NumQubits, r.Source.NumClbits))
	if len(r.Circuit.Symbols) > 0 {
		lines = append(lines, "symbolic parameters: "+strings.Join(r.Circuit.Symbols, ", "))
	}
	if r.AppendedMeasure {
		lines = append(lines, "the source measured nothing: every qubit is measured at the end")
	}
	if r.Coupling != nil {
		lines = append(lines, fmt.Sprintf("coupling map %s (%d qubits): %d SWAPs inserted", r.Coupling.Name, r.Coupling.N, r.Layout.Swaps))
	}
	if r.Physical || r.Coupling != nil {
		lines = append(lines, "initial layout: "+layoutString(r.Source, r.Layout.Initial, r.qubitName))
		lines = append(lines, "final layout:   "+layoutString(r.Source, r.Layout.Final, r.qubitName))
	}
	a := r.After
	lines = append(lines, fmt.Sprintf("gates: %d 1-qubit, %d 2-qubit; depth %d, 2-qubit depth %d", a.OneQubit, a.TwoQubit, a.Depth, a.TwoQubitDepth))
	if r.DroppedZ {
		lines = append(lines, "final z rotations are virtual and dropped: they do not change measured probabilities")
	}
	return lines
}

func layoutString(src *circuit.Circuit, l []int, name func(int) string) string {
	parts := make([]string, len(l))
	for i, p := range l {
		parts[i] = src.QubitLabel(i) + "->" + name(p)
	}
	return strings.Join(parts, " ")
}

// qubitName is how the export names its qubit q.
func (r *Result) qubitName(q int) string {
	switch {
	case r.Target.Format == FormatQuil || r.Target.Format == FormatIonQ:
		return strconv.Itoa(q)
	case r.Physical:
		return "$" + strconv.Itoa(q)
	}
	return fmt.Sprintf("q[%d]", q)
}

// fmtAngle prints a number so that it parses back to the same float64.
func fmtAngle(v float64) string {
	if v == 0 {
		return "0"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func (r *Result) writeBraket(w *bufio.Writer, h Header) error {
	t := r.Target
	c := r.Circuit
	fmt.Fprintln(w, "OPENQASM 3.0;")
	for _, line := range r.Comments(h) {
		fmt.Fprintln(w, "// "+line)
	}
	for _, s := range c.Symbols {
		fmt.Fprintf(w, "input float %s;\n", s)
	}
	for _, reg := range c.CRegs {
		fmt.Fprintf(w, "bit[%d] %s;\n", reg.Size, reg.Name)
	}
	if !r.Physical {
		fmt.Fprintf(w, "qubit[%d] q;\n", c.NumQubits)
	}
	qs := func(q []int) string {
		s := make([]string, len(q))
		for i, x := range q {
			s[i] = r.qubitName(x)
		}
		return strings.Join(s, ", ")
	}
	stmt := func(op *circuit.Op) string {
		switch op.Kind {
		case circuit.Measure:
			return fmt.Sprintf("%s = measure %s;", c.ClbitLabel(op.Clbits[0]), r.qubitName(op.Qubits[0]))
		case circuit.Reset:
			return "reset " + qs(op.Qubits) + ";"
		}
		s := op.Gate.Name
		if len(op.Params) > 0 {
			ps := make([]string, len(op.Params))
			for i, p := range op.Params {
				if v, ok := constVal(p); ok {
					ps[i] = fmtAngle(v)
				} else {
					ps[i] = p.String()
				}
			}
			s += "(" + strings.Join(ps, ", ") + ")"
		}
		return s + " " + qs(op.Qubits) + ";"
	}
	if t.Verbatim {
		// Braket: native gates in one verbatim box, measurements after it
		// (the target measures each qubit once, at the end).
		fmt.Fprintln(w, "#pragma braket verbatim")
		fmt.Fprintln(w, "box {")
		for i := range c.Ops {
			if op := &c.Ops[i]; op.Kind == circuit.GateOp {
				fmt.Fprintln(w, "  "+stmt(op))
			}
		}
		fmt.Fprintln(w, "}")
		for i := range c.Ops {
			if op := &c.Ops[i]; op.Kind == circuit.Measure {
				fmt.Fprintln(w, stmt(op))
			}
		}
		return nil
	}
	for i := range c.Ops {
		op := &c.Ops[i]
		if op.Kind == circuit.Barrier {
			// Braket's supported statements have no barrier (the program
			// is rejected); a barrier only orders gates, which keep their
			// order here anyway.
			continue
		}
		s := stmt(op)
		for j := len(op.Cond) - 1; j >= 0; j-- {
			s = "if (" + conditionQASM3(c, op.Cond[j]) + ") { " + s + " }"
		}
		fmt.Fprintln(w, s)
	}
	return nil
}

// writeQASM writes through package qasm's writer, with the header comments
// after the version line. Physical qubits are written $k: the circuit is cut
// to its highest qubit used, so that it reads back with the same qubits.
func (r *Result) writeQASM(w *bufio.Writer, h Header) error {
	c := r.Circuit
	version := 3
	if r.Target.Format == FormatQASM2 {
		version = 2
	}
	if r.Physical {
		top := 0
		for _, op := range c.Ops {
			for _, q := range op.Qubits {
				top = max(top, q)
			}
		}
		cut := *c
		cut.NumQubits = top + 1
		cut.QRegs = []circuit.Register{{Name: "$", Size: top + 1}}
		c = &cut
	}
	text, err := qasm.Format(c, qasm.WriteOptions{Version: version})
	if err != nil {
		return fmt.Errorf("writing %s: %w", r.Target.Format, err)
	}
	first, rest, _ := strings.Cut(string(text), "\n")
	w.WriteString(first + "\n")
	for _, line := range r.Comments(h) {
		w.WriteString("// " + line + "\n")
	}
	w.WriteString(rest)
	return nil
}

// conditionQASM3 writes a condition: a whole register compared with an
// integer, or a conjunction of single bits.
func conditionQASM3(c *circuit.Circuit, cd circuit.Condition) string {
	op := "=="
	if cd.Negate {
		op = "!="
	}
	for _, reg := range c.CRegs {
		if reg.Size != len(cd.Clbits) {
			continue
		}
		whole := true
		for i, b := range cd.Clbits {
			if b != reg.Start+i {
				whole = false
			}
		}
		if whole {
			return fmt.Sprintf("%s %s %d", reg.Name, op, cd.Value)
		}
	}
	var parts []string
	for i, b := range cd.Clbits {
		v := "0"
		if cd.Value>>uint(i)&1 == 1 {
			v = "1"
		}
		parts = append(parts, c.ClbitLabel(b)+" == "+v)
	}
	s := strings.Join(parts, " && ")
	if cd.Negate {
		return "!(" + s + ")"
	}
	return s
}

// GateDefinition returns an OpenQASM 3 gate statement defining g by its
// body.
func GateDefinition(g *circuit.GateDef) string {
	var b strings.Builder
	b.WriteString("gate " + g.Name)
	if len(g.Params) > 0 {
		b.WriteString("(" + strings.Join(g.Params, ", ") + ")")
	}
	b.WriteString(" " + strings.Join(g.QubitNames, ", ") + " {")
	for _, op := range g.Body {
		b.WriteString(" ")
		for _, m := range op.Mods {
			b.WriteString(m.String() + " ")
		}
		b.WriteString(op.Gate.Name)
		if len(op.Params) > 0 {
			b.WriteString("(" + circuit.ExprList(op.Params) + ")")
		}
		qs := make([]string, len(op.Qubits))
		for i, q := range op.Qubits {
			qs[i] = g.QubitNames[q]
		}
		b.WriteString(" " + strings.Join(qs, ", ") + ";")
	}
	b.WriteString(" }")
	return b.String()
}

// ReadableQASM returns an exported OpenQASM 3 program in a form a plain
// OpenQASM 3 reader simulates: Braket's gate names are defined in terms of
// stdgates.inc, and the verbatim pragma and box are removed (a verbatim box
// only tells Braket not to compile its contents). It is for verification;
// the export itself stays as written.
func ReadableQASM(t *Target, text string) string {
	if t.Format != FormatBraket {
		return text
	}
	var b strings.Builder
	lines := strings.Split(text, "\n")
	inBox := false
	for i, line := range lines {
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "#pragma braket verbatim":
			continue
		case trimmed == "box {":
			inBox = true
			continue
		case inBox && trimmed == "}":
			inBox = false
			continue
		}
		b.WriteString(line)
		if i < len(lines)-1 {
			b.WriteByte('\n')
		}
		if strings.HasPrefix(trimmed, "OPENQASM") {
			b.WriteString("include \"stdgates.inc\";\n")
			for _, name := range BraketGates.Names() {
				if g := BraketGates[name]; g.Lib == circuit.LibUser {
					b.WriteString(GateDefinition(g) + "\n")
				}
			}
		}
	}
	return b.String()
}

// ionqGate is one gate of IonQ's JSON circuit format.
type ionqGate struct {
	Gate     string    `json:"gate"`
	Target   *int      `json:"target,omitempty"`
	Targets  []int     `json:"targets,omitempty"`
	Control  *int      `json:"control,omitempty"`
	Rotation *float64  `json:"rotation,omitempty"` // qis rotations, radians
	Phase    *float64  `json:"phase,omitempty"`    // gpi, gpi2: turns
	Phases   []float64 `json:"phases,omitempty"`   // ms: turns
	Angle    *float64  `json:"angle,omitempty"`    // ms: turns
}

// turns converts radians to turns in [0, 1).
func turns(rad float64) float64 {
	t := math.Mod(rad/(2*math.Pi), 1)
	if t < 0 {
		t++
	}
	if t >= 1 {
		t = 0
	}
	return t
}

func (r *Result) writeIonQ(w *bufio.Writer) error {
	gateset := "qis"
	if r.Target.OneQubit == FormGPI {
		gateset = "native"
	}
	var gates []ionqGate
	for _, op := range r.Circuit.Ops {
		if op.Kind != circuit.GateOp {
			continue // IonQ measures every qubit at the end; barriers have no form
		}
		p := make([]float64, len(op.Params))
		for i, e := range op.Params {
			p[i] = e.Eval(nil)
		}
		g := ionqGate{Gate: op.Gate.Name}
		q0 := op.Qubits[0]
		switch op.Gate.Name {
		case "gpi", "gpi2":
			ph := turns(p[0])
			g.Target, g.Phase = &q0, &ph
		case "ms":
			g.Targets = op.Qubits
			g.Phases = []float64{turns(p[0]), turns(p[1])}
			if math.Abs(p[2]-math.Pi/2) > 1e-15 {
				a := p[2] / (2 * math.Pi)
				g.Angle = &a
			}
		case "cnot":
			q1 := op.Qubits[1]
			g.Control, g.Target = &q0, &q1
		default: // rz, ry, rx
			g.Target = &q0
			if len(p) > 0 {
				g.Rotation = &p[0]
			}
		}
		gates = append(gates, g)
	}
	// IonQ's JSON circuit (the "input" of a job), its gates written one per
	// line: readable and diffable, and still plain JSON.
	head, err := json.Marshal(struct {
		Format  string `json:"format"`
		Gateset string `json:"gateset"`
		Qubits  int    `json:"qubits"`
	}{"ionq.circuit.v0", gateset, r.Circuit.NumQubits})
	if err != nil {
		return err
	}
	w.Write(head[:len(head)-1])
	w.WriteString(`,"circuit":[`)
	for i, g := range gates {
		b, err := json.Marshal(g)
		if err != nil {
			return err
		}
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString("\n  ")
		w.Write(b)
	}
	w.WriteString("\n]}\n")
	return nil
}

func (r *Result) writeQuil(w *bufio.Writer, h Header) error {
	c := r.Circuit
	for _, line := range r.Comments(h) {
		fmt.Fprintln(w, "# "+line)
	}
	if c.NumClbits > 0 {
		var regs []string
		for _, reg := range c.CRegs {
			regs = append(regs, fmt.Sprintf("%s = ro[%d:%d]", reg.Name, reg.Start, reg.Start+reg.Size-1))
		}
		fmt.Fprintln(w, "# classical bits: "+strings.Join(regs, ", "))
		fmt.Fprintf(w, "DECLARE ro BIT[%d]\n", c.NumClbits)
	}
	label := 0
	for _, op := range c.Ops {
		var s string
		switch op.Kind {
		case circuit.Measure:
			s = fmt.Sprintf("MEASURE %d ro[%d]", op.Qubits[0], op.Clbits[0])
		case circuit.Reset:
			s = fmt.Sprintf("RESET %d", op.Qubits[0])
		case circuit.Barrier:
			continue // Quil has no barrier; gates keep their order
		default:
			s = op.Gate.Name
			if len(op.Params) > 0 {
				s += "(" + quilAngle(op.Params[0].Eval(nil)) + ")"
			}
			for _, q := range op.Qubits {
				s += " " + strconv.Itoa(q)
			}
		}
		if len(op.Cond) == 0 {
			fmt.Fprintln(w, s)
			continue
		}
		// c == v: skip the operation unless every bit has its value.
		label++
		skip := fmt.Sprintf("@skip%d", label)
		for _, cd := range op.Cond {
			if cd.Negate {
				return fmt.Errorf("quil: a condition \"!=\" cannot be written as Quil jumps; use an OpenQASM 3 target")
			}
			for i, b := range cd.Clbits {
				jump := "JUMP-UNLESS"
				if cd.Value>>uint(i)&1 == 0 {
					jump = "JUMP-WHEN"
				}
				fmt.Fprintf(w, "%s %s ro[%d]\n", jump, skip, b)
			}
		}
		fmt.Fprintln(w, s)
		fmt.Fprintln(w, "LABEL "+skip)
	}
	return nil
}

// quilAngle writes the native RX angles as multiples of pi.
func quilAngle(v float64) string {
	switch v {
	case math.Pi:
		return "pi"
	case -math.Pi:
		return "-pi"
	case math.Pi / 2:
		return "pi/2"
	case -math.Pi / 2:
		return "-pi/2"
	}
	return fmtAngle(v)
}
