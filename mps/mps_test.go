package mps

import (
	"fmt"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"strings"
	"testing"

	"born/circuit"
)

// Without truncation the MPS must reproduce the dense reference exactly:
// random circuits with gates between arbitrary pairs, 3-qubit gates,
// multi-controlled gates and controlled phases without targets.
func TestExactMatchesDenseReference(t *testing.T) {
	cases := []struct {
		n, ops  int
		maxBond int // 0: no cap; otherwise a cap that never binds
	}{
		{4, 60, 0}, {5, 80, 4}, {6, 100, 0}, {7, 120, 8}, {8, 150, 0},
		{10, 150, 32}, {12, 150, 0}, {14, 120, 0},
	}
	for i, tc := range cases {
		t.Run(fmt.Sprintf("n=%d,chi=%d", tc.n, tc.maxBond), func(t *testing.T) {
			if testing.Short() && tc.n > 12 {
				t.Skip("short")
			}
			r := rand.New(rand.NewPCG(uint64(i), 7))
			l := lower(t, randomCircuit(r, tc.n, tc.ops, allGates))
			want := reference(l)
			s := run(t, l, Options{MaxBond: tc.maxBond})
			got := s.Amplitudes()
			if d := maxAbsDiff(got, want); d > 1e-10 {
				t.Fatalf("max |amp - ref| = %.3g", d)
			}
			// Amplitude of single bitstrings too.
			for k := 0; k < 20; k++ {
				x := r.Uint64() & (1<<tc.n - 1)
				if d := cmplx.Abs(s.AmplitudeIndex(x) - want[x]); d > 1e-10 {
					t.Fatalf("amplitude of %s off by %.3g", circuit.FormatBits(x, tc.n), d)
				}
			}
			st := s.Stats()
			if st.DiscardedWeight > 1e-20 || st.FidelityEstimate < 1-1e-15 {
				t.Fatalf("exact run reports truncation: %+v", st)
			}
			if math.Abs(s.Norm()-1) > 1e-12 {
				t.Fatalf("norm %v", s.Norm())
			}
			for q, b := range s.BondDims() {
				if lim := 1 << min(q+1, tc.n-q-1); b > lim {
					t.Fatalf("bond %d is %d > structural bound %d", q, b, lim)
				}
			}
		})
	}
}

