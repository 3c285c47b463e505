package qasm

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"born/circuit"
	"born/internal/testguard"
)

// refused parses src and checks that it is refused with an error containing
// want, within 1 s of CPU and 100 MB.
func refused(t *testing.T, name, src, want string) {
	t.Helper()
	var err error
	testguard.Within(t, name, time.Second, 100<<20, func() {
		_, _, err = Parse(name+".qasm", []byte(src), nil)
	})
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("%s: got %v, want an error containing %q", name, err, want)
	}
}

// Gate definitions that expand exponentially are refused at the
// application, with its position, before anything is expanded (born ran
// out of memory on them): a doubling chain g1..g60 in OpenQASM 2 and 3,
// pow(2) @ chains and a huge power of a user gate with a symbolic
// parameter, and definitions nested more than 64 deep.
func TestExpansionRefused(t *testing.T) {
	var b strings.Builder
	b.WriteString("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\ngate g0 a { x a; }\n")
	for i := 1; i <= 60; i++ {
		fmt.Fprintf(&b, "gate g%d a { g%d a; g%d a; }\n", i, i-1, i-1)
	}
	b.WriteString("g60 q[0];\n")
	refused(t, "chain2", b.String(), "chain2.qasm:65:1: g60 expands to 2^60 operations (limit 4194304)")

	b.Reset()
	b.WriteString("OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[1] q;\ngate g0 a { rx(0.1) a; }\n")
	for i := 1; i <= 60; i++ {
		fmt.Fprintf(&b, "gate g%d a { g%d a; g%d a; }\n", i, i-1, i-1)
	}
	b.WriteString("g60 q[0];\n")
	refused(t, "chain3", b.String(), "chain3.qasm:65:1: g60 expands to 2^60 operations")

	b.Reset()
	b.WriteString("OPENQASM 3.0;\ninclude \"stdgates.inc\";\ninput float th;\nqubit[1] q;\ngate g(a) r { rx(a) r; }\n")
	b.WriteString(strings.Repeat("pow(2) @ ", 40) + "g(th) q[0];\n")
	refused(t, "powchain", b.String(), "powchain.qasm:6:361: g expands to 2^40 operations")

	refused(t, "pow1e9", "OPENQASM 3.0;\ninclude \"stdgates.inc\";\ninput float th;\nqubit[1] q;\ngate g(a) r { rx(a) r; ry(a) r; }\npow(1000000000) @ g(th) q[0];\n",
		"pow1e9.qasm:6:19: g expands to 2000000000 operations")

	// Many applications add up: 9 x 2^19 on one line each.
	b.Reset()
	b.WriteString("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\ngate g0 a { x a; }\n")
	for i := 1; i <= 19; i++ {
		fmt.Fprintf(&b, "gate g%d a { g%d a; g%d a; }\n", i, i-1, i-1)
	}
	b.WriteString(strings.Repeat("g19 q[0];\n", 9))
	refused(t, "many", b.String(), "many.qasm:32:1: circuit too large: 4718592 operations once gate definitions are expanded")

	b.Reset()
	b.WriteString("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[1];\ngate d0 a { x a; }\n")
	for i := 1; i <= 70; i++ {
		fmt.Fprintf(&b, "gate d%d a { d%d a; }\n", i, i-1)
	}
	b.WriteString("d70 q[0];\n")
	refused(t, "deep", b.String(), "deep.qasm:75:1: gate definitions nested more than 64 deep")
}

// Large powers of gates of finite order are cheap: pow(10^18) of a user
// gate with numeric parameters repeats its body at most its order times.
func TestHugePowerOfUserGate(t *testing.T) {
	c, _, err := Parse("p.qasm", []byte("OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[1] q;\ngate hs a { h a; s a; }\npow(1000000000000000000) @ hs q[0];\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	l, err := c.Lower()
	if err != nil {
		t.Fatal(err)
	}
	// hs has order 24 and 10^18 = 16 (mod 24).
	if len(l.Instrs) != 32 {
		t.Errorf("%d instructions, want 32", len(l.Instrs))
	}
}

// Nested if blocks cost linear time and are limited with a position: 100,000
// levels (a 1 MB file, which ran past 8.8 GB) are refused at once, and 256
// levels are read with each operation holding all 256 conditions.
func TestNestedIf(t *testing.T) {
	nested := func(d int) string {
		return "OPENQASM 3.0;\ninclude \"stdgates.inc\";\nqubit[1] q;\nbit[1] c;\nc[0] = measure q[0];\n" +
			strings.Repeat("if (c[0]) {\n", d) + "x q[0];\n" + strings.Repeat("}\n", d)
	}
	refused(t, "nest", nested(100000), "nest.qasm:262:11: blocks nested too deeply (more than 256 levels")
	var c *circuit.Circuit
	var err error
	testguard.Within(t, "256 nested ifs", time.Second, 100<<20, func() {
		c, _, err = Parse("ok.qasm", []byte(nested(256)), nil)
	})
	if err != nil {
		t.Fatal(err)
	}
	last := c.Ops[len(c.Ops)-1]
	if len(last.Cond) != 256 || last.Gate.Name != "x" {
		t.Errorf("innermost operation %s with %d conditions, want x with 256", last.Gate.Name, len(last.Cond))
	}
}
