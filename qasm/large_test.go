package qasm

import (
	"bytes"
	"fmt"
	"testing"
	"time"
)

// TestLargeInput reads a program of several megabytes: the reader must take
// time linear in its size. The bound is loose (the machine may be busy); a
// quadratic reader would take hours.
func TestLargeInput(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(hdr + "qreg q[20];\ncreg c[20];\ngate g(t) a, b { rz(t/2) a; cx a, b; }\n")
	ops := 0
	for i := 0; b.Len() < 4<<20; i++ {
		fmt.Fprintf(&b, "cx q[%d], q[%d]; // %d\nrz(%d.25*pi/7) q[%d];\ng(-0.5) q[%d], q[%d];\n/* block */ measure q[%d] -> c[%d];\n",
			i%20, (i+1)%20, i, i%13, i%20, (i+3)%20, (i+5)%20, i%20, (i+1)%20)
		ops += 4
	}
	start := time.Now()
	c, _, err := Parse("big.qasm", b.Bytes(), nil)
	elapsed := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Ops) != ops {
		t.Errorf("%d ops, want %d", len(c.Ops), ops)
	}
	t.Logf("%d bytes, %d ops in %v", b.Len(), ops, elapsed)
	if elapsed > 30*time.Second {
		t.Errorf("reading %d bytes took %v", b.Len(), elapsed)
	}

	// A barrier on a million qubits, then many barriers on twenty: the
	// duplicate checks must not cost the size of the largest one each time.
	b.Reset()
	b.WriteString("OPENQASM 2.0;\nqreg q[1048576];\nbarrier q;\n")
	for i := 0; i < 20000; i++ {
		b.WriteString("barrier q[0],q[1],q[2],q[3],q[4],q[5],q[6],q[7],q[8],q[9],q[10],q[11],q[12],q[13],q[14],q[15],q[16],q[17],q[18],q[0];\n")
	}
	start = time.Now()
	if c, _, err = Parse("barriers.qasm", b.Bytes(), nil); err != nil || len(c.Ops) != 20001 || len(c.Ops[1].Qubits) != 19 {
		t.Errorf("barriers: %v", err)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("barriers took %v", d)
	}

	// One long line of garbage, and one long expression-free statement.
	for _, src := range [][]byte{
		bytes.Repeat([]byte("(((+"), 1<<20),
		append([]byte(hdr+"qreg q[1];\nbarrier "), bytes.Repeat([]byte("q[0],"), 1<<18)...),
		bytes.Repeat([]byte("/*"), 1<<20),
	} {
		start := time.Now()
		if _, _, err := Parse("big.qasm", src, nil); err == nil {
			t.Errorf("no error for %q...", src[:40])
		}
		if d := time.Since(start); d > 30*time.Second {
			t.Errorf("%q... took %v", src[:40], d)
		}
	}
}
