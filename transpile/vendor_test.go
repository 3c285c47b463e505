package transpile

// Exports checked against each vendor's published list of what it accepts,
// written down here from the vendors' documentation (not from born's own
// reader, which accepts far more):
//
//   - Amazon Braket, "What OpenQASM features does Braket support?"
//     https://docs.aws.amazon.com/braket/latest/developerguide/braket-openqasm-supported-features.html
//     Statements: the header OPENQASM 3; bit and qubit declarations (bit,
//     bit[n], qubit, qubit[n]); indexing q[0]; input float; physical qubits
//     $0; the device's supported gates, which need no definition; verbatim
//     box statements (#pragma braket verbatim, box{...}, native gates on
//     physical qubits); measurement and measurement assignment. Nothing
//     else: no barrier, no reset, no if, no include, no gate definitions.
//     The gates: the Braket SDK's gate set, which the state-vector
//     simulator SV1 lists as its supportedOperations
//     (https://docs.aws.amazon.com/braket/latest/developerguide/braket-constructing-circuit.html,
//     braket-openqasm-device-support.html): ccnot, cnot, cphaseshift,
//     cphaseshift00, cphaseshift01, cphaseshift10, cswap, cy, cz, h, i,
//     iswap, pswap, phaseshift, rx, ry, rz, s, si, swap, t, ti, v, vi, x,
//     xx, xy, y, yy, z, zz; in a verbatim box on IonQ devices the native
//     gates gpi, gpi2, ms.
//   - IBM Quantum, "Native gates and operations"
//     (https://quantum.cloud.ibm.com/docs/guides/native-gates): Heron cz,
//     rz, sx, x, id; Eagle ecr, rz, sx, x, id; operations reset, measure,
//     delay, if_else (and for_loop, switch_case). "OpenQASM 3 feature table"
//     (https://quantum.cloud.ibm.com/docs/guides/qasm-feature-table), the
//     IBM Qiskit Runtime column: comments, version string, bit, measure,
//     reset, barrier, delay, if and else (not else if, not nested), built-in
//     U, pi folded into gate parameters; qubits only as physical qubits $n,
//     no qubit arrays; include has no effect (note 1); gate definitions and
//     modifiers are not valid for hardware (note 7), no input. The one gate
//     definition an export may hold is that of a basis gate that
//     stdgates.inc lacks (ecr), so that OpenQASM 3 readers other than IBM's
//     read the file; the test allows exactly that.
//   - IonQ, "Writing Quantum Programs" and "Native gates"
//     (https://docs.ionq.com/api-reference/v0.3/writing-quantum-programs,
//     https://docs.ionq.com/api-reference/v0.3/native-gates-api): the
//     ionq.circuit.v0 format; qis gates x, y, z, rx, ry, rz, h, not, cnot,
//     s, si, t, ti, v, vi, swap (rotations in radians); native gates gpi,
//     gpi2 (phase), ms (phases, optional angle) and zz; phases in turns
//     between -1 and 1, the ms angle in turns from 0 to 0.25.
//   - Rigetti, pyQuil "Native gates for Rigetti QPUs"
//     (https://pyquil-docs.rigetti.com/en/v2.28.2/apidocs/gates.html): RX
//     with angle +-pi/2 or +-pi, RZ with any angle, CZ (and XY), MEASURE;
//     the Quil specification (https://quil-lang.github.io/) adds DECLARE,
//     RESET, LABEL, JUMP-WHEN and JUMP-UNLESS, and # comments.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"born/circuit"
)

var (
	braketGates = []string{"ccnot", "cnot", "cphaseshift", "cphaseshift00", "cphaseshift01", "cphaseshift10", "cswap",
		"cy", "cz", "h", "i", "iswap", "pswap", "phaseshift", "rx", "ry", "rz", "s", "si", "swap", "t", "ti", "v", "vi",
		"x", "xx", "xy", "y", "yy", "z", "zz"}
	braketIonQNative = []string{"gpi", "gpi2", "ms"}
	heronGates       = []string{"cz", "rz", "sx", "x", "id"}
	eagleGates       = []string{"ecr", "rz", "sx", "x", "id"}
	ionqQIS          = []string{"x", "y", "z", "rx", "ry", "rz", "h", "not", "cnot", "s", "si", "t", "ti", "v", "vi", "swap"}
	ionqNative       = []string{"gpi", "gpi2", "ms", "zz"}
)

