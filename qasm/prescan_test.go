package qasm

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"born/circuit"
	"born/internal/race"
	"born/internal/testguard"
)

// parseUncounted reads src as Parse does but without countOps first, and
// returns what the reader itself spent from the operation budget.
func parseUncounted(name string, src []byte, opts *Options) (*circuit.Circuit, int, error) {
	p := newParser(name, opts)
	p.noCount = true
	p.run(src)
	spent := p.maxOps - p.budget
	if len(p.errs) > 0 {
		p.errs.Sort()
		return nil, spent, p.errs
	}
	return p.circ, spent, nil
}

// checkCount checks countOps's promise on src: when the reader accepts the
// program, it spent at least the operands countOps counted and made at
// least as many operations, so countOps never refuses a program that fits.
func checkCount(t *testing.T, src []byte, opts *Options) {
	t.Helper()
	n := countOps(src, math.MaxInt)
	c, spent, err := parseUncounted("fuzz.qasm", src, opts)
	if err != nil {
		return
	}
	if spent < n.operands || len(c.Ops) < n.ops {
		t.Fatalf("countOps counted %d operands in %d operations; the reader spent %d in %d", n.operands, n.ops, spent, len(c.Ops))
	}
}

// TestCountOps checks the lower bound countOps finds on programs written to
// mislead it (statements in comments, strings, bodies and blocks, calls,
// assignments, modifiers) against what the reader spends on them.
func TestCountOps(t *testing.T) {
	const h3 = "OPENQASM 3.0;\ninclude \"stdgates.inc\";\n"
	for _, tc := range []struct {
		name, src     string
		operands, ops int  // what countOps finds
		unsupported   bool // valid OpenQASM 3 the reader refuses
	}{
		{"flat", hdr + "qreg q[3];\ncreg c[3];\nh q[0];\ncx q[0], q[1];\nccx q[0],q[1],q[2];\nmeasure q[0] -> c[0];\nreset q[1];\n", 8, 5, false},
		{"broadcast counts one per argument", hdr + "qreg q[5];\nqreg r[5];\nh q;\ncx q, r;\n", 3, 2, false},
		{"comments", hdr + "qreg q[2];\n// h q[0]; h q[1];\n/* cx q[0], q[1];\n h q[0]; */ x /* , */ q[0] /* ; */;\n", 1, 1, false},
		{"gate bodies", hdr + "qreg q[2];\ngate g a, b { h a; cx a, b; x b; }\ngate e a { }\ng q[0], q[1];\ne q[0];\n", 3, 2, false},
		{"if", hdr + "qreg q[2];\ncreg c[2];\nif (c == 1) cx q[0], q[1];\nif(c==2) measure q[1] -> c[1];\n", 3, 2, false},
		{"barrier is not counted", hdr + "qreg q[2];\nbarrier q[0], q[1];\nbarrier q;\n", 0, 0, false},
		{"opaque and declarations", hdr + "opaque o a;\nqreg q[2];\ncreg c[1];\n", 0, 0, false},
		{"a string with a brace", hdr + "include \"{.inc\";\nqreg q[1];\ng(0.5) q[0];\n", 1, 1, false},
		{"core gates", "OPENQASM 2.0;\nqreg q[2];\nU(0.1, 0.2, 0.3) q[0];\nCX q[0], q[1 ];\n", 3, 2, false},
		{"qasm3 declarations and assignments", h3 + "qubit[2] q;\nbit[2] c;\nint n = 3;\nconst float th = 0.5;\nc = measure q;\nc[0] = measure q[0];\nh q[0];\n", 1, 1, false},
		{"qasm3 modifiers", h3 + "qubit[3] q;\nctrl @ x q[0], q[1];\nnegctrl(2) @ inv @ pow(0.5) @ x q[0], q[1], q[2];\ninv @ rz(0.25) q[2];\n", 6, 3, false},
		{"qasm3 blocks", h3 + "qubit[2] q;\nbit c;\nfor int i in [0:9] { h q[0]; cx q[0], q[1]; }\nif (c) { x q[0]; } else { y q[1]; }\nfor int i in [0:1] x q[0];\nh q[1];\n", 1, 1, false},
		{"qasm3 unsupported blocks", h3 + "qubit[2] q;\nbit c;\nwhile (c) x q[0];\nbox { h q[1]; }\nh q[1];\n", 1, 1, true},
		{"qasm3 subroutines and calls", h3 + "qubit[2] q;\ndef f(qubit a) { h a; }\nf(q[0]);\n", 0, 0, true},
		{"qasm3 gphase", h3 + "gphase(0.5);\n", 0, 0, false},
		{"qasm3 slices", h3 + "qubit[4] q;\nh q[0:2];\ncx q[0:1], q[2:3];\n", 3, 2, false},
		{"qasm3 physical qubits", h3 + "x $0;\ncx $1, $2;\n", 3, 2, false},
		{"qasm3 annotations and pragmas", h3 + "qubit[1] q;\n#pragma x;\n@bind h q[0];\nh q[0];\n", 1, 1, true},
	} {
		n := countOps([]byte(tc.src), math.MaxInt)
		if n.operands != tc.operands || n.ops != tc.ops || n.over {
			t.Errorf("%s: countOps found %d operands, %d operations (over %v); want %d, %d", tc.name, n.operands, n.ops, n.over, tc.operands, tc.ops)
		}
		if tc.unsupported {
			continue
		}
		files := map[string]string{"{.inc": "gate g(t) a { U(t, 0, 0) a; }\n"}
		opts := &Options{ReadFile: mapFS(files)}
		c, spent, err := parseUncounted(tc.name+".qasm", []byte(tc.src), opts)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if spent < n.operands || len(c.Ops) < n.ops {
			t.Errorf("%s: the reader spent %d operands in %d operations, fewer than countOps's %d in %d", tc.name, spent, len(c.Ops), n.operands, n.ops)
		}
		// At its own budget the program is read; one less is refused.
		if _, _, err := Parse(tc.name+".qasm", []byte(tc.src), &Options{ReadFile: mapFS(files), MaxOps: max(spent, 1)}); err != nil {
			t.Errorf("%s: refused at MaxOps %d, what it spends: %v", tc.name, spent, err)
		}
	}
}