// Each kind of gate alone, on far-apart and reversed qubits, against the
// reference (a failure here names the gate).
func TestGateKinds(t *testing.T) {
	n := 6
	type op struct {
		name string
		add  func(c *circuit.Circuit)
	}
	ops := []op{
		{"cx 5,0", func(c *circuit.Circuit) { c.G(lib["cx"], 5, 0) }},
		{"cx 0,5", func(c *circuit.Circuit) { c.G(lib["cx"], 0, 5) }},
		{"swap 1,4", func(c *circuit.Circuit) { c.G(lib["swap"], 1, 4) }},
		{"rxx 4,1", func(c *circuit.Circuit) { c.GP(lib["rxx"], []float64{0.7}, 4, 1) }},
		{"cu 3,2", func(c *circuit.Circuit) { c.GP(lib["cu"], []float64{0.3, 0.5, -1.1, 0.4}, 3, 2) }},
		{"ccx 5,0,3", func(c *circuit.Circuit) { c.G(lib["ccx"], 5, 0, 3) }},
		{"cswap 2,5,0", func(c *circuit.Circuit) { c.G(lib["cswap"], 2, 5, 0) }},
		{"c3x 4,1,5,0", func(c *circuit.Circuit) { c.G(lib["c3x"], 4, 1, 5, 0) }},
		{"rc3x 0,2,4,5", func(c *circuit.Circuit) { c.G(lib["rc3x"], 0, 2, 4, 5) }},
		{"ch (global phase)", func(c *circuit.Circuit) { c.G(lib["ch"], 1, 3) }},
		{"ctrl(3) @ gphase", func(c *circuit.Circuit) {
			c.Ops = append(c.Ops, circuit.Op{Kind: circuit.GateOp, Gate: circuit.GPhase, Params: consts([]float64{0.9}),
				Mods: []circuit.Modifier{{Kind: circuit.Ctrl, N: 3}}, Qubits: []int{5, 0, 2}})
		}},
		{"negctrl(1) @ gphase", func(c *circuit.Circuit) {
			c.Ops = append(c.Ops, circuit.Op{Kind: circuit.GateOp, Gate: circuit.GPhase, Params: consts([]float64{0.9}),
				Mods: []circuit.Modifier{{Kind: circuit.NegCtrl, N: 1}}, Qubits: []int{3}})
		}},
		{"gphase", func(c *circuit.Circuit) {
			c.Ops = append(c.Ops, circuit.Op{Kind: circuit.GateOp, Gate: circuit.GPhase, Params: consts([]float64{0.9})})
		}},
		{"ctrl(2) @ negctrl(2) @ rxx", func(c *circuit.Circuit) {
			c.Ops = append(c.Ops, circuit.Op{Kind: circuit.GateOp, Gate: lib["rxx"], Params: consts([]float64{1.3}),
				Mods: []circuit.Modifier{{Kind: circuit.Ctrl, N: 2}, {Kind: circuit.NegCtrl, N: 2}}, Qubits: []int{0, 5, 2, 3, 4, 1}})
		}},
	}
	for _, o := range ops {
		t.Run(o.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(3, 4))
			c := circuit.New(n, 0)
			// an entangled, generic start so every amplitude matters
			for q := 0; q < n; q++ {
				c.GP(lib["u3"], angles(r, 3), q)
			}
			for q := 0; q+1 < n; q++ {
				c.GP(lib["rzz"], angles(r, 1), q, q+1)
				c.GP(lib["u3"], angles(r, 3), q)
			}
			o.add(c)
			l := lower(t, c)
			if d := maxAbsDiff(run(t, l, Options{}).Amplitudes(), reference(l)); d > 1e-10 {
				t.Fatalf("max |amp - ref| = %.3g", d)
			}
		})
	}
}

// A controlled gate on more qubits than maxDenseSites takes the
// identity + projector MPO path.
func TestManyControls(t *testing.T) {
	n := 14
	r := rand.New(rand.NewPCG(9, 9))
	c := circuit.New(n, 0)
	for q := 0; q < n; q++ {
		c.G(lib["h"], q)
	}
	perm := r.Perm(n)
	c.Ops = append(c.Ops, circuit.Op{Kind: circuit.GateOp, Gate: lib["u3"], Params: consts(angles(r, 3)),
		Mods: []circuit.Modifier{{Kind: circuit.Ctrl, N: 7}, {Kind: circuit.NegCtrl, N: 5}}, Qubits: perm[:13]})
	c.Ops = append(c.Ops, circuit.Op{Kind: circuit.GateOp, Gate: lib["rzz"], Params: consts(angles(r, 1)),
		Mods: []circuit.Modifier{{Kind: circuit.Ctrl, N: 10}}, Qubits: r.Perm(n)[:12]})
	c.Ops = append(c.Ops, circuit.Op{Kind: circuit.GateOp, Gate: circuit.GPhase, Params: consts(angles(r, 1)),
		Mods: []circuit.Modifier{{Kind: circuit.NegCtrl, N: 12}}, Qubits: r.Perm(n)[:12]})
	c.G(lib["cx"], 0, 13)
	l := lower(t, c)
	s := run(t, l, Options{})
	if d := maxAbsDiff(s.Amplitudes(), reference(l)); d > 1e-10 {
		t.Fatalf("max |amp - ref| = %.3g", d)
	}
}

