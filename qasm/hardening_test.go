package qasm

import (
	"fmt"
	"os"
	"path/filepath"
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

// Sources and includes are read only from regular files of bounded size:
// include "/dev/zero" (read without end before) and a too-large include are
// refused with the include's position at once; ConfineIncludes refuses an
// include outside the program's folder, also through a symbolic link.
func TestBoundedReads(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err == nil {
		refused(t, "zero", "OPENQASM 2.0;\ninclude \"/dev/zero\";\n", `zero.qasm:2:9: cannot include "/dev/zero": /dev/zero is a device, not a regular file`)
		var err error
		testguard.Within(t, "ParseFile(/dev/zero)", time.Second, 100<<20, func() { _, _, err = ParseFile("/dev/zero", nil) })
		if err == nil || !strings.Contains(err.Error(), "not a regular file") {
			t.Errorf("ParseFile(/dev/zero): %v", err)
		}
	}
	dir := t.TempDir()
	sub := filepath.Join(dir, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(path, text string) {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dir, "lib.inc"), "gate myx a { x a; }\n"+strings.Repeat("// padding\n", 200))
	write(filepath.Join(sub, "inside.inc"), "gate myy a { y a; }\n")
	if err := os.Symlink(filepath.Join(dir, "lib.inc"), filepath.Join(sub, "link.inc")); err != nil {
		t.Fatal(err)
	}
	prog := filepath.Join(sub, "p.qasm")
	for _, tc := range []struct {
		include string
		opts    *Options
		want    string // "" for success
	}{
		{"../lib.inc", nil, ""},
		{"inside.inc", &Options{ConfineIncludes: true}, ""},
		{"../lib.inc", &Options{ConfineIncludes: true}, `p.qasm:3:9: cannot include "../lib.inc": it is outside`},
		{"link.inc", &Options{ConfineIncludes: true}, `cannot include "link.inc": it is outside`},
		{"../lib.inc", &Options{MaxBytes: 1000}, `born reads program files of at most 1000 bytes`},
		{"sub", nil, "is a directory"},
	} {
		inc := tc.include
		if inc == "sub" {
			inc = "../sub"
		}
		write(prog, "OPENQASM 2.0;\ninclude \"qelib1.inc\";\ninclude \""+inc+"\";\nqreg q[1];\n")
		_, _, err := ParseFile(prog, tc.opts)
		if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("include %q with %+v: %v, want %q", tc.include, tc.opts, err, tc.want)
		}
	}
	if _, err := ReadLimited(strings.NewReader(strings.Repeat("x", 101)), "standard input", 100); err == nil || !strings.Contains(err.Error(), "standard input holds more than 100 bytes") {
		t.Errorf("ReadLimited: %v", err)
	}
}
