package qasm

import (
	"errors"
	"math"
	"math/cmplx"
	"strings"
	"testing"

	"born/circuit"
)

// Test-local linear algebra, written independently of package circuit, so
// that expectations do not share code with what they check. Convention (the
// one circuit documents, Qiskit's): qubit k is bit k of a basis index.

type mat = circuit.Matrix

const s2 = 0.70710678118654752440084436210484903928483593768847

var (
	mI = mat{1, 0, 0, 1}
	mX = mat{0, 1, 1, 0}
	mY = mat{0, -1i, 1i, 0}
	mZ = mat{1, 0, 0, -1}
	mH = mat{s2, s2, s2, -s2}
	mS = mat{1, 0, 0, 1i}
	mT = mat{1, 0, 0, complex(s2, s2)}
)

func ei(x float64) complex128 { return cmplx.Exp(complex(0, x)) }

// mU is the textbook U(theta, phi, lambda) of OpenQASM 2 (Qiskit's).
func mU(t, p, l float64) mat {
	c, s := complex(math.Cos(t/2), 0), complex(math.Sin(t/2), 0)
	return mat{c, -ei(l) * s, ei(p) * s, ei(p+l) * c}
}

func ident(n int) mat {
	d := 1 << n
	m := make(mat, d*d)
	for i := 0; i < d; i++ {
		m[i*d+i] = 1
	}
	return m
}

func mul(a, b mat) mat {
	d := int(math.Sqrt(float64(len(a))) + 0.5)
	out := make(mat, d*d)
	for i := 0; i < d; i++ {
		for k := 0; k < d; k++ {
			for j := 0; j < d; j++ {
				out[i*d+j] += a[i*d+k] * b[k*d+j]
			}
		}
	}
	return out
}

// on embeds the one-qubit matrix g acting on qubit k of n.
func on(g mat, k, n int) mat {
	d := 1 << n
	m := make(mat, d*d)
	for r := 0; r < d; r++ {
		for c := 0; c < d; c++ {
			if r&^(1<<k) != c&^(1<<k) {
				continue
			}
			m[r*d+c] = g[(r>>k&1)*2+(c>>k&1)]
		}
	}
	return m
}

// cnot is CX with control ctl and target tgt on n qubits.
func cnot(ctl, tgt, n int) mat {
	d := 1 << n
	m := make(mat, d*d)
	for c := 0; c < d; c++ {
		r := c
		if c>>ctl&1 == 1 {
			r ^= 1 << tgt
		}
		m[r*d+c] = 1
	}
	return m
}

// seq returns the matrix of applying ms in order (first one first).
func seq(n int, ms ...mat) mat {
	u := ident(n)
	for _, m := range ms {
		u = mul(m, u)
	}
	return u
}

func maxDiff(a, b mat) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	var d float64
	for i := range a {
		d = math.Max(d, cmplx.Abs(a[i]-b[i]))
	}
	return d
}

// mustParse parses src as t.qasm and fails the test on an error.
func mustParse(t *testing.T, src string, opts *Options) (*circuit.Circuit, []Warning) {
	t.Helper()
	c, w, err := Parse("t.qasm", []byte(src), opts)
	if err != nil {
		t.Fatalf("Parse: %v\nsource:\n%s", err, src)
	}
	if c == nil {
		t.Fatal("Parse returned a nil circuit and no error")
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	return c, w
}

// parseErr parses src as t.qasm and returns the error list, failing the test
// if there is none.
func parseErr(t *testing.T, src string, opts *Options) ErrorList {
	t.Helper()
	c, _, err := Parse("t.qasm", []byte(src), opts)
	if err == nil {
		t.Fatalf("Parse succeeded (%d ops), want an error\nsource:\n%s", len(c.Ops), src)
	}
	if c != nil {
		t.Errorf("Parse returned a circuit with an error")
	}
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error is %T, want ErrorList: %v", err, err)
	}
	for _, e := range list {
		if !e.IsValid() || e.Col < 1 || e.File == "" {
			t.Errorf("error without a position: %q", e.Error())
		}
	}
	return list
}

func hasErr(list ErrorList, want string) bool {
	for _, e := range list {
		if strings.Contains(e.Error(), want) {
			return true
		}
	}
	return false
}

const hdr = "OPENQASM 2.0;\ninclude \"qelib1.inc\";\n"
