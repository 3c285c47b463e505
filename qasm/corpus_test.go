package qasm

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"born/circuit"
)

// The conformance corpus lives outside the repository; tests read it only
// through $BORN_QASM_CORPUS (for example /work/shared/qasm-corpus).
func corpusDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("BORN_QASM_CORPUS")
	if dir == "" {
		t.Skip("BORN_QASM_CORPUS is not set; set it to the OpenQASM conformance corpus directory to run this test")
	}
	return dir
}

func corpusFiles(t *testing.T, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(corpusDir(t), pattern))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no files match %s in the corpus", pattern)
	}
	return files
}

// TestCorpusValid: every top-level program parses without error.
func TestCorpusValid(t *testing.T) {
	files := corpusFiles(t, "*.qasm")
	var opaque []string
	for _, f := range files {
		c, warns, err := ParseFile(f, nil)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		if err := c.Validate(); err != nil {
			t.Errorf("%s: invalid circuit: %v", filepath.Base(f), err)
		}
		for _, d := range c.Defs {
			if d.Opaque {
				opaque = append(opaque, filepath.Base(f)+":"+d.Name)
			}
		}
		for _, w := range warns {
			t.Logf("%s", w)
		}
	}
	t.Logf("%d programs parse; opaque declarations: %v", len(files), opaque)
}

// TestCorpusInvalid: every file in invalid/ is rejected with positioned
// errors, and the first error is on the line MANIFEST.tsv gives.
func TestCorpusInvalid(t *testing.T) {
	files := corpusFiles(t, "invalid/*.qasm")
	wantLine := manifestLines(t)
	for _, f := range files {
		name := "invalid/" + filepath.Base(f)
		_, _, err := ParseFile(f, nil)
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		var list ErrorList
		if !errors.As(err, &list) {
			t.Errorf("%s: error %T without a position: %v", name, err, err)
			continue
		}
		for _, e := range list {
			if e.File != f || e.Line < 1 || e.Col < 1 {
				t.Errorf("%s: badly positioned error %q", name, e.Error())
			}
		}
		if line, ok := wantLine[name]; ok && list[0].Line != line {
			t.Errorf("%s: first error on line %d, MANIFEST says line %d: %v", name, list[0].Line, line, list[0])
		}
		t.Logf("%s: %s", name, list[0])
	}
}