var (
	reNumber   = `[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?`
	reIdent    = `[A-Za-z_][A-Za-z0-9_]*`
	reQubitArr = regexp.MustCompile(`^` + reIdent + `\[\d+\]$`)
	rePhysical = regexp.MustCompile(`^\$\d+$`)
	reNum      = regexp.MustCompile(`^` + reNumber + `$`)
	reIdentRE  = regexp.MustCompile(`^` + reIdent + `$`)
	reBitDecl  = regexp.MustCompile(`^bit(\[\d+\])? ` + reIdent + `;$`)
	reQubDecl  = regexp.MustCompile(`^qubit(\[\d+\])? ` + reIdent + `;$`)
	reInput    = regexp.MustCompile(`^input float ` + reIdent + `;$`)
	reGateCall = regexp.MustCompile(`^(` + reIdent + `)(\(([^()]*)\))? ([^;]+);$`)
	reMeasure  = regexp.MustCompile(`^(` + reIdent + `(\[\d+\])? = )?measure ([^;]+);$`)
	reIf       = regexp.MustCompile(`^if \(([^()]+)\) (.*)$`)
	reCond     = regexp.MustCompile(`^` + reIdent + `(\[\d+\])? (==|!=) \d+$`)
)

// operands checks a comma-separated qubit list: physical $n only, or
// indexed virtual qubits q[i] too.
func operands(list string, physicalOnly bool) error {
	for _, q := range strings.Split(list, ", ") {
		switch {
		case rePhysical.MatchString(q):
		case !physicalOnly && reQubitArr.MatchString(q):
		default:
			return fmt.Errorf("qubit operand %q", q)
		}
	}
	return nil
}

// params checks gate arguments: numbers, or input parameter names where
// allowed.
func params(list string, symbols bool) error {
	if list == "" {
		return nil
	}
	for _, a := range strings.Split(list, ", ") {
		if !reNum.MatchString(a) && !(symbols && reIdentRE.MatchString(a) && a != "pi") {
			return fmt.Errorf("gate argument %q", a)
		}
	}
	return nil
}

// checkBraket checks an export against Braket's supported statements.
func checkBraket(text string, native []string) error {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if lines[0] != "OPENQASM 3.0;" && lines[0] != "OPENQASM 3;" {
		return fmt.Errorf("header %q", lines[0])
	}
	inBox, pragma := false, false
	for i, raw := range lines[1:] {
		l := strings.TrimSpace(raw)
		fail := func(format string, a ...any) error {
			return fmt.Errorf("line %d %q: %s", i+2, raw, fmt.Sprintf(format, a...))
		}
		switch {
		case l == "" || strings.HasPrefix(l, "//"):
			continue // comments are not statements
		case l == "#pragma braket verbatim":
			pragma = true
			continue
		case l == "box {" || l == "box{":
			if !pragma {
				return fail("a box without the verbatim pragma")
			}
			inBox, pragma = true, false
			continue
		case l == "}" && inBox:
			inBox = false
			continue
		}
		if pragma {
			return fail("the verbatim pragma must precede a box")
		}
		switch m := reGateCall.FindStringSubmatch(l); {
		case reBitDecl.MatchString(l) || reQubDecl.MatchString(l) || reInput.MatchString(l):
			if inBox {
				return fail("a declaration in a verbatim box")
			}
		case reMeasure.MatchString(l):
			if err := operands(reMeasure.FindStringSubmatch(l)[3], false); err != nil {
				return fail("%v", err)
			}
		case m != nil:
			name := m[1]
			gates := braketGates
			if inBox {
				gates = native
			}
			if !slices.Contains(gates, name) {
				return fail("gate %s is not among the supported gates %v", name, gates)
			}
			if err := params(m[3], !inBox); err != nil {
				return fail("%v", err)
			}
			if err := operands(m[4], inBox); err != nil {
				return fail("%v (a verbatim box needs physical qubits)", err)
			}
		default:
			return fail("not a statement Braket supports")
		}
	}
	if inBox || pragma {
		return fmt.Errorf("unterminated verbatim box")
	}
	return nil
}

