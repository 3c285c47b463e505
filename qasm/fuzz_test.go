package qasm

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"born/circuit"
)

// fuzzFiles is the file system includes see while fuzzing.
var fuzzFiles = map[string]string{
	"lib.inc":  "gate g(t) a { U(t, 0, 0) a; }\ngate h2 a, b { h a; cx a, b; }\n",
	"self.inc": "include \"self.inc\";\n",
	"bad.inc":  "gate oops a { x a[0]; }\n",
}

// addSeeds adds the files matching pattern to the fuzzer's corpus.
func addSeeds(f *testing.F, pattern string) {
	seeds, err := filepath.Glob(pattern)
	if err != nil || len(seeds) == 0 {
		f.Fatalf("no seeds in %s: %v", pattern, err)
	}
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// FuzzParse checks that Parse never panics or hangs, that its work is
// bounded (Options.MaxOps), and that what it returns is consistent: a valid
// circuit, or positioned errors inside the source. It also checks that the
// first count of operations (countOps) is a lower bound of what the reader
// spends.
func FuzzParse(f *testing.F) {
	addSeeds(f, "testdata/seeds/*.qasm")
	f.Add([]byte(""))
	f.Add([]byte("OPENQASM 3;\nqubit q;"))
	f.Add([]byte(hdr + "qreg q[1048576];\nbarrier q;\nh q;"))
	f.Add([]byte(hdr + "include \"bad.inc\";\ninclude \"fuzz.qasm\";"))
	f.Add([]byte("\xef\xbb\xbf\x00\xff{}[]();->==\"x"))
	const maxOps = 1 << 14
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 1<<16 {
			return // the reader is linear; long inputs only slow the fuzzer down
		}
		checkCount(t, src, &Options{ReadFile: mapFS(fuzzFiles), MaxOps: maxOps})
		c, warns, err := Parse("fuzz.qasm", src, &Options{ReadFile: mapFS(fuzzFiles), MaxOps: maxOps})
		for _, w := range warns {
			checkPos(t, w.Pos, src)
		}
		if err != nil {
			if c != nil {
				t.Fatal("circuit returned with an error")
			}
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 || len(list) > MaxErrors+1 {
				t.Fatalf("error %T with %d entries: %v", err, len(list), err)
			}
			for _, e := range list {
				checkPos(t, e.Pos, src)
				if e.Msg == "" {
					t.Fatalf("empty message at %v", e.Pos)
				}
			}
			return
		}
		if c == nil {
			t.Fatal("nil circuit without an error")
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("invalid circuit: %v", err)
		}
		n := 0
		for _, op := range c.Ops {
			n += max(1, len(op.Qubits))
		}
		for _, d := range c.Defs {
			for _, op := range d.Body {
				n += max(1, len(op.Qubits))
			}
			checkDef(t, d)
		}
		if n > maxOps {
			t.Fatalf("%d qubit operations, more than MaxOps %d", n, maxOps)
		}
	})
}

// checkPos checks that a position is inside the source it names.
func checkPos(t *testing.T, pos Pos, src []byte) {
	t.Helper()
	if pos.Line < 1 || pos.Col < 1 {
		t.Fatalf("bad position %v", pos)
	}
	switch pos.File {
	case "fuzz.qasm":
	case "lib.inc", "self.inc", "bad.inc":
		src = []byte(fuzzFiles[pos.File])
	default:
		t.Fatalf("position in unknown file %v", pos)
	}
	lines := bytes.Split(src, []byte("\n"))
	if pos.Line > len(lines) {
		t.Fatalf("position %v beyond the last line %d", pos, len(lines))
	}
	line := lines[pos.Line-1]
	if pos.Line == 1 {
		line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
		if len(line) < len(lines[0]) {
			pos.Col -= 3 // columns count from after a byte order mark
		}
	}
	if pos.Col > len(line)+1 {
		t.Fatalf("position %v beyond the end of its line (%d bytes)", pos, len(line))
	}
}

// checkDef checks the body of a gate definition: formal qubits and parameter
// symbols in range, arities matching.
func checkDef(t *testing.T, d *circuit.GateDef) {
	t.Helper()
	if d.Lib != circuit.LibUser || d.Opaque && len(d.Body) > 0 {
		t.Fatalf("gate %s: Lib %v, Opaque %v with %d body ops", d.Name, d.Lib, d.Opaque, len(d.Body))
	}
	for _, op := range d.Body {
		for i, q := range op.Qubits {
			if q < 0 || q >= d.NumQubits() {
				t.Fatalf("gate %s: formal qubit %d out of range", d.Name, q)
			}
			for _, r := range op.Qubits[:i] {
				if r == q {
					t.Fatalf("gate %s: qubit %d twice in one op", d.Name, q)
				}
			}
		}
		for _, e := range op.Params {
			for _, s := range circuit.Symbols(nil, e) {
				if s < 0 || s >= len(d.Params) {
					t.Fatalf("gate %s: parameter symbol %d out of range", d.Name, s)
				}
			}
		}
		if op.Kind == circuit.GateOp && (op.Gate == nil || op.Gate == d || op.Gate.NumQubits()+op.NumControls() != len(op.Qubits) || len(op.Gate.Params) != len(op.Params)) {
			t.Fatalf("gate %s: bad body op %+v", d.Name, op)
		}
	}
}
