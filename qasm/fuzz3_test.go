package qasm

import (
	"errors"
	"math"
	"testing"

	"born/circuit"
)

// FuzzParse3 fuzzes the OpenQASM 3 grammar (seeds in testdata/seeds3). Besides
// what FuzzParse checks (no panic, no hang, bounded work, positioned errors
// or a valid circuit), a program that reads must write back: as OpenQASM 3,
// to a program that reads with the same qubits, bits and parameters and,
// for small unitary circuits, the same unitary; as OpenQASM 2 (when it has
// no parameters), either to a program that reads or with an error.
func FuzzParse3(f *testing.F) {
	addSeeds(f, "testdata/seeds3/*.qasm")
	f.Add([]byte("OPENQASM 3.0;\nqubit q;\nfor int i in [0:3] { if (i % 2 == 0) U(i, 0, 0) q; }"))
	f.Add([]byte("OPENQASM 3.0;\ninclude \"lib.inc\";\nqubit[2] q;\nh2 q[0], q[1];"))
	const maxOps = 1 << 14
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 1<<16 {
			return
		}
		checkCount(t, src, &Options{ReadFile: mapFS(fuzzFiles), MaxOps: maxOps})
		c, warns, err := Parse("fuzz.qasm", src, &Options{ReadFile: mapFS(fuzzFiles), MaxOps: maxOps})
		for _, w := range warns {
			checkPos(t, w.Pos, src)
		}
		if err != nil {
			var list ErrorList
			if c != nil || !errors.As(err, &list) || len(list) == 0 || len(list) > MaxErrors+1 {
				t.Fatalf("error %T with %d entries, circuit %v: %v", err, len(list), c != nil, err)
			}
			for _, e := range list {
				checkPos(t, e.Pos, src)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("invalid circuit: %v", err)
		}
		for _, d := range c.Defs {
			checkDef(t, d)
		}
		if c.NumQubits > 64 || len(c.Ops) > 4096 {
			return // writing is linear; keep the fuzzer fast
		}
		out, err := Format(c, WriteOptions{Version: 3})
		if err != nil {
			for _, d := range c.Defs {
				if d.Opaque {
					return // an OpenQASM 2 program with opaque gates
				}
			}
			t.Fatalf("cannot write what was read: %v", err)
		}
		c2, _, err := Parse("w.qasm", out, &Options{MaxOps: 4 * maxOps})
		if err != nil {
			t.Fatalf("cannot read what was written: %v\n%s", err, out)
		}
		if c2.NumQubits != c.NumQubits || c2.NumClbits != c.NumClbits || len(c2.Symbols) != len(c.Symbols) {
			t.Fatalf("written program has %d qubits, %d bits, %d parameters; read %d, %d, %d\n%s",
				c2.NumQubits, c2.NumClbits, len(c2.Symbols), c.NumQubits, c.NumClbits, len(c.Symbols), out)
		}
		if c.NumQubits <= 3 && len(c.Ops) <= 64 && c.IsPure() && lowerSize(c) <= 1<<12 {
			vals := make([]float64, len(c.Symbols))
			u1, err1 := c.Unitary(vals)
			u2, err2 := c2.Unitary(vals)
			if (err1 == nil) != (err2 == nil) {
				t.Fatalf("unitary: %v, of the written program %v\n%s", err1, err2, out)
			}
			if err1 == nil {
				if d := maxDiff(u1, u2); d > 1e-9 {
					t.Fatalf("written program's unitary differs by %g\n%s", d, out)
				}
			}
		}
		if len(c.Symbols) == 0 {
			if out2, err := Format(c, WriteOptions{Version: 2}); err == nil {
				if _, _, err := Parse("w2.qasm", out2, &Options{MaxOps: 1 << 22}); err != nil {
					t.Fatalf("cannot read the OpenQASM 2 that was written: %v\n%s", err, out2)
				}
			}
		}
	})
}

// lowerSize bounds the number of instructions c lowers to (nested gate
// definitions can make it exponential), saturating at 1<<20.
func lowerSize(c *circuit.Circuit) int {
	memo := map[*circuit.GateDef]int{}
	var size func(g *circuit.GateDef, depth int) int
	size = func(g *circuit.GateDef, depth int) int {
		if g.Body == nil || g.Builtin() || depth > 64 {
			return 1
		}
		if n, ok := memo[g]; ok {
			return n
		}
		n := 0
		for _, op := range g.Body {
			if op.Gate != nil {
				n = min(n+opReps(op)*size(op.Gate, depth+1), 1<<20)
			}
		}
		memo[g] = n
		return n
	}
	n := 0
	for _, op := range c.Ops {
		if op.Gate != nil {
			n = min(n+opReps(op)*size(op.Gate, 0), 1<<20)
		}
	}
	return n
}

func opReps(op circuit.Op) int {
	r := 1.0
	for _, m := range op.Mods {
		if m.Kind == circuit.Pow {
			r *= math.Max(1, math.Abs(m.Exp))
		}
	}
	return int(math.Min(r, 1<<20))
}