// With a binding bond cap, the reported fidelity estimate must track the
// true fidelity |<exact|mps>|^2, and the rigorous bound
// sqrt(1-F) <= sum_i sqrt(w_i) (angles add along the run) must hold.
func TestTruncationFidelity(t *testing.T) {
	cases := []struct {
		n, layers, chi int
	}{
		{16, 8, 8}, {16, 10, 16}, {18, 8, 12}, {20, 8, 16},
	}
	for i, tc := range cases {
		t.Run(fmt.Sprintf("n=%d,chi=%d", tc.n, tc.chi), func(t *testing.T) {
			if testing.Short() && tc.n > 16 {
				t.Skip("short")
			}
			r := rand.New(rand.NewPCG(uint64(100+i), 1))
			c := circuit.New(tc.n, 0)
			for layer := 0; layer < tc.layers; layer++ {
				for q := 0; q < tc.n; q++ {
					c.GP(lib["u3"], angles(r, 3), q)
				}
				for q := layer % 2; q+1 < tc.n; q += 2 {
					c.G(lib["cx"], q, q+1)
				}
				// one long-range gate per layer
				p := r.Perm(tc.n)[:2]
				c.GP(lib["crx"], angles(r, 1), p...)
			}
			l := lower(t, c)
			exact := reference(l)
			s := run(t, l, Options{MaxBond: tc.chi})
			st := s.Stats()
			if st.MaxBond > tc.chi {
				t.Fatalf("max bond %d above the cap %d", st.MaxBond, tc.chi)
			}
			if st.DiscardedWeight < 1e-3 {
				t.Fatalf("the cap did not bind (discarded %.3g): the test would prove nothing", st.DiscardedWeight)
			}
			if math.Abs(s.Norm()-1) > 1e-12 {
				t.Fatalf("norm %v", s.Norm())
			}
			ov := overlap(exact, s.Amplitudes())
			fTrue := real(ov)*real(ov) + imag(ov)*imag(ov)
			var sumSqrt float64
			prod := 1.0
			for _, w := range s.DiscardedWeights() {
				sumSqrt += math.Sqrt(w)
				prod *= 1 - w
			}
			if math.Abs(prod-st.FidelityEstimate) > 1e-12 {
				t.Fatalf("estimate %v is not the product of (1-w_i) = %v", st.FidelityEstimate, prod)
			}
			t.Logf("F_true=%.5f F_est=%.5f sum w=%.5f truncations=%d", fTrue, st.FidelityEstimate, st.DiscardedWeight, st.Truncations)
			if bound := math.Sin(math.Min(sumSqrt, math.Pi/2)); math.Sqrt(1-fTrue) > bound+1e-9 {
				t.Fatalf("sqrt(1-F) = %.4g exceeds the rigorous bound %.4g", math.Sqrt(1-fTrue), bound)
			}
			if fTrue < st.FidelityEstimate-0.05 {
				t.Fatalf("true fidelity %.4f well below the estimate %.4f", fTrue, st.FidelityEstimate)
			}
			if 1-fTrue > 2*st.DiscardedWeight {
				t.Fatalf("infidelity %.4g above twice the discarded weight %.4g", 1-fTrue, st.DiscardedWeight)
			}
		})
	}
}