// TestCountOpsRefusesAsTheReader checks that a file refused by countOps gets
// the reader's own message at the reader's own position, on programs whose
// statements have no broadcast and no barrier (where the count is exact).
func TestCountOpsRefusesAsTheReader(t *testing.T) {
	const head = hdr + "qreg q[7];\ncreg c[3];\n"
	for _, tc := range []struct {
		name, head string
		line       func(i int) string
	}{
		{"one-qubit gates", head, func(i int) string { return fmt.Sprintf("u1(%d.5) q[%d];\n", i, i%7) }},
		{"one line after a byte order mark", "\xef\xbb\xbfOPENQASM 2.0; include \"qelib1.inc\"; qreg q[7]; creg c[3];",
			func(i int) string { return fmt.Sprintf(" cx q[%d],q[%d];", i%7, (i+3)%7) }},
		{"mixed", head, func(i int) string {
			switch i % 5 {
			case 0:
				return fmt.Sprintf("cx q[%d], q[%d]; // cx q[0], q[1];\n", i%7, (i+1)%7)
			case 1:
				return fmt.Sprintf("  measure q[%d] -> c[%d];\n", i%7, i%3)
			case 2:
				return fmt.Sprintf("if (c == %d) reset q[%d];\n", i%8, i%7)
			case 3:
				return "\tswap q[0],q[1];\n"
			}
			return fmt.Sprintf("/* x q; */ ccx q[%d], q[%d],\n  q[%d];\n", i%7, (i+1)%7, (i+2)%7)
		}},
	} {
		var b strings.Builder
		b.WriteString(tc.head)
		for i := 0; i < 600; i++ {
			b.WriteString(tc.line(i))
		}
		src := []byte(b.String())
		_, total, err := parseUncounted("big.qasm", src, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, max := range []int{1, 2, 3, 100, 557, total - 1, total} {
			opts := &Options{MaxOps: max}
			_, _, want := parseUncounted("big.qasm", src, opts)
			_, _, got := Parse("big.qasm", src, opts)
			if (want != nil) != (max < total) || fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s, MaxOps %d of %d: got %v, want the reader's %v", tc.name, max, total, got, want)
			}
		}
	}
}

// TestOverBudgetRefusedAtOnce: a 63 MB file of 2^22+1 one-qubit gates, one
// past the budget, took 9 to 23 s and 2 to 2.5 GB to refuse (it was read
// in full first); it must take under 1 s and 100 MB.
func TestOverBudgetRefusedAtOnce(t *testing.T) {
	if race.Enabled {
		t.Skip("measures CPU time and allocation, which the race detector changes")
	}
	var b bytes.Buffer
	b.Grow(63 << 20)
	b.WriteString(hdr + "qreg q[20];\n")
	for i := 0; i <= DefaultMaxOps; i++ {
		fmt.Fprintf(&b, "u1(0.25) q[%d];\n", i%10)
	}
	var err error
	cost := testguard.Within(t, "2^22+1 gates", time.Second, 100<<20, func() {
		_, _, err = Parse("big.qasm", b.Bytes(), nil)
	})
	t.Logf("%d bytes refused in %v", b.Len(), cost)
	want := fmt.Sprintf("big.qasm:%d:1: circuit too large: more than %d qubit operations", DefaultMaxOps+4, DefaultMaxOps)
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("got %v, want %s...", err, want)
	}
}

// TestParseBytesPerOp bounds what reading costs per operation of a flat
// file: the operation list allocated once (136 bytes an operation), the
// qubit and parameter lists the operations keep, and little else. Before,
// the list grew by doubling and each statement's argument and parameter
// lists were new: this file allocated 1056 bytes an operation (226 now).
func TestParseBytesPerOp(t *testing.T) {
	if race.Enabled {
		t.Skip("measures CPU time and allocation, which the race detector changes")
	}
	var b bytes.Buffer
	b.WriteString(hdr + "qreg q[20];\ncreg c[20];\n")
	const n = 100000
	for i := 0; i < n; i++ {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, "cx q[%d], q[%d];\n", i%20, (i+1)%20)
		case 1:
			fmt.Fprintf(&b, "u3(0.1, %d.5, -0.25) q[%d];\n", i, i%20)
		case 2:
			fmt.Fprintf(&b, "h q[%d];\n", i%20)
		default:
			fmt.Fprintf(&b, "rz(pi/%d) q[%d];\n", 1+i%7, i%20)
		}
	}
	var c *circuit.Circuit
	var err error
	cost := testguard.Measure("parse", func() { c, _, err = Parse("flat.qasm", b.Bytes(), nil) })
	if err != nil || len(c.Ops) != n {
		t.Fatalf("%v, %d ops", err, len(c.Ops))
	}
	per := float64(cost.Alloc) / n
	t.Logf("%.0f bytes allocated an operation", per)
	if per > 240 {
		t.Errorf("%.0f bytes allocated an operation, want at most 240", per)
	}
}
