package statevector_test

import (
	"errors"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"strings"
	"testing"

	"born/circuit"
	"born/statevector"
)

const r2 = 1 / math.Sqrt2

func TestNewIsZeroState(t *testing.T) {
	for _, n := range []int{0, 1, 5} {
		st, err := statevector.New(n)
		if err != nil {
			t.Fatal(err)
		}
		want := make([]complex128, 1<<uint(n))
		want[0] = 1
		if st.NumQubits() != n || st.Len() != 1<<uint(n) || maxDiff(st.Amplitudes(), want) != 0 {
			t.Errorf("New(%d) = %v", n, st.Amplitudes())
		}
	}
	if _, err := statevector.New(-1); err == nil {
		t.Error("New(-1) succeeded")
	}
}

func TestBellAndGHZ(t *testing.T) {
	for n := 2; n <= 8; n++ {
		c := circuit.New(n, 0)
		c.G(qe["h"], 0)
		for q := 1; q < n; q++ {
			c.G(qe["cx"], q-1, q)
		}
		want := make([]complex128, 1<<uint(n))
		want[0], want[len(want)-1] = r2, r2
		if d := maxDiff(evolve(t, c).Amplitudes(), want); d > 1e-15 {
			t.Errorf("GHZ(%d): max diff %g", n, d)
		}
	}
}

// TestQFT checks the quantum Fourier transform of every basis state |j> of
// 4 qubits against QFT|j> = sum_k e^{2 pi i jk/N} |k> / sqrt N.
func TestQFT(t *testing.T) {
	const n = 4
	const N = 1 << n
	for j := 0; j < N; j++ {
		c := circuit.New(n, 0)
		for q := 0; q < n; q++ {
			if j>>uint(q)&1 == 1 {
				c.G(qe["x"], q)
			}
		}
		for q := n - 1; q >= 0; q-- {
			c.G(qe["h"], q)
			for k := q - 1; k >= 0; k-- {
				c.GP(qe["cp"], []float64{math.Pi / float64(int(1)<<uint(q-k))}, k, q)
			}
		}
		for q := 0; q < n/2; q++ {
			c.G(qe["swap"], q, n-1-q)
		}
		want := make([]complex128, N)
		for k := range want {
			want[k] = cmplx.Exp(complex(0, 2*math.Pi*float64(j*k)/N)) / complex(math.Sqrt(N), 0)
		}
		if d := maxDiff(evolve(t, c).Amplitudes(), want); d > 1e-14 {
			t.Errorf("QFT|%d>: max diff %g", j, d)
		}
	}
}

func TestGlobalPhase(t *testing.T) {
	st := mustState(t, []complex128{r2, r2})
	st.Apply(circuit.Matrix{1i}, nil, nil, 0)
	if d := maxDiff(st.Amplitudes(), []complex128{1i * r2, 1i * r2}); d > 1e-16 {
		t.Errorf("global phase: %v", st.Amplitudes())
	}
}

func TestMeasureCollapses(t *testing.T) {
	const theta = 1.1
	c0, s0 := math.Cos(theta/2), math.Sin(theta/2)
	p0 := c0 * c0
	tests := []struct {
		name string
		u    float64
		out  int
		want []complex128 // after RY(theta) on q0 and CX(0,1), then measuring q0
	}{
		{"u=0", 0, 0, []complex128{1, 0, 0, 0}},
		{"just below P(0)", p0 - 1e-12, 0, []complex128{1, 0, 0, 0}},
		{"at P(0)", p0, 1, []complex128{0, 0, 0, 1}},
		{"u near 1", 0.999999, 1, []complex128{0, 0, 0, 1}},
	}
	for _, tc := range tests {
		st := mustState(t, []complex128{complex(c0, 0), 0, 0, complex(s0, 0)})
		if got := st.Measure(0, tc.u); got != tc.out {
			t.Errorf("%s: outcome %d, want %d", tc.name, got, tc.out)
		}
		if d := maxDiff(st.Amplitudes(), tc.want); d > 1e-15 {
			t.Errorf("%s: state %v, want %v", tc.name, st.Amplitudes(), tc.want)
		}
		if math.Abs(st.Norm()-1) > 1e-15 {
			t.Errorf("%s: norm %v", tc.name, st.Norm())
		}
	}
	// A qubit that is certainly 1 or 0 gives that outcome for every u.
	for _, u := range []float64{0, 0.5, 0.9999999} {
		st := mustState(t, []complex128{0, 0, 1i, 0}) // |10>: q1 = 1, q0 = 0
		if st.Measure(1, u) != 1 || st.Measure(0, u) != 0 {
			t.Errorf("u=%v: deterministic outcomes wrong", u)
		}
		if d := maxDiff(st.Amplitudes(), []complex128{0, 0, 1i, 0}); d > 1e-16 {
			t.Errorf("u=%v: certain measurement changed the state: %v", u, st.Amplitudes())
		}
	}
}