// Sampling 10^5 shots at 10 qubits against the exact distribution (chi-square).
func TestSamplingChiSquare(t *testing.T) {
	n := 10
	r := rand.New(rand.NewPCG(5, 5))
	l := lower(t, randomCircuit(r, n, 80, allGates))
	psi := reference(l)
	probs := make([]float64, len(psi))
	for i, a := range psi {
		probs[i] = real(a)*real(a) + imag(a)*imag(a)
	}
	s := run(t, l, Options{})
	const shots = 100000
	samples := s.Sample(shots, rand.New(rand.NewPCG(11, 12)))
	counts := make([]int, len(probs))
	for _, x := range samples {
		counts[x]++
	}
	stat, df := chiSquare(counts, probs, shots)
	if crit := chiSquareCrit(df, 4.26); stat > crit { // p ~ 1e-5
		t.Fatalf("chi-square %.1f with %d dof above %.1f", stat, df, crit)
	}
	// The statistic must notice a wrong distribution: a state one gate away.
	other := append([]float64(nil), probs...)
	for i := 0; i < len(other); i += 2 {
		other[i], other[i+1] = other[i+1], other[i] // X on qubit 0
	}
	if stat2, df2 := chiSquare(counts, other, shots); stat2 < chiSquareCrit(df2, 4.26) {
		t.Fatalf("chi-square did not reject the wrong distribution (%.1f)", stat2)
	}
	// The probabilities of the MPS itself match too.
	for i, p := range s.Probabilities() {
		if math.Abs(p-probs[i]) > 1e-12 {
			t.Fatalf("P(%d) = %v, want %v", i, p, probs[i])
		}
	}
}

// chiSquare pools bins with expected count < 5 into one and returns the
// statistic and degrees of freedom.
func chiSquare(counts []int, probs []float64, shots int) (float64, int) {
	var stat, poolE float64
	var poolO, bins int
	for i, p := range probs {
		e := p * float64(shots)
		if e < 5 {
			poolE += e
			poolO += counts[i]
			continue
		}
		d := float64(counts[i]) - e
		stat += d * d / e
		bins++
	}
	if poolE > 0 {
		d := float64(poolO) - poolE
		stat += d * d / math.Max(poolE, 1)
		bins++
	}
	return stat, bins - 1
}

// chiSquareCrit approximates the chi-square quantile with df degrees of
// freedom at standard-normal quantile z (Wilson-Hilferty).
func chiSquareCrit(df int, z float64) float64 {
	k := float64(df)
	h := 2 / (9 * k)
	return k * math.Pow(1-h+z*math.Sqrt(h), 3)
}

// Measurement and reset: collapse probabilities and post-measurement states
// against the dense reference; a clone is independent of its original.
func TestMeasureResetClone(t *testing.T) {
	n := 8
	r := rand.New(rand.NewPCG(21, 22))
	l := lower(t, randomCircuit(r, n, 80, allGates))
	psi := reference(l)
	base := run(t, l, Options{})
	for q := 0; q < n; q++ {
		var p0 float64
		for i, a := range psi {
			if i>>q&1 == 0 {
				p0 += real(a)*real(a) + imag(a)*imag(a)
			}
		}
		if p := base.Marginal([]int{q}); math.Abs(p[0]-p0) > 1e-12 || math.Abs(p[1]-(1-p0)) > 1e-12 {
			t.Fatalf("marginal of %d = %v, want %v", q, p, p0)
		}
		for _, tc := range []struct {
			u    float64
			want int
		}{{p0 * 0.999, 0}, {p0 + (1-p0)*0.001, 1}} {
			s := base.Clone()
			got := s.Measure(q, tc.u)
			if got != tc.want {
				t.Fatalf("qubit %d, u=%v: outcome %d, want %d (p0=%v)", q, tc.u, got, tc.want, p0)
			}
			want := collapse(psi, q, got)
			if d := maxAbsDiff(s.Amplitudes(), want); d > 1e-10 {
				t.Fatalf("post-measurement state off by %.3g", d)
			}
			// reset: project, then flip to 0
			s = base.Clone()
			s.Reset(q, tc.u)
			if tc.want == 1 {
				want = flip(want, q)
			}
			if d := maxAbsDiff(s.Amplitudes(), want); d > 1e-10 {
				t.Fatalf("post-reset state off by %.3g", d)
			}
			if p := s.Marginal([]int{q}); math.Abs(p[0]-1) > 1e-12 {
				t.Fatalf("after reset P(0) = %v", p[0])
			}
		}
		s := base.Clone()
		if p := s.Project(q, 1); math.Abs(p-(1-p0)) > 1e-12 {
			t.Fatalf("Project returned %v, want %v", p, 1-p0)
		}
	}
	// the base state was never touched by its clones
	if d := maxAbsDiff(base.Amplitudes(), psi); d > 1e-10 {
		t.Fatalf("original changed by operations on clones: %.3g", d)
	}
	// and a clone is not touched by its original
	c := base.Clone()
	base.Apply(lib["x"].Matrix(nil), []int{0}, nil, 0)
	base.Measure(3, 0.5)
	if d := maxAbsDiff(c.Amplitudes(), psi); d > 1e-10 {
		t.Fatalf("clone changed by operations on the original: %.3g", d)
	}
	var cp State
	cp.CopyFrom(c)
	c.Measure(2, 0.1)
	if d := maxAbsDiff(cp.Amplitudes(), psi); d > 1e-10 {
		t.Fatalf("CopyFrom shares memory: %.3g", d)
	}
}

