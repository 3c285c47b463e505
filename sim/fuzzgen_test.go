package sim_test

import (
	"fmt"
	"strings"
	"testing"
)

// FuzzLowerSimulateGen reads its input as a recipe for a valid OpenQASM 3
// program (genProgram: gates of stdgates.inc with modifiers, user gate
// definitions, parameters, loops, mid-circuit measurements, resets and
// conditions on up to 6 qubits) and checks it as FuzzLowerSimulate3 does
// (lowerSimulate). Mutated source text rarely stays a program (of the
// inputs the text targets' fuzzing kept as interesting, under 1% read
// without error); this target spends its time in lowering and simulation.
func FuzzLowerSimulateGen(f *testing.F) {
	fuzzSetup(f, false)
	f.Add([]byte{})
	f.Add([]byte("\x05\x01\x00\x10\x20\x30\x41\x52\x63\x74\x85\x96\xa7\xb8\xc9\xda\xeb\xfc"))
	f.Add([]byte("\x03\x00\x07\x17\x27\x37\x47\x57\x67\x77\x87\x97\xa7\xb7\xc7\xd7\xe7\xf7"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 512 {
			return
		}
		src := genProgram(data)
		lowerSimulate(t, src)
		if t.Failed() {
			t.Logf("program:\n%s", src)
		}
	})
}

// stdGates lists gates of stdgates.inc: name, qubits, parameters.
var stdGates = []struct {
	name      string
	nq, nargs int
}{
	{"x", 1, 0}, {"y", 1, 0}, {"z", 1, 0}, {"h", 1, 0}, {"s", 1, 0}, {"sdg", 1, 0},
	{"t", 1, 0}, {"tdg", 1, 0}, {"sx", 1, 0}, {"id", 1, 0}, {"rx", 1, 1}, {"ry", 1, 1},
	{"rz", 1, 1}, {"p", 1, 1}, {"u1", 1, 1}, {"u2", 1, 2}, {"u3", 1, 3}, {"U", 1, 3},
	{"cx", 2, 0}, {"cy", 2, 0}, {"cz", 2, 0}, {"ch", 2, 0}, {"swap", 2, 0}, {"cp", 2, 1},
	{"crx", 2, 1}, {"cry", 2, 1}, {"crz", 2, 1}, {"cu", 2, 4}, {"ccx", 3, 0}, {"cswap", 3, 0},
}

// genProgram turns bytes into a valid OpenQASM 3 program of 1 to 6 qubits
// (the reader may still refuse some, with a positioned error: the check
// holds either way).
func genProgram(data []byte) []byte {
	pos := 0
	next := func() int {
		if pos >= len(data) {
			pos++
			return 0
		}
		pos++
		return int(data[pos-1])
	}
	n := 1 + next()%6
	var b strings.Builder
	fmt.Fprintf(&b, "OPENQASM 3.0;\ninclude \"stdgates.inc\";\ninput float theta;\nqubit[%d] q;\nbit[%d] c;\n", n, n)
	angle := func(names ...string) string {
		v := next()
		switch v % 4 {
		case 0:
			return fmt.Sprintf("pi*%d/8", v/4-32)
		case 1:
			return fmt.Sprintf("%g", float64(v)/17)
		case 2:
			if len(names) > 0 {
				return fmt.Sprintf("%s*%d/4", names[v/4%len(names)], v/16+1)
			}
			return fmt.Sprintf("-%g", float64(v)/29)
		}
		if len(names) > 0 { // an input is not visible in a gate body
			return fmt.Sprintf("%s/%d", names[0], v/4+1)
		}
		return fmt.Sprintf("theta/%d", v/4+1)
	}
	// distinct picks k distinct qubits of m.
	distinct := func(k, m int) []int {
		if k > m {
			return nil
		}
		perm := make([]int, m)
		for i := range perm {
			perm[i] = i
		}
		for i := range k {
			j := i + next()%(m-i)
			perm[i], perm[j] = perm[j], perm[i]
		}
		return perm[:k]
	}
	// call writes a gate application on qubits named by qname, with
	// modifiers; params are angle expressions over names.
	call := func(qname func(int) string, m int, names ...string) string {
		g := stdGates[next()%len(stdGates)]
		mods := ""
		extra := 0
		switch v := next(); v % 8 {
		case 0:
			mods = "inv @ "
		case 1:
			mods = fmt.Sprintf("pow(%d) @ ", v/8%7-3)
		case 2:
			mods = "ctrl @ "
			extra = 1
		case 3:
			mods = "negctrl @ "
			extra = 1
		case 4:
			if g.nq == 1 { // fractional powers of 1-qubit gates only
				mods = "pow(0.5) @ "
			}
		}
		qs := distinct(g.nq+extra, m)
		if qs == nil {
			qs, mods = distinct(g.nq, m), ""
			if qs == nil {
				return fmt.Sprintf("gphase(%s);\n", angle(names...))
			}
		}
		var s strings.Builder
		s.WriteString(mods + g.name)
		if g.nargs > 0 {
			s.WriteString("(")
			for i := range g.nargs {
				if i > 0 {
					s.WriteString(", ")
				}
				s.WriteString(angle(names...))
			}
			s.WriteString(")")
		}
		for i, q := range qs {
			if i > 0 {
				s.WriteString(",")
			}
			s.WriteString(" " + qname(q))
		}
		s.WriteString(";\n")
		return s.String()
	}
	qreg := func(i int) string { return fmt.Sprintf("q[%d]", i) }
	// Up to two user gates on two qubits with one parameter each, the
	// second calling the first.
	users := next() % 3
	for k := range users {
		nq := min(2, n)
		formals := []string{"a", "b"}[:nq]
		fmt.Fprintf(&b, "gate g%d(w) %s {\n", k, strings.Join(formals, ", "))
		for range 1 + next()%3 {
			b.WriteString("  " + call(func(i int) string { return formals[i] }, nq, "w"))
		}
		if k == 1 {
			fmt.Fprintf(&b, "  g0(w/2) %s;\n", strings.Join(formals, ", "))
		}
		b.WriteString("}\n")
	}
	for stmt := 0; stmt < 40 && pos < len(data); stmt++ {
		switch v := next(); v % 12 {
		case 0, 1, 2, 3, 4:
			b.WriteString(call(qreg, n))
		case 5:
			fmt.Fprintf(&b, "c[%d] = measure q[%d];\n", next()%n, next()%n)
		case 6:
			fmt.Fprintf(&b, "reset q[%d];\n", next()%n)
		case 7:
			fmt.Fprintf(&b, "if (c[%d]) { %s} else { %s}\n", next()%n, call(qreg, n), call(qreg, n))
		case 8:
			fmt.Fprintf(&b, "if (c == %d) %s", next()%(1<<n), call(qreg, n))
		case 9:
			fmt.Fprintf(&b, "for int i in [0:%d] { rz(pi/4) q[i %% %d]; %s}\n", next()%4, n, call(qreg, n))
		case 10:
			if users > 0 {
				qs := distinct(min(2, n), n)
				args := make([]string, len(qs))
				for i, q := range qs {
					args[i] = qreg(q)
				}
				fmt.Fprintf(&b, "g%d(%s) %s;\n", next()%users, angle(), strings.Join(args, ", "))
			}
		case 11:
			b.WriteString("barrier q;\n")
		}
	}
	if next()%2 == 0 {
		b.WriteString("c = measure q;\n")
	}
	return []byte(b.String())
}