// checkIBM checks an export against IBM's native gates and the Qiskit
// Runtime column of the OpenQASM 3 feature table.
func checkIBM(text string, basis []string) error {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if lines[0] != "OPENQASM 3.0;" && lines[0] != "OPENQASM 3;" {
		return fmt.Errorf("header %q", lines[0])
	}
	inDef := false
	var stmt func(l string, nested bool) error
	stmt = func(l string, nested bool) error {
		if m := reIf.FindStringSubmatch(l); m != nil {
			if nested {
				return fmt.Errorf("a nested if")
			}
			for _, c := range strings.Split(m[1], " && ") {
				if !reCond.MatchString(c) {
					return fmt.Errorf("condition %q", c)
				}
			}
			body := strings.TrimSpace(m[2])
			if strings.HasPrefix(body, "{") && strings.HasSuffix(body, "}") {
				body = strings.TrimSpace(body[1 : len(body)-1])
			}
			return stmt(body, true)
		}
		switch m := reGateCall.FindStringSubmatch(l); {
		case strings.HasPrefix(l, "reset ") || strings.HasPrefix(l, "barrier "):
			_, list, _ := strings.Cut(strings.TrimSuffix(l, ";"), " ")
			return operands(list, true)
		case reMeasure.MatchString(l):
			return operands(reMeasure.FindStringSubmatch(l)[3], true)
		case m != nil:
			if !slices.Contains(basis, m[1]) {
				return fmt.Errorf("gate %s is not a native gate %v", m[1], basis)
			}
			if err := params(m[3], false); err != nil {
				return err
			}
			return operands(m[4], true)
		}
		return fmt.Errorf("not a statement IBM hardware runs")
	}
	for i, raw := range lines[1:] {
		l := strings.TrimSpace(raw)
		if inDef {
			inDef = l != "}"
			continue
		}
		var err error
		switch {
		case l == "" || strings.HasPrefix(l, "//"), l == `include "stdgates.inc";`, reBitDecl.MatchString(l):
		case strings.HasPrefix(l, "gate "):
			name := strings.Fields(l)[1]
			if !slices.Contains(basis, name) || !strings.HasSuffix(l, "{") {
				err = fmt.Errorf("a definition of %s, which is not a basis gate", name)
			}
			inDef = true
		case strings.HasPrefix(l, "qubit"):
			err = fmt.Errorf("a qubit declaration: IBM takes physical qubits only")
		default:
			err = stmt(l, false)
		}
		if err != nil {
			return fmt.Errorf("line %d %q: %v", i+2, raw, err)
		}
	}
	return nil
}