// TestMeasureRenormalises measures a random 5-qubit state and compares the
// result with the projected, renormalised vector computed by hand.
func TestMeasureRenormalises(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for q := 0; q < 5; q++ {
		psi := randVec(rng, 5)
		var p1 float64
		for i, a := range psi {
			if i>>uint(q)&1 == 1 {
				p1 += real(a)*real(a) + imag(a)*imag(a)
			}
		}
		for out := 0; out < 2; out++ {
			p := map[int]float64{0: 1 - p1, 1: p1}[out]
			want := make([]complex128, len(psi))
			for i, a := range psi {
				if i>>uint(q)&1 == out {
					want[i] = a / complex(math.Sqrt(p), 0)
				}
			}
			u := 0.0
			if out == 1 {
				u = math.Nextafter(1, 0)
			}
			st := mustState(t, psi)
			if got := st.Measure(q, u); got != out {
				t.Fatalf("q%d: outcome %d, want %d", q, got, out)
			}
			if d := maxDiff(st.Amplitudes(), want); d > 1e-14 {
				t.Errorf("q%d outcome %d: max diff %g", q, out, d)
			}
			st = mustState(t, psi)
			if got := st.Project(q, out); math.Abs(got-p) > 1e-14 {
				t.Errorf("q%d: Project(%d) = %v, want %v", q, out, got, p)
			}
			if d := maxDiff(st.Amplitudes(), want); d > 1e-14 {
				t.Errorf("q%d Project(%d): max diff %g", q, out, d)
			}
		}
	}
}

func TestProjectImpossibleOutcome(t *testing.T) {
	st := mustState(t, []complex128{1, 0})
	if p := st.Project(0, 1); p != 0 {
		t.Errorf("Project onto an impossible outcome = %v", p)
	}
	if d := maxDiff(st.Amplitudes(), []complex128{1, 0}); d != 0 {
		t.Errorf("state changed: %v", st.Amplitudes())
	}
}

func TestReset(t *testing.T) {
	// Bell state (|00> + |11>)/sqrt 2; resetting q0 leaves q1 collapsed.
	tests := []struct {
		u    float64
		want []complex128
	}{
		{0.25, []complex128{1, 0, 0, 0}},
		{0.75, []complex128{0, 0, 1, 0}}, // q0 read 1 and is flipped: |q1=1, q0=0>
	}
	for _, tc := range tests {
		st := mustState(t, []complex128{r2, 0, 0, r2})
		st.Reset(0, tc.u)
		if d := maxDiff(st.Amplitudes(), tc.want); d > 1e-15 {
			t.Errorf("u=%v: %v, want %v", tc.u, st.Amplitudes(), tc.want)
		}
	}
}

// TestMarginal compares Marginal with sums over the probabilities computed
// here, for several qubit subsets and orders.
func TestMarginal(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	const n = 10
	psi := randVec(rng, n)
	st := mustState(t, psi)
	tests := [][]int{{}, {0}, {9}, {3, 1}, {1, 3}, {9, 0, 4, 8}, {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}}
	for _, qs := range tests {
		want := make([]float64, 1<<uint(len(qs)))
		for i, a := range psi {
			x := 0
			for j, q := range qs {
				x |= (i >> uint(q) & 1) << uint(j)
			}
			want[x] += real(a)*real(a) + imag(a)*imag(a)
		}
		got := st.Marginal(qs)
		if len(got) != len(want) {
			t.Fatalf("%v: %d entries, want %d", qs, len(got), len(want))
		}
		var sum float64
		for i := range got {
			sum += got[i]
			if math.Abs(got[i]-want[i]) > 1e-14 {
				t.Errorf("%v: entry %d = %v, want %v", qs, i, got[i], want[i])
			}
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Errorf("%v: sums to %v", qs, sum)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("Marginal with a repeated qubit did not panic")
		}
	}()
	st.Marginal([]int{1, 1})
}

