package transpile

// Small readers of IonQ JSON and Quil, written for the tests only: they
// read back what the writers produce so that exports can be simulated. They
// follow the vendors' documented semantics (IonQ: gpi/gpi2/ms phases and ms
// angle in turns, qis rotations in radians, every qubit measured at the
// end; Quil: RX/RZ/CZ, MEASURE into ro, RESET, JUMP-WHEN/JUMP-UNLESS over a
// gate to a LABEL) independently of the writers' code.

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"born/circuit"
)

func readIonQ(data []byte) (*circuit.Circuit, error) {
	var in struct {
		Format  string `json:"format"`
		Gateset string `json:"gateset"`
		Qubits  int    `json:"qubits"`
		Circuit []struct {
			Gate     string    `json:"gate"`
			Target   *int      `json:"target"`
			Targets  []int     `json:"targets"`
			Control  *int      `json:"control"`
			Rotation *float64  `json:"rotation"`
			Phase    *float64  `json:"phase"`
			Phases   []float64 `json:"phases"`
			Angle    *float64  `json:"angle"`
		} `json:"circuit"`
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return nil, err
	}
	if in.Format != "ionq.circuit.v0" || (in.Gateset != "qis" && in.Gateset != "native") || in.Qubits < 1 {
		return nil, fmt.Errorf("ionq: bad header %q %q %d", in.Format, in.Gateset, in.Qubits)
	}
	c := circuit.New(in.Qubits, 0)
	turn := func(x float64) circuit.Expr { return circuit.Const(2 * math.Pi * x) }
	for i, g := range in.Circuit {
		def := IonQGates[g.Gate]
		if def == nil {
			return nil, fmt.Errorf("ionq: gate %d: unknown gate %q", i, g.Gate)
		}
		native := g.Gate == "gpi" || g.Gate == "gpi2" || g.Gate == "ms"
		if native != (in.Gateset == "native") {
			return nil, fmt.Errorf("ionq: gate %d: %s in gateset %s", i, g.Gate, in.Gateset)
		}
		switch {
		case g.Gate == "ms":
			if len(g.Targets) != 2 || len(g.Phases) != 2 {
				return nil, fmt.Errorf("ionq: gate %d: ms needs 2 targets and 2 phases", i)
			}
			angle := 0.25
			if g.Angle != nil {
				angle = *g.Angle
			}
			c.Apply(def, []circuit.Expr{turn(g.Phases[0]), turn(g.Phases[1]), turn(angle)}, g.Targets...)
		case g.Gate == "gpi" || g.Gate == "gpi2":
			if g.Target == nil || g.Phase == nil {
				return nil, fmt.Errorf("ionq: gate %d: %s needs a target and a phase", i, g.Gate)
			}
			c.Apply(def, []circuit.Expr{turn(*g.Phase)}, *g.Target)
		case g.Control != nil:
			if g.Target == nil {
				return nil, fmt.Errorf("ionq: gate %d: no target", i)
			}
			c.G(def, *g.Control, *g.Target)
		case len(def.Params) == 1:
			if g.Target == nil || g.Rotation == nil {
				return nil, fmt.Errorf("ionq: gate %d: %s needs a target and a rotation", i, g.Gate)
			}
			c.Apply(def, []circuit.Expr{circuit.Const(*g.Rotation)}, *g.Target)
		default:
			if g.Target == nil {
				return nil, fmt.Errorf("ionq: gate %d: no target", i)
			}
			c.G(def, *g.Target)
		}
	}
	return c, c.Validate()
}

func readQuil(text string) (*circuit.Circuit, error) {
	var ops []circuit.Op
	nq, nbits := 0, 0
	var pending []circuit.Condition // conditions of the jumps to the open label
	open := ""
	sc := bufio.NewScanner(strings.NewReader(text))
	ln := 0
	for sc.Scan() {
		ln++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		errf := func(format string, args ...any) error {
			return fmt.Errorf("quil:%d: %s", ln, fmt.Sprintf(format, args...))
		}
		qubit := func(s string) (int, error) {
			q, err := strconv.Atoi(s)
			if err != nil || q < 0 {
				return 0, errf("bad qubit %q", s)
			}
			nq = max(nq, q+1)
			return q, nil
		}
		bit := func(s string) (int, error) {
			if !strings.HasPrefix(s, "ro[") || !strings.HasSuffix(s, "]") {
				return 0, errf("bad memory reference %q", s)
			}
			b, err := strconv.Atoi(s[3 : len(s)-1])
			if err != nil || b < 0 || b >= nbits {
				return 0, errf("bad memory reference %q", s)
			}
			return b, nil
		}
		switch {
		case f[0] == "DECLARE":
			if len(f) != 3 || f[1] != "ro" || !strings.HasPrefix(f[2], "BIT[") {
				return nil, errf("bad DECLARE")
			}
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(f[2], "BIT["), "]"))
			if err != nil {
				return nil, errf("bad DECLARE")
			}
			nbits = n
		case f[0] == "MEASURE" || f[0] == "RESET":
			q, err := qubit(f[1])
			if err != nil {
				return nil, err
			}
			op := circuit.Op{Kind: circuit.Reset, Qubits: []int{q}, Cond: pending}
			if f[0] == "MEASURE" {
				b, err := bit(f[2])
				if err != nil {
					return nil, err
				}
				op.Kind, op.Clbits = circuit.Measure, []int{b}
			}
			ops = append(ops, op)
		case f[0] == "JUMP-WHEN" || f[0] == "JUMP-UNLESS":
			if open != "" && open != f[1] {
				return nil, errf("nested labels")
			}
			open = f[1]
			b, err := bit(f[2])
			if err != nil {
				return nil, err
			}
			v := uint64(0) // JUMP-WHEN skips when 1: the op needs 0
			if f[0] == "JUMP-UNLESS" {
				v = 1
			}
			pending = append(pending, circuit.Condition{Clbits: []int{b}, Value: v})
		case f[0] == "LABEL":
			if f[1] != open {
				return nil, errf("label %s without a jump", f[1])
			}
			open, pending = "", nil
		default:
			name, arg := f[0], ""
			if i := strings.IndexByte(name, '('); i >= 0 {
				name, arg = name[:i], strings.TrimSuffix(name[i+1:], ")")
			}
			g := QuilGates[name]
			if g == nil {
				return nil, errf("unknown gate %s", name)
			}
			var qs []int
			for _, s := range f[1:] {
				q, err := qubit(s)
				if err != nil {
					return nil, err
				}
				qs = append(qs, q)
			}
			op := circuit.Op{Kind: circuit.GateOp, Gate: g, Qubits: qs, Cond: pending}
			if len(g.Params) > 0 {
				v, err := quilNumber(arg)
				if err != nil {
					return nil, errf("%v", err)
				}
				op.Params = []circuit.Expr{circuit.Const(v)}
			}
			ops = append(ops, op)
		}
	}
	c := circuit.New(nq, nbits)
	c.Ops = ops
	return c, c.Validate()
}

// quilNumber reads a number or k*pi/m as Quil writes angles.
func quilNumber(s string) (float64, error) {
	switch s {
	case "pi":
		return math.Pi, nil
	case "-pi":
		return -math.Pi, nil
	case "pi/2":
		return math.Pi / 2, nil
	case "-pi/2":
		return -math.Pi / 2, nil
	}
	return strconv.ParseFloat(s, 64)
}