// checkIonQ checks IonQ's JSON circuit format and gate sets.
func checkIonQ(text string) error {
	var in struct {
		Format  string           `json:"format"`
		Gateset string           `json:"gateset"`
		Qubits  int              `json:"qubits"`
		Circuit []map[string]any `json:"circuit"`
	}
	dec := json.NewDecoder(strings.NewReader(text))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return err
	}
	if in.Format != "ionq.circuit.v0" || in.Qubits < 1 {
		return fmt.Errorf("header %q, %d qubits", in.Format, in.Qubits)
	}
	gates, native := ionqQIS, false
	switch in.Gateset {
	case "qis":
	case "native":
		gates, native = ionqNative, true
	default:
		return fmt.Errorf("gateset %q", in.Gateset)
	}
	qubit := func(v any) error {
		f, ok := v.(float64)
		if !ok || f != math.Trunc(f) || f < 0 || int(f) >= in.Qubits {
			return fmt.Errorf("qubit %v", v)
		}
		return nil
	}
	turn := func(v any) error {
		if f, ok := v.(float64); !ok || f < -1 || f > 1 {
			return fmt.Errorf("phase %v: turns between -1 and 1", v)
		}
		return nil
	}
	for i, g := range in.Circuit {
		name, _ := g["gate"].(string)
		if !slices.Contains(gates, name) {
			return fmt.Errorf("gate %d: %q is not in the %s gate set %v", i, name, in.Gateset, gates)
		}
		var err error
		for k, v := range g {
			switch k {
			case "gate":
			case "target", "control":
				err = qubit(v)
			case "targets", "controls":
				vs, _ := v.([]any)
				for _, q := range vs {
					if err == nil {
						err = qubit(q)
					}
				}
			case "rotation":
				if native || !slices.Contains([]string{"rx", "ry", "rz"}, name) {
					err = fmt.Errorf("rotation on %s", name)
				}
			case "phase":
				if !native || name == "ms" || name == "zz" {
					err = fmt.Errorf("phase on %s", name)
				} else {
					err = turn(v)
				}
			case "phases":
				vs, _ := v.([]any)
				if name != "ms" || len(vs) != 2 {
					err = fmt.Errorf("phases %v on %s", v, name)
				}
				for _, p := range vs {
					if err == nil {
						err = turn(p)
					}
				}
			case "angle":
				if f, ok := v.(float64); name != "ms" && name != "zz" || !ok || f < 0 || f > 0.25 {
					err = fmt.Errorf("angle %v on %s: turns from 0 to 0.25", v, name)
				}
			default:
				err = fmt.Errorf("field %q", k)
			}
			if err != nil {
				return fmt.Errorf("gate %d (%s): %v", i, name, err)
			}
		}
	}
	return nil
}

// checkQuil checks Rigetti's native gates and Quil's instructions.
func checkQuil(text string) error {
	reRX := regexp.MustCompile(`^RX\((-?pi/2|-?pi)\) \d+$`)
	reRZ := regexp.MustCompile(`^RZ\((` + reNumber + `|-?pi/2|-?pi)\) \d+$`)
	reCZ := regexp.MustCompile(`^CZ \d+ \d+$`)
	others := []*regexp.Regexp{
		regexp.MustCompile(`^DECLARE ro BIT\[\d+\]$`),
		regexp.MustCompile(`^MEASURE \d+ ro\[\d+\]$`),
		regexp.MustCompile(`^RESET( \d+)?$`),
		regexp.MustCompile(`^JUMP-(WHEN|UNLESS) @` + reIdent + ` ro\[\d+\]$`),
		regexp.MustCompile(`^LABEL @` + reIdent + `$`),
	}
	for i, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		if l == "" || strings.HasPrefix(l, "#") || reRX.MatchString(l) || reRZ.MatchString(l) || reCZ.MatchString(l) {
			continue
		}
		ok := false
		for _, re := range others {
			ok = ok || re.MatchString(l)
		}
		if !ok {
			return fmt.Errorf("line %d %q: not a native gate (RX(+-pi/2), RX(+-pi), RZ, CZ) or Quil instruction", i+1, l)
		}
	}
	return nil
}

