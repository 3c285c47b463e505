package bornmachine

import (
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"born/circuit"
	"born/dataset"
	"born/statevector"
)

func TestAnsatzParams(t *testing.T) {
	for _, c := range []struct {
		data, spec string
		params     int
	}{
		{"bas:3x3", "qcbm:10", 279}, // the paper's count
		{"bas:2x3", "qcbm:7", 132},  // the reference demo
		{"bas:2x2", "hea:3", 28},
		{"bas:2x2", "qcbm:0:line", 4},
	} {
		d, _ := dataset.ParseDataset(c.data)
		a, err := ParseAnsatz(c.spec, d.Bits, d)
		if err != nil {
			t.Fatal(err)
		}
		m, err := NewAnsatzQCBM(a, nil)
		if err != nil {
			t.Fatal(err)
		}
		if a.NumParams() != c.params || m.NumParams() != c.params {
			t.Errorf("%s on %s: %d (circuit %d) parameters, want %d", c.spec, c.data, a.NumParams(), m.NumParams(), c.params)
		}
		// The spelled-out form reads back without data to the same circuit.
		b, err := ParseAnsatz(a.String(), d.Bits, nil)
		if err != nil || !reflect.DeepEqual(a, b) {
			t.Errorf("%s: %q reads back as %+v (%v)", c.spec, a.String(), b, err)
		}
	}
}

// TestDroppedRotationsDoNotMatter checks the claim behind the parameter
// count: a leading Rz on |0> and a trailing Rz before measurement do not
// change p(x). The full circuit with those gates (random angles) gives the
// probabilities of the ansatz circuit.
func TestDroppedRotationsDoNotMatter(t *testing.T) {
	a := &Ansatz{Kind: AnsatzQCBM, Depth: 2, Bits: 3, Pairs: [][2]int{{0, 1}, {1, 2}}}
	m, err := NewAnsatzQCBM(a, nil)
	if err != nil {
		t.Fatal(err)
	}
	m.RandomizeParams(9)
	p, _ := m.Probabilities()
	rng := rand.New(rand.NewPCG(2, 2))
	full := circuit.New(3, 0)
	rz, rx, cx := circuit.StdGates["rz"], circuit.StdGates["rx"], circuit.StdGates["cx"]
	theta := m.Params()
	k := 0
	next := func() []float64 { k++; return []float64{theta[k-1]} }
	for l := 0; l <= 2; l++ {
		for q := range 3 {
			if l == 0 {
				full.GP(rz, []float64{rng.Float64() * 6}, q)
			} else {
				full.GP(rz, next(), q)
			}
			full.GP(rx, next(), q)
			if l < 2 {
				full.GP(rz, next(), q)
			} else {
				full.GP(rz, []float64{rng.Float64() * 6}, q)
			}
		}
		if l < 2 {
			full.G(cx, 0, 1).G(cx, 1, 2)
		}
	}
	u, err := full.Unitary(nil)
	if err != nil {
		t.Fatal(err)
	}
	for x := range 8 {
		amp := u[x*8] // column |000>
		if d := math.Abs(real(amp)*real(amp) + imag(amp)*imag(amp) - p[x]); d > 1e-14 {
			t.Errorf("p(%03b) = %v, full circuit %v", x, p[x], real(amp)*real(amp)+imag(amp)*imag(amp))
		}
	}
	// And the engine agrees with the reference unitary on the ansatz itself.
	st, _ := statevector.New(3)
	for _, op := range full.Ops {
		st.Apply(op.Gate.Matrix(evalParams(op.Params)), op.Qubits[len(op.Qubits)-op.Gate.NumQubits():], op.Qubits[:len(op.Qubits)-op.Gate.NumQubits()], 1)
	}
	for x, q := range st.Probabilities() {
		if math.Abs(q-p[x]) > 1e-14 {
			t.Errorf("engine p(%03b) = %v, QCBM %v", x, q, p[x])
		}
	}
}

func evalParams(es []circuit.Expr) []float64 {
	out := make([]float64, len(es))
	for i, e := range es {
		out[i] = e.Eval(nil)
	}
	return out
}

// totalMI returns the total mutual information of a set of pairs and
// whether they form a spanning tree on n vertices.
func totalMI(mi [][]float64, pairs [][2]int, n int) (float64, bool) {
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	find := func(x int) int {
		for parent[x] != x {
			x = parent[x]
		}
		return x
	}
	var s float64
	for _, p := range pairs {
		a, b := find(p[0]), find(p[1])
		if a == b {
			return 0, false
		}
		parent[a] = b
		s += mi[p[0]][p[1]]
	}
	return s, len(pairs) == n-1
}

// TestChowLiuTree checks that the tree is a maximum spanning tree: its
// total mutual information equals that of the trees the reference code
// (scipy's spanning tree) finds for BAS 3x3 and 2x3.
func TestChowLiuTree(t *testing.T) {
	for _, c := range []struct {
		spec string
		ref  [][2]int
	}{
		{"bas:3x3", [][2]int{{0, 1}, {3, 5}, {3, 6}, {4, 1}, {4, 5}, {4, 7}, {5, 2}, {8, 6}}},
		{"bas:2x3", [][2]int{{0, 3}, {1, 4}, {2, 5}, {5, 0}, {5, 1}}},
	} {
		d, _ := dataset.ParseDataset(c.spec)
		mi := d.MutualInformation()
		tree := ChowLiuTree(d)
		got, ok := totalMI(mi, tree, d.Bits)
		if !ok {
			t.Fatalf("%s: %v is not a spanning tree", c.spec, tree)
		}
		want, ok := totalMI(mi, c.ref, d.Bits)
		if !ok {
			t.Fatalf("%s: the reference pairs are not a spanning tree", c.spec)
		}
		if math.Abs(got-want) > 1e-12 {
			t.Errorf("%s: tree %v has total MI %v, the reference tree %v", c.spec, tree, got, want)
		}
	}
}

func TestPairs(t *testing.T) {
	d, _ := dataset.ParseDataset("bas:2x3")
	grid, err := ParsePairs("grid", 6, d)
	want := [][2]int{{0, 1}, {0, 3}, {1, 2}, {1, 4}, {2, 5}, {3, 4}, {4, 5}}
	if err != nil || !reflect.DeepEqual(grid, want) {
		t.Errorf("grid: %v %v, want %v", grid, err, want)
	}
	ring, _ := ParsePairs("ring", 4, nil)
	if !reflect.DeepEqual(ring, [][2]int{{0, 1}, {1, 2}, {2, 3}, {3, 0}}) {
		t.Errorf("ring: %v", ring)
	}
	g, _ := dataset.ParseDataset("gauss:6")
	for _, c := range []struct {
		spec string
		data *dataset.Dataset
		want string
	}{
		{"qcbm", d, "unknown ansatz"},
		{"qcbm:x", d, "depth"},
		{"qcbm:-1", d, "depth"},
		{"rbm:3", d, "unknown ansatz"},
		{"qcbm:2:0-6", d, "qubits are 0 to 5"},
		{"qcbm:2:1-1", d, "two different qubits"},
		{"qcbm:2:0-1,0-1", d, "twice"},
		{"qcbm:2:0+1", d, "not a pair"},
		{"qcbm:2:grid", g, "image data"},
		{"qcbm:2", nil, "need data"},
		{"hea:2:line", d, "only a depth"},
	} {
		n := 6
		if _, err := ParseAnsatz(c.spec, n, c.data); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.spec, err, c.want)
		}
	}
}