func collapse(psi []complex128, q, out int) []complex128 {
	o := make([]complex128, len(psi))
	var p float64
	for i, a := range psi {
		if i>>q&1 == out {
			o[i] = a
			p += real(a)*real(a) + imag(a)*imag(a)
		}
	}
	for i := range o {
		o[i] /= complex(math.Sqrt(p), 0)
	}
	return o
}

func flip(psi []complex128, q int) []complex128 {
	o := make([]complex128, len(psi))
	for i, a := range psi {
		o[i^1<<q] = a
	}
	return o
}

// Marginals of several qubits against sums of the reference probabilities.
func TestMarginals(t *testing.T) {
	n := 9
	r := rand.New(rand.NewPCG(31, 32))
	l := lower(t, randomCircuit(r, n, 90, allGates))
	psi := reference(l)
	s := run(t, l, Options{})
	for _, qs := range [][]int{{0}, {8}, {3, 1}, {0, 8}, {7, 2, 5}, {4, 5, 6, 0}, {}} {
		want := make([]float64, 1<<len(qs))
		for i, a := range psi {
			k := 0
			for j, q := range qs {
				k |= (i >> q & 1) << j
			}
			want[k] += real(a)*real(a) + imag(a)*imag(a)
		}
		got := s.Marginal(qs)
		for k := range want {
			if math.Abs(got[k]-want[k]) > 1e-12 {
				t.Fatalf("Marginal(%v)[%d] = %v, want %v", qs, k, got[k], want[k])
			}
		}
	}
}

// GHZ on 1000 qubits: bond 2 everywhere, amplitudes 1/sqrt2 on 0...0 and
// 1...1, samples all-equal with each outcome about half the time.
func TestGHZ1000(t *testing.T) {
	n := 1000
	c := circuit.New(n, 0)
	c.G(lib["h"], 0)
	for q := 0; q+1 < n; q++ {
		c.G(lib["cx"], q, q+1)
	}
	s := run(t, lower(t, c), Options{MaxBond: 64})
	if s.MaxBond() != 2 {
		t.Fatalf("max bond %d, want 2", s.MaxBond())
	}
	zero, one := NewBits(n), NewBits(n)
	for q := 0; q < n; q++ {
		one.Set(q, 1)
	}
	h := 1 / math.Sqrt2
	if a := s.Amplitude(zero); cmplx.Abs(a-complex(h, 0)) > 1e-12 {
		t.Fatalf("<0...0|psi> = %v", a)
	}
	if a := s.Amplitude(one); cmplx.Abs(a-complex(h, 0)) > 1e-12 {
		t.Fatalf("<1...1|psi> = %v", a)
	}
	mixed := NewBits(n)
	mixed.Set(500, 1)
	if a := s.Amplitude(mixed); cmplx.Abs(a) > 1e-12 {
		t.Fatalf("<0..1..0|psi> = %v", a)
	}
	const shots = 2000
	ones := 0
	for _, b := range s.SampleBits(shots, rand.New(rand.NewPCG(1, 1))) {
		v := b.Get(0)
		for q := 1; q < n; q++ {
			if b.Get(q) != v {
				t.Fatalf("sample is not all-equal: %s...", b.Format(n)[:40])
			}
		}
		ones += v
	}
	if sd := math.Sqrt(shots * 0.25); math.Abs(float64(ones)-shots/2) > 5*sd {
		t.Fatalf("%d of %d samples all-ones", ones, shots)
	}
	if p := s.Marginal([]int{0, 999}); math.Abs(p[0]-0.5) > 1e-12 || math.Abs(p[3]-0.5) > 1e-12 || p[1]+p[2] > 1e-12 {
		t.Fatalf("marginal of the ends %v", p)
	}
	if st := s.Stats(); st.DiscardedWeight > 1e-20 {
		t.Fatalf("GHZ truncated: %+v", st)
	}
}