// TestExportsMeetVendorLists exports random circuits (barriers, and
// measurement, reset and conditions where the target has them) to every
// hardware target and checks each file against the vendor's published
// list. The checkers are also shown to reject what the vendors reject.
func TestExportsMeetVendorLists(t *testing.T) {
	checks := map[string]func(string) error{
		"ibm-heron":   func(s string) error { return checkIBM(s, heronGates) },
		"ibm-eagle":   func(s string) error { return checkIBM(s, eagleGates) },
		"braket":      func(s string) error { return checkBraket(s, nil) },
		"braket-ionq": func(s string) error { return checkBraket(s, braketIonQNative) },
		"ionq":        checkIonQ,
		"ionq-native": checkIonQ,
		"quil":        checkQuil,
	}
	rng := rand.New(rand.NewPCG(16, 8))
	trials := 12
	if testing.Short() {
		trials = 4
	}
	for _, tg := range Targets() {
		check, ok := checks[tg.Name]
		if tg.AsWritten {
			continue // qasm2 and qasm3 are not a vendor's
		}
		if !ok {
			t.Fatalf("no vendor check for target %s", tg.Name)
		}
		barriers := 0
		for trial := range trials {
			n := 2 + rng.IntN(4)
			src := randomCircuit(rng, n, 12+rng.IntN(20), tg.Dynamic && trial%2 == 1)
			for _, op := range src.Ops {
				if op.Kind == circuit.Barrier {
					barriers++
				}
			}
			res, err := Transpile(src, tg, &Options{Route: RouteOptions{Seed: uint64(trial), LayoutTrials: 2}})
			if err != nil {
				t.Fatalf("%s: %v", tg.Name, err)
			}
			var buf bytes.Buffer
			if err := res.Write(&buf, Header{Source: "random.qasm"}); err != nil {
				t.Fatal(err)
			}
			if err := check(buf.String()); err != nil {
				t.Errorf("%s, trial %d: %v\n%s", tg.Name, trial, err, buf.String())
			}
		}
		if barriers == 0 {
			t.Errorf("%s: no source had a barrier", tg.Name)
		}
	}

	// The checkers reject what the vendors' lists leave out.
	for _, c := range []struct {
		name, text string
		check      func(string) error
	}{
		{"braket barrier", "OPENQASM 3.0;\nqubit[2] q;\nh q[0];\nbarrier q[0], q[1];\n", checks["braket"]},
		{"braket reset", "OPENQASM 3.0;\nqubit[1] q;\nreset q[0];\n", checks["braket"]},
		{"braket include", "OPENQASM 3.0;\ninclude \"stdgates.inc\";\n", checks["braket"]},
		{"braket cx", "OPENQASM 3.0;\nqubit[2] q;\ncx q[0], q[1];\n", checks["braket"]},
		{"braket virtual qubit in box", "OPENQASM 3.0;\nqubit[1] q;\n#pragma braket verbatim\nbox {\n  gpi(0.1) q[0];\n}\n", checks["braket-ionq"]},
		{"braket non-native in box", "OPENQASM 3.0;\n#pragma braket verbatim\nbox {\n  rx(0.1) $0;\n}\n", checks["braket-ionq"]},
		{"heron ecr", "OPENQASM 3.0;\necr $0, $1;\n", checks["ibm-heron"]},
		{"heron virtual qubits", "OPENQASM 3.0;\nqubit[1] q;\nx q[0];\n", checks["ibm-heron"]},
		{"heron h", "OPENQASM 3.0;\nh $0;\n", checks["ibm-heron"]},
		{"heron nested if", "OPENQASM 3.0;\nbit[2] c;\nif (c[0] == 1) { if (c[1] == 1) { x $0; } }\n", checks["ibm-heron"]},
		{"heron gate definition", "OPENQASM 3.0;\ngate foo a {\n  x a;\n}\n", checks["ibm-heron"]},
		{"ionq u3", `{"format":"ionq.circuit.v0","gateset":"qis","qubits":1,"circuit":[{"gate":"u3","target":0}]}`, checkIonQ},
		{"ionq native phase", `{"format":"ionq.circuit.v0","gateset":"native","qubits":1,"circuit":[{"gate":"gpi","target":0,"phase":1.5}]}`, checkIonQ},
		{"ionq mixed", `{"format":"ionq.circuit.v0","gateset":"native","qubits":2,"circuit":[{"gate":"cnot","control":0,"target":1}]}`, checkIonQ},
		{"quil RX(0.3)", "RX(0.3) 0\n", checkQuil},
		{"quil H", "H 0\n", checkQuil},
	} {
		if err := c.check(c.text); err == nil {
			t.Errorf("%s: accepted", c.name)
		}
	}
}