// manifestLines reads the expected error line of invalid files from the notes
// column of MANIFEST.tsv ("REJECT: file.qasm:4: ..." or "REJECT: line 7: ...").
func manifestLines(t *testing.T) map[string]int {
	f, err := os.Open(filepath.Join(corpusDir(t), "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	re := regexp.MustCompile(`REJECT: (?:\S+\.qasm:(\d+):|line (\d+):)`)
	lines := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if m := re.FindStringSubmatch(cols[len(cols)-1]); m != nil {
			n, _ := strconv.Atoi(m[1] + m[2])
			lines[cols[0]] = n
		}
	}
	if len(lines) == 0 {
		t.Fatal("no REJECT lines in MANIFEST.tsv")
	}
	return lines
}

// corpusQASM3 is what born does with each OpenQASM 3 program of the corpus:
// "" when it runs, else the feature its first error names.
var corpusQASM3 = map[string]string{
	"mqt_test_qasm3.qasm":   "unknown gate 'sxdg' (stdgates.inc does not define it", // not a standard gate
	"oq3_adder.qasm":        "",
	"oq3_cphase.qasm":       "unknown gate 'CX' (not declared; missing include", // a fragment: no include, no qubits
	"oq3_gateteleport.qasm": "extern declarations are not supported",
	"oq3_inverseqft1.qasm":  "",
	"oq3_inverseqft2.qasm":  "",
	"oq3_ipe.qasm":          "angle variable 'c' has no value (born does not run classical computations",
	"oq3_qft.qasm":          "",
	"oq3_rus.qasm":          "subroutine definitions (def) are not supported",
	"oq3_t1.qasm":           "duration types (timing) are not supported",
	"oq3_teleport.qasm":     "",
	"oq3_varteleport.qasm":  "subroutine definitions (def) are not supported",
	"oq3_vqe.qasm":          "extern declarations are not supported",
}

// TestCorpusQASM3: every OpenQASM 3 program of the corpus either runs
// (parses and lowers) or fails with positioned errors, the first of which
// names the feature that stopped it.
func TestCorpusQASM3(t *testing.T) {
	files := corpusFiles(t, "qasm3/*.qasm")
	if len(files) != len(corpusQASM3) {
		t.Errorf("%d files in qasm3/, %d expected", len(files), len(corpusQASM3))
	}
	for _, f := range files {
		name := filepath.Base(f)
		want, known := corpusQASM3[name]
		if !known {
			t.Errorf("%s: not in the table", name)
		}
		c, _, err := ParseFile(f, nil)
		if err != nil {
			var list ErrorList
			if !errors.As(err, &list) {
				t.Errorf("%s: error without a position: %v", name, err)
				continue
			}
			for _, e := range list {
				if e.File != f || e.Line < 1 || e.Col < 1 {
					t.Errorf("%s: badly positioned error %q", name, e.Error())
				}
			}
			if want == "" || !strings.Contains(list[0].Msg, want) {
				t.Errorf("%s: %v\nwant the first error to say %q", name, list, want)
			}
			t.Logf("%s: %v", name, list[0])
			continue
		}
		if want != "" {
			t.Errorf("%s: parsed; want an error %q", name, want)
			continue
		}
		if _, err := c.Lower(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		t.Logf("%s: runs (%d qubits, %d operations)", name, c.NumQubits, len(c.Ops))
	}
}

// TestCorpusQASM3Reference: the corpus's OpenQASM 3 versions of programs it
// also has in OpenQASM 2 give the OpenQASM 2 programs' reference results.
func TestCorpusQASM3Reference(t *testing.T) {
	dir := corpusDir(t)
	for _, name := range []string{"adder", "qft", "inverseqft1", "inverseqft2", "teleport"} {
		data, err := os.ReadFile(filepath.Join(dir, "reference", "oq2_"+name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var ref reference
		if err := json.Unmarshal(data, &ref); err != nil {
			t.Fatal(err)
		}
		c, _, err := ParseFile(filepath.Join(dir, "qasm3", "oq3_"+name+".qasm"), nil)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		probs, classical, ok := outcomes(c)
		if !ok {
			t.Errorf("%s: outcomes not computed", name)
			continue
		}
		if d := distDiff(classical, ref.Classical); d > 1e-9 {
			t.Errorf("%s: classical outcomes differ from the OpenQASM 2 reference by %g: %v", name, d, classical)
		}
		if d := distDiff(probs, ref.Probabilities); d > 1e-9 {
			t.Errorf("%s: probabilities differ from the OpenQASM 2 reference by %g", name, d)
		}
	}
}

// TestCorpusStdGatesHeader reads the corpus's stdgates.inc as ordinary
// user definitions and checks each of its 32 gates against the built-in
// catalog (circuit.StdGates) at random parameters, global phase included.
// CX is the one expected difference: the file's body ctrl @ U(pi, 0, pi)
// predates the current definition of U and gives ctrl @ iX; born's CX is
// cx, as the specification's text describes it.
func TestCorpusStdGatesHeader(t *testing.T) {
	defs := parseHeader(t, 3, "stdgates.inc")
	if len(defs) != 32 || len(circuit.StdGatesOrder) != 32 {
		t.Fatalf("header has %d gates, catalog %d; want 32", len(defs), len(circuit.StdGatesOrder))
	}
	compareHeader(t, defs, circuit.StdGatesOrder, circuit.StdGates, rand.New(rand.NewSource(3)), "CX",
		func(user, builtin mat) {
			// The header's CX is controlled iX.
			want := mat{1, 0, 0, 0, 0, 0, 0, 1i, 0, 0, 1, 0, 0, 1i, 0, 0}
			if dd, d := maxDiff(user, want), maxDiff(user, builtin); dd > 1e-12 || d < 1 {
				t.Errorf("CX: header differs from ctrl @ iX by %g, from the catalog by %g", dd, d)
			}
		})
}

// compareHeader checks every gate of a library (order, cat) against its
// definition in the library's header file (defs): the same signature and,
// at three random parameter points, the same unitary, global phase
// included. The gate named odd, whose header is known to differ, is
// checked by checkOdd instead (with the header's and the catalog's unitary).
func compareHeader(t *testing.T, defs map[string]*circuit.GateDef, order []string, cat circuit.Catalog, rng *rand.Rand, odd string, checkOdd func(user, builtin mat)) {
	t.Helper()
	for _, name := range order {
		user, builtin := defs[name], cat[name]
		if user == nil {
			t.Errorf("%s: not in the header", name)
			continue
		}
		if !slices.Equal(user.Params, builtin.Params) || user.NumQubits() != builtin.NumQubits() {
			t.Errorf("%s: header signature %v/%d, catalog %v/%d", name, user.Params, user.NumQubits(), builtin.Params, builtin.NumQubits())
			continue
		}
		for trial := 0; trial < 3; trial++ {
			p := randParams(rng, len(user.Params))
			u, b := oneGate(t, user, p), oneGate(t, builtin, p)
			if name == odd {
				checkOdd(u, b)
				continue
			}
			if d := maxDiff(u, b); d > 1e-12 {
				t.Errorf("%s%v: header and catalog differ by %g", name, p, d)
			}
		}
	}
}

type reference struct {
	NQubits       int                `json:"n_qubits"`
	QubitOrder    []string           `json:"qubit_order"`
	Probabilities map[string]float64 `json:"probabilities"`
	Classical     map[string]float64 `json:"classical"`
}

// TestCorpusReference compares circuits read from the corpus with the
// corpus's independent simulation results: the probabilities of the final
// basis states (averaged over measurement outcomes) and the distribution of
// classical outcomes. This checks the reader's semantics on real programs:
// qubit and bit order, broadcasting, gate definitions, conditions.
func TestCorpusReference(t *testing.T) {
	dir := corpusDir(t)
	checked := 0
	for _, f := range corpusFiles(t, "*.qasm") {
		name := filepath.Base(f)
		data, err := os.ReadFile(filepath.Join(dir, "reference", strings.TrimSuffix(name, ".qasm")+".json"))
		if err != nil {
			t.Logf("%s: no reference", name)
			continue
		}
		var ref reference
		if err := json.Unmarshal(data, &ref); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		c, _, err := ParseFile(f, nil)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if c.NumQubits != ref.NQubits || len(ref.QubitOrder) != c.NumQubits {
			t.Errorf("%s: %d qubits, reference has %d", name, c.NumQubits, ref.NQubits)
			continue
		}
		for k, l := range ref.QubitOrder {
			if c.QubitLabel(k) != l {
				t.Errorf("%s: qubit %d is %s, reference says %s", name, k, c.QubitLabel(k), l)
			}
		}
		probs, classical, ok := outcomes(c)
		if !ok {
			t.Logf("%s: not checked (too many measurement branches)", name)
			continue
		}
		if d := distDiff(probs, ref.Probabilities); d > 1e-9 {
			t.Errorf("%s: probabilities differ from the reference by %g", name, d)
		}
		if c.NumClbits > 0 && ref.Classical != nil {
			if d := distDiff(classical, ref.Classical); d > 1e-9 {
				t.Errorf("%s: classical outcomes differ from the reference by %g", name, d)
			}
		}
		checked++
	}
	t.Logf("%d programs match their reference results", checked)
	if checked < 60 {
		t.Errorf("only %d programs checked against references", checked)
	}
}

// outcomes computes exactly the probability of each final basis state and
// of each classical outcome. If every measurement is final (no reset, no
// condition, no gate on a measured qubit), one state vector does; otherwise
// it follows every branch of measurements and resets, unless there are too
// many.
func outcomes(c *circuit.Circuit) (probs, classical map[string]float64, ok bool) {
	l, err := c.Lower()
	if err != nil || c.NumQubits > 20 || c.NumClbits > 64 {
		return nil, nil, false
	}
	final := finalMeasurements(c)
	type branch struct {
		p    float64
		psi  []complex128
		bits uint64
	}
	psi := make([]complex128, 1<<c.NumQubits)
	psi[0] = 1
	branches := []branch{{1, psi, 0}}
	for i := range l.Instrs {
		in := &l.Instrs[i]
		var next []branch
		for _, b := range branches {
			if !holds(in.Cond, b.bits) {
				next = append(next, b)
				continue
			}
			if in.Kind == circuit.IUnitary {
				circuit.ApplyRef(b.psi, in.Matrix(nil), in.Targets, in.Controls, in.CtrlState)
				next = append(next, b)
				continue
			}
			if final != nil { // measurements are final: leave the state alone
				next = append(next, b)
				continue
			}
			q := in.Targets[0]
			for outcome := 0; outcome < 2; outcome++ {
				var po float64
				for k, a := range b.psi {
					if k>>q&1 == outcome {
						po += real(a)*real(a) + imag(a)*imag(a)
					}
				}
				if po < 1e-14 {
					continue
				}
				nb := branch{b.p * po, make([]complex128, len(b.psi)), b.bits}
				norm := complex(1/math.Sqrt(po), 0)
				for k, a := range b.psi {
					if k>>q&1 == outcome {
						if in.Kind == circuit.IReset && outcome == 1 {
							nb.psi[k^1<<q] = a * norm // back to |0>
						} else {
							nb.psi[k] = a * norm
						}
					}
				}
				if in.Kind == circuit.IMeasure {
					nb.bits = nb.bits&^(1<<in.Clbit) | uint64(outcome)<<in.Clbit
				}
				next = append(next, nb)
			}
		}
		branches = next
		if len(branches)<<c.NumQubits > 1<<22 {
			return nil, nil, false
		}
	}
	probs, classical = map[string]float64{}, map[string]float64{}
	for _, b := range branches {
		for k, a := range b.psi {
			p := b.p * (real(a)*real(a) + imag(a)*imag(a))
			if p < 1e-15 {
				continue
			}
			probs[circuit.FormatBits(uint64(k), c.NumQubits)] += p
			bits := b.bits
			for cb, q := range final {
				if q >= 0 && k>>q&1 == 1 {
					bits |= 1 << cb
				}
			}
			classical[c.FormatClbits(bits)] += p
		}
	}
	return probs, classical, true
}

// holds evaluates conditions, written here from the specification: the bits
// of each (least significant first) read as an integer equal its value.
func holds(conds []circuit.Condition, bits uint64) bool {
	for _, cond := range conds {
		var v uint64
		for i, b := range cond.Clbits {
			v |= (bits >> b & 1) << i
		}
		if (v == cond.Value) == cond.Negate {
			return false
		}
	}
	return true
}

// finalMeasurements returns, for each classical bit, the qubit last measured
// into it (-1 for none), or nil unless all measurements are final.
func finalMeasurements(c *circuit.Circuit) []int {
	final := make([]int, c.NumClbits)
	for i := range final {
		final[i] = -1
	}
	measured := make([]bool, c.NumQubits)
	for _, op := range c.Ops {
		if len(op.Cond) > 0 || op.Kind == circuit.Reset {
			return nil
		}
		switch op.Kind {
		case circuit.Measure:
			for j, q := range op.Qubits {
				measured[q] = true
				final[op.Clbits[j]] = q
			}
		case circuit.GateOp:
			for _, q := range op.Qubits {
				if measured[q] {
					return nil
				}
			}
		}
	}
	return final
}

func distDiff(a, b map[string]float64) float64 {
	var d float64
	for k, v := range a {
		d = math.Max(d, math.Abs(v-b[k]))
	}
	for k, v := range b {
		d = math.Max(d, math.Abs(v-a[k]))
	}
	return d
}

// parseHeader reads a header of the corpus as an ordinary included file of
// an OpenQASM 2 or 3 program, so that its gates are user definitions and
// not the built-in catalog.
func parseHeader(t *testing.T, version int, header string) map[string]*circuit.GateDef {
	t.Helper()
	main := filepath.Join(corpusDir(t), "main.qasm") // not read: only its directory is used
	src := fmt.Sprintf("OPENQASM %d.0;\ninclude \"headers/%s\";\n", version, header)
	c, _, err := Parse(main, []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	defs := map[string]*circuit.GateDef{}
	for _, d := range c.Defs {
		if d.Lib != circuit.LibUser || d.Opaque {
			t.Errorf("%s: %s has Lib %v, Opaque %v", header, d.Name, d.Lib, d.Opaque)
		}
		defs[d.Name] = d
	}
	if len(defs) != len(c.Defs) {
		t.Errorf("%s: duplicate definitions", header)
	}
	return defs
}

// oneGate returns the unitary of a circuit applying g with parameters p to
// qubits 0..k-1 in order.
func oneGate(t *testing.T, g *circuit.GateDef, p []float64) mat {
	t.Helper()
	c := &circuit.Circuit{NumQubits: g.NumQubits()}
	qs := make([]int, g.NumQubits())
	for i := range qs {
		qs[i] = i
	}
	c.GP(g, p, qs...)
	u, err := c.Unitary(nil)
	if err != nil {
		t.Fatalf("%s: %v", g.Name, err)
	}
	return u
}

func randParams(rng *rand.Rand, n int) []float64 {
	p := make([]float64, n)
	for i := range p {
		p[i] = (rng.Float64()*2 - 1) * 2 * math.Pi
	}
	return p
}

// TestCorpusQELib1Header reads Qiskit's qelib1.inc as user definitions and
// checks that each of its 42 gates has the unitary of the built-in catalog
// (circuit.QELib1Gates), global phase included, at random parameters.
func TestCorpusQELib1Header(t *testing.T) {
	defs := parseHeader(t, 2, "qelib1.inc")
	if len(defs) != 42 || len(circuit.QELib1Order) != 42 {
		t.Fatalf("header has %d gates, catalog %d; want 42", len(defs), len(circuit.QELib1Order))
	}
	compareHeader(t, defs, circuit.QELib1Order, circuit.QELib1Gates, rand.New(rand.NewSource(42)), "", nil)
}

// TestCorpusQELib1Paper does the same for the original paper's qelib1.inc:
// its gates agree with Qiskit's except cu3, which lacks the phase
// u1((lambda+phi)/2) on the control.
func TestCorpusQELib1Paper(t *testing.T) {
	defs := parseHeader(t, 2, "qelib1_paper.inc")
	rng := rand.New(rand.NewSource(7))
	var same, differ []string
	for name, user := range defs {
		builtin := circuit.QELib1Gates[name]
		if builtin == nil || user.NumQubits() != builtin.NumQubits() || len(user.Params) != len(builtin.Params) {
			t.Errorf("%s: not a qelib1 gate with the same signature", name)
			continue
		}
		p := randParams(rng, len(user.Params))
		if maxDiff(oneGate(t, user, p), oneGate(t, builtin, p)) <= 1e-12 {
			same = append(same, name)
			continue
		}
		differ = append(differ, name)
	}
	sort.Strings(same)
	sort.Strings(differ)
	t.Logf("paper qelib1.inc: %d gates agree with Qiskit's %v; differ: %v", len(same), same, differ)
	if len(defs) != 23 || !slices.Equal(differ, []string{"cu3"}) {
		t.Errorf("%d gates; differing %v, want [cu3]", len(defs), differ)
	}
	// The paper's cu3 is Qiskit's times u1(-(phi+lambda)/2) on the control.
	if cu3 := defs["cu3"]; cu3 != nil {
		for trial := 0; trial < 3; trial++ {
			p := randParams(rng, 3)
			want := mul(oneGate(t, circuit.QELib1Gates["cu3"], p), on(mat{1, 0, 0, ei(-(p[1] + p[2]) / 2)}, 0, 2))
			if d := maxDiff(oneGate(t, cu3, p), want); d > 1e-12 {
				t.Errorf("paper cu3%v: differs from Qiskit's with the control phase removed by %g", p, d)
			}
		}
	}
}