func TestProbabilitiesAndNorm(t *testing.T) {
	st := mustState(t, []complex128{0.6, 0.8i, 0, 0})
	p := st.Probabilities()
	want := []float64{0.36, 0.64, 0, 0}
	for i := range p {
		if math.Abs(p[i]-want[i]) > 1e-15 {
			t.Errorf("P(%d) = %v, want %v", i, p[i], want[i])
		}
	}
	if math.Abs(st.Norm()-1) > 1e-15 {
		t.Errorf("norm %v", st.Norm())
	}
	if a := st.Amplitude(1); a != 0.8i {
		t.Errorf("Amplitude(1) = %v", a)
	}
}

func TestCloneAndCopyFromAreIndependent(t *testing.T) {
	st := mustState(t, []complex128{r2, r2})
	c := st.Clone()
	c.Apply(circuit.Matrix{1, 0, 0, -1}, []int{0}, nil, 0)
	if d := maxDiff(st.Amplitudes(), []complex128{r2, r2}); d != 0 {
		t.Errorf("Clone shares memory: %v", st.Amplitudes())
	}
	st.CopyFrom(c)
	if d := maxDiff(st.Amplitudes(), []complex128{r2, -r2}); d != 0 {
		t.Errorf("CopyFrom: %v", st.Amplitudes())
	}
	c.Apply(circuit.Matrix{0, 1, 1, 0}, []int{0}, nil, 0)
	if d := maxDiff(st.Amplitudes(), []complex128{r2, -r2}); d != 0 {
		t.Errorf("CopyFrom shares memory: %v", st.Amplitudes())
	}
}

func TestFromAmplitudes(t *testing.T) {
	for _, n := range []int{0, 3, 5, 6} {
		if _, err := statevector.FromAmplitudes(make([]complex128, n)); err == nil {
			t.Errorf("FromAmplitudes of %d amplitudes succeeded", n)
		}
	}
	amps := []complex128{1, 2, 3, 4}
	st := mustState(t, amps)
	amps[0] = 9
	if st.NumQubits() != 2 || st.Amplitude(0) != 1 {
		t.Errorf("FromAmplitudes does not copy or counts qubits wrong")
	}
}

// TestMemoryRefusal: a 40-qubit state needs 16 TiB; New refuses it before
// allocating, with a message that says how much and what to do.
func TestMemoryRefusal(t *testing.T) {
	_, err := statevector.New(40)
	var me *statevector.MemoryError
	if !errors.As(err, &me) {
		t.Fatalf("New(40) error %v, want a *MemoryError", err)
	}
	if me.Need != 16<<40 || me.Qubits != 40 || me.Limit != statevector.MaxMemory {
		t.Errorf("MemoryError %+v", me)
	}
	for _, s := range []string{"40-qubit", "16 TiB", "16*2^40 bytes", "allows"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("message %q lacks %q", err, s)
		}
	}
	_, err = statevector.New(70)
	if !errors.As(err, &me) {
		t.Errorf("New(70) error %v, want a *MemoryError", err)
	}

	err = statevector.CheckMemory(40, 23193767526) // 21.6 GiB
	want := "a 40-qubit state vector needs 16 TiB (16*2^40 bytes); this machine allows 21.6 GiB"
	if err == nil || err.Error() != want {
		t.Errorf("CheckMemory(40) = %v\nwant %s", err, want)
	}
	if err := statevector.CheckMemory(20, 16<<20); err != nil {
		t.Errorf("CheckMemory(20, 16 MiB) = %v", err)
	}
	if err := statevector.CheckMemory(21, 16<<20); err == nil {
		t.Errorf("CheckMemory(21, 16 MiB) succeeded")
	}
}

func TestBytesNeeded(t *testing.T) {
	tests := []struct {
		n    int
		want uint64
	}{{0, 16}, {1, 32}, {30, 16 << 30}, {59, 16 << 59}, {60, math.MaxUint64}, {100, math.MaxUint64}}
	for _, tc := range tests {
		if got := statevector.BytesNeeded(tc.n); got != tc.want {
			t.Errorf("BytesNeeded(%d) = %d, want %d", tc.n, got, tc.want)
		}
	}
}

func TestFormatBytes(t *testing.T) {
	tests := []struct {
		b    uint64
		want string
	}{
		{0, "0 B"}, {1023, "1023 B"}, {1024, "1 KiB"}, {1536, "1.5 KiB"},
		{16 << 20, "16 MiB"}, {23193767526, "21.6 GiB"}, {16 << 40, "16 TiB"},
		{1000 << 30, "1000 GiB"}, {123456789, "118 MiB"}, {math.MaxUint64, "16 EiB"},
	}
	for _, tc := range tests {
		if got := statevector.FormatBytes(tc.b); got != tc.want {
			t.Errorf("FormatBytes(%d) = %q, want %q", tc.b, got, tc.want)
		}
	}
}