// GHZ by long-range CNOTs from qubit 0 exercises the exact MPO path at
// scale: bonds must stay 2.
func TestGHZLongRange(t *testing.T) {
	n := 120
	c := circuit.New(n, 0)
	c.G(lib["h"], 0)
	for q := n - 1; q > 0; q-- {
		c.G(lib["cx"], 0, q)
	}
	s := run(t, lower(t, c), Options{MaxBond: 16})
	if s.MaxBond() != 2 {
		t.Fatalf("max bond %d, want 2", s.MaxBond())
	}
	one := NewBits(n)
	for q := 0; q < n; q++ {
		one.Set(q, 1)
	}
	if a := s.Amplitude(one); cmplx.Abs(a-complex(1/math.Sqrt2, 0)) > 1e-12 {
		t.Fatalf("<1...1|psi> = %v", a)
	}
}

// A product state of 10^4 qubits: bond 1, amplitudes and marginals are
// products of single-qubit ones.
func TestProductState10k(t *testing.T) {
	n := 10000
	r := rand.New(rand.NewPCG(41, 42))
	s, err := New(n, Options{MaxBond: 16})
	if err != nil {
		t.Fatal(err)
	}
	cols := make([][2]complex128, n) // U|0> per qubit
	for q := 0; q < n; q++ {
		th := angles(r, 1)[0]
		if q >= 40 {
			th *= 0.005 // near-identity rotations keep the product amplitude far from underflow
		}
		m := circuit.MatU(th, angles(r, 1)[0], angles(r, 1)[0])
		cols[q] = [2]complex128{m[0], m[2]}
		s.Apply(m, []int{q}, nil, 0)
	}
	if s.MaxBond() != 1 {
		t.Fatalf("max bond %d", s.MaxBond())
	}
	for k := 0; k < 5; k++ {
		x := NewBits(n)
		want := complex(1, 0)
		for q := 0; q < n; q++ {
			b := 0
			if q < 40 || r.IntN(2000) == 0 {
				b = r.IntN(2)
			}
			x.Set(q, b)
			want *= cols[q][b]
		}
		got := s.Amplitude(x)
		if cmplx.Abs(want) < 1e-250 {
			t.Fatalf("test amplitude %v too small to compare", want)
		}
		if cmplx.Abs(got-want) > 1e-10*cmplx.Abs(want) {
			t.Fatalf("amplitude %v, want %v", got, want)
		}
	}
	for _, qs := range [][]int{{0}, {9999}, {17, 5000, 9998}} {
		p := s.Marginal(qs)
		for k := range p {
			w := 1.0
			for j, q := range qs {
				a := cols[q][k>>j&1]
				w *= real(a)*real(a) + imag(a)*imag(a)
			}
			if math.Abs(p[k]-w) > 1e-12 {
				t.Fatalf("Marginal(%v)[%d] = %v, want %v", qs, k, p[k], w)
			}
		}
	}
	if b := s.Bytes(); b > int64(n)*2*16 {
		t.Fatalf("product state holds %d bytes", b)
	}
}

// Depth-2 brickwork of random 2-qubit unitaries on 200 qubits: the bonds
// are exactly 2 inside first-layer pairs and 4 across second-layer gates,
// and single-qubit marginals agree with a dense simulation of the light
// cone (4 qubits).
func TestBrickwork200(t *testing.T) {
	n := 200
	r := rand.New(rand.NewPCG(51, 52))
	s, err := New(n, Options{MaxBond: 64})
	if err != nil {
		t.Fatal(err)
	}
	layer1 := make([]circuit.Matrix, n/2)
	layer2 := make([]circuit.Matrix, n/2)
	for k := 0; k < n/2; k++ {
		layer1[k] = randomUnitary(r, 4)
		s.Apply(layer1[k], []int{2 * k, 2*k + 1}, nil, 0)
	}
	for k := 0; 2*k+2 < n; k++ {
		layer2[k] = randomUnitary(r, 4)
		s.Apply(layer2[k], []int{2*k + 1, 2*k + 2}, nil, 0)
	}
	if s.MaxBond() != 4 {
		t.Fatalf("max bond %d, want 4", s.MaxBond())
	}
	for i, b := range s.BondDims() {
		want := 2
		if i%2 == 1 {
			want = 4
		}
		if b != want {
			t.Fatalf("bond %d = %d, want %d", i, b, want)
		}
	}
	// light cone of qubit 2k (0 < k < n/2-1): qubits 2k-2..2k+1
	for _, k := range []int{1, 37, 98} {
		q := 2 * k
		psi := make([]complex128, 16)
		psi[0] = 1
		circuit.ApplyRef(psi, layer1[k-1], []int{0, 1}, nil, 0)
		circuit.ApplyRef(psi, layer1[k], []int{2, 3}, nil, 0)
		circuit.ApplyRef(psi, layer2[k-1], []int{1, 2}, nil, 0)
		var p0 float64
		for i, a := range psi {
			if i>>2&1 == 0 {
				p0 += real(a)*real(a) + imag(a)*imag(a)
			}
		}
		if p := s.Marginal([]int{q}); math.Abs(p[0]-p0) > 1e-12 {
			t.Fatalf("P(q%d=0) = %v, light cone says %v", q, p[0], p0)
		}
	}
}

func TestOptionsValidation(t *testing.T) {
	cases := []struct {
		name string
		n    int
		opts Options
		err  string // substring; "" = must succeed
	}{
		{"defaults", 10, Options{}, ""},
		{"no qubits", 0, Options{}, "at least 1 qubit"},
		{"negative bond", 10, Options{MaxBond: -1}, "bond dimension"},
		{"negative cutoff", 10, Options{Cutoff: -1e-3}, "cutoff"},
		{"NaN cutoff", 10, Options{Cutoff: math.NaN()}, "cutoff"},
		{"negative memory limit", 10, Options{MemoryLimit: -1}, "memory limit"},
		{"huge chi on few qubits is bounded by 2^(n/2)", 10, Options{MaxBond: 1 << 30}, ""},
		{"huge chi on many qubits", 1000, Options{MaxBond: 1 << 20}, "needs up to"},
		{"no cap on many qubits", 100, Options{}, "needs up to"},
		{"over a custom limit", 100, Options{MaxBond: 64, MemoryLimit: 1 << 20}, "over the limit of 1 MiB"},
		{"within a custom limit", 100, Options{MaxBond: 8, MemoryLimit: 1 << 20}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := New(tc.n, tc.opts)
			if tc.err == "" {
				if err != nil || s == nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("error %v, want one containing %q", err, tc.err)
			}
		})
	}
	if s, _ := New(4, Options{}); s.Cutoff() != DefaultCutoff {
		t.Fatalf("default cutoff %v", s.Cutoff())
	}
	// the figure in the message is n*2*chi^2*16
	_, err := New(1000, Options{MaxBond: 1 << 20})
	if want := formatBytes(1000 * 2 * float64(1<<40) * 16); !strings.Contains(err.Error(), want) {
		t.Fatalf("error %q lacks the figure %s", err, want)
	}
}

// A larger cutoff drops small singular values and reports their weight.
func TestCutoffTruncates(t *testing.T) {
	// |psi> = sqrt(1-e)|00> + sqrt(e)|11> has Schmidt values sqrt(1-e), sqrt(e).
	e := 1e-6
	th := 2 * math.Asin(math.Sqrt(e))
	for _, tc := range []struct {
		cutoff float64
		bond   int
		w      float64
	}{{1e-12, 2, 0}, {1e-2, 1, e}} {
		s, err := New(2, Options{Cutoff: tc.cutoff})
		if err != nil {
			t.Fatal(err)
		}
		s.Apply(circuit.MatRY(th), []int{0}, nil, 0)
		s.Apply(lib["cx"].Matrix(nil), []int{0, 1}, nil, 0)
		if s.MaxBond() != tc.bond || math.Abs(s.DiscardedWeight()-tc.w) > 1e-15 {
			t.Fatalf("cutoff %g: bond %d weight %g, want %d %g", tc.cutoff, s.MaxBond(), s.DiscardedWeight(), tc.bond, tc.w)
		}
		if math.Abs(s.Norm()-1) > 1e-12 {
			t.Fatalf("norm %v", s.Norm())
		}
	}
}

// SampleCounts draws a histogram with the exact law: against the dense
// reference distribution of a random 10-qubit circuit (chi-square, for
// 10^5 and 10^12 shots, which it must handle without storing them), and on
// a 1000-qubit GHZ state, whose 10^12 shots split between two outcomes.
func TestSampleCountsChiSquare(t *testing.T) {
	n := 10
	r := rand.New(rand.NewPCG(5, 5))
	l := lower(t, randomCircuit(r, n, 80, allGates))
	psi := reference(l)
	probs := make([]float64, len(psi))
	for i, a := range psi {
		probs[i] = real(a)*real(a) + imag(a)*imag(a)
	}
	s := run(t, l, Options{})
	for _, shots := range []int64{100000, 1e12} {
		counts := make([]int, len(probs))
		var sum int64
		s.SampleCounts(shots, rand.New(rand.NewPCG(11, 12)), func(x []uint64, c int64) {
			counts[x[0]] += int(c)
			sum += c
		})
		if sum != shots {
			t.Fatalf("%d shots: counts sum to %d", shots, sum)
		}
		stat, df := chiSquare(counts, probs, int(shots))
		if crit := chiSquareCrit(df, 4.26); stat > crit {
			t.Fatalf("%d shots: chi-square %.1f with %d dof above %.1f", shots, stat, df, crit)
		}
	}

	g := circuit.New(1000, 0)
	g.G(lib["h"], 0)
	for q := 0; q+1 < 1000; q++ {
		g.G(lib["cx"], q, q+1)
	}
	ghz := run(t, lower(t, g), Options{MaxBond: 8})
	const shots = 1e12
	var ones, total int64
	outcomes := 0
	ghz.SampleCounts(shots, rand.New(rand.NewPCG(1, 1)), func(x []uint64, c int64) {
		outcomes++
		b := Bits(x)
		v := b.Get(0)
		for q := 1; q < 1000; q++ {
			if b.Get(q) != v {
				t.Fatalf("outcome is not all-equal")
			}
		}
		total += c
		ones += int64(v) * c
	})
	if outcomes != 2 || total != shots {
		t.Fatalf("%d outcomes, %d shots", outcomes, total)
	}
	if sd := math.Sqrt(shots * 0.25); math.Abs(float64(ones)-shots/2) > 5*sd {
		t.Fatalf("%d of %d shots all-ones", ones, int64(shots))
	}
}
