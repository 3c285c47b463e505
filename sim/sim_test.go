package sim_test

import (
	"errors"
	"maps"
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"born/circuit"
	"born/sim"
	"born/statevector"
)

func TestRunGHZ(t *testing.T) {
	const n = 5
	c := circuit.New(n, n).G(qe["h"], 0)
	for q := 1; q < n; q++ {
		c.G(qe["cx"], q-1, q)
	}
	c.Measure([]int{0, 1, 2, 3, 4}, []int{0, 1, 2, 3, 4})
	l := lower(t, c)
	seen := map[bool]bool{}
	for seed := uint64(0); seed < 40; seed++ {
		st, _ := statevector.New(n)
		bits, err := sim.Run(st, l, nil, rand.New(rand.NewPCG(seed, 0)))
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range bits {
			if b != bits[0] {
				t.Fatalf("seed %d: GHZ bits %v differ", seed, bits)
			}
		}
		seen[bits[0]] = true
	}
	if !seen[false] || !seen[true] {
		t.Errorf("40 GHZ shots all gave the same outcome")
	}
}

// teleport returns the teleportation circuit for the state U(th, ph, la)|0>
// of qubit 0 onto qubit 2, with Bell measurement results in c0 (q0) and c1
// (q1) and the corrections X^c1, then Z^c0, on qubit 2.
func teleport(th, ph, la float64) *circuit.Circuit {
	c := circuit.New(3, 2)
	c.GP(qe["u3"], []float64{th, ph, la}, 0)
	c.G(qe["h"], 1).G(qe["cx"], 1, 2)
	c.G(qe["cx"], 0, 1).G(qe["h"], 0)
	c.Measure([]int{0, 1}, []int{0, 1})
	when(c.G(qe["x"], 2), []int{1}, 1)
	when(c.G(qe["z"], 2), []int{0}, 1)
	return c
}

// TestTeleportation: whatever the Bell measurement gives, qubit 2 ends in
// exactly the input state (alpha, beta) = U(th, ph, la)|0>.
func TestTeleportation(t *testing.T) {
	for _, p := range [][3]float64{{0, 0, 0}, {math.Pi, 0, 0}, {1.1, 0.4, -2}, {2.5, -1.2, 0.3}} {
		u := circuit.MatU(p[0], p[1], p[2])
		alpha, beta := u[0], u[2]
		l := lower(t, teleport(p[0], p[1], p[2]))
		outcomes := map[[2]bool]bool{}
		for seed := uint64(0); seed < 32; seed++ {
			st, _ := statevector.New(3)
			bits, err := sim.Run(st, l, nil, rand.New(rand.NewPCG(seed, 1)))
			if err != nil {
				t.Fatal(err)
			}
			outcomes[[2]bool{bits[0], bits[1]}] = true
			base := 0
			if bits[0] {
				base |= 1
			}
			if bits[1] {
				base |= 2
			}
			for i := 0; i < 8; i++ {
				want := complex128(0)
				switch i {
				case base:
					want = alpha
				case base | 4:
					want = beta
				}
				if cmplx.Abs(st.Amplitude(i)-want) > 1e-12 {
					t.Fatalf("%v seed %d bits %v: amplitude %d = %v, want %v", p, seed, bits, i, st.Amplitude(i), want)
				}
			}
		}
		if len(outcomes) != 4 {
			t.Errorf("%v: %d of 4 Bell outcomes in 32 shots", p, len(outcomes))
		}
	}
}

func ry(th float64) []float64 { return []float64{th} }

// TestExact compares Exact with distributions worked out by hand.
func TestExact(t *testing.T) {
	h, x, cx := qe["h"], qe["x"], qe["cx"]
	const th = 1.2
	c2, s2 := math.Pow(math.Cos(th/2), 2), math.Pow(math.Sin(th/2), 2)
	tests := []struct {
		name      string
		c         *circuit.Circuit
		classical map[uint64]float64
		probs     []float64
	}{
		{"pure", circuit.New(1, 0).G(h, 0), map[uint64]float64{0: 1}, []float64{.5, .5}},
		{"measure then conditional X restores |0>",
			when(measure(circuit.New(1, 1).G(h, 0), 0, 0).G(x, 0), []int{0}, 1),
			map[uint64]float64{0: .5, 1: .5}, []float64{1, 0}},
		{"mid-circuit measurement drives a conditional X",
			measure(when(measure(circuit.New(2, 2).GP(qe["ry"], ry(th), 0), 0, 0).G(x, 1), []int{0}, 1), 1, 1),
			map[uint64]float64{0: c2, 3: s2}, []float64{c2, 0, 0, s2}},
		{"negated condition",
			measure(func() *circuit.Circuit {
				c := measure(circuit.New(2, 2).GP(qe["ry"], ry(th), 0), 0, 0).G(x, 1)
				c.Ops[len(c.Ops)-1].Cond = []circuit.Condition{{Clbits: []int{0}, Value: 1, Negate: true}}
				return c
			}(), 1, 1),
			map[uint64]float64{2: c2, 1: s2}, []float64{0, s2, c2, 0}},
		{"condition on a 2-bit register value",
			measure(when(circuit.New(3, 3).G(h, 0).G(h, 1).Measure([]int{0, 1}, []int{0, 1}).G(x, 2), []int{0, 1}, 2), 2, 2),
			map[uint64]float64{0: .25, 1: .25, 6: .25, 3: .25},
			[]float64{.25, .25, 0, .25, 0, 0, .25, 0}},
		{"reset", circuit.New(1, 0).G(h, 0).Reset(0), map[uint64]float64{0: 1}, []float64{1, 0}},
		{"reset of half a Bell pair",
			measure(circuit.New(2, 1).G(h, 0).G(cx, 0, 1).Reset(0), 1, 0),
			map[uint64]float64{0: .5, 1: .5}, []float64{.5, 0, .5, 0}},
		{"later measurement into the same bit wins",
			measure(measure(circuit.New(2, 1).G(x, 0), 0, 0), 1, 0),
			map[uint64]float64{0: 1}, []float64{0, 1, 0, 0}},
		{"measure one qubit twice",
			measure(measure(circuit.New(1, 2).GP(qe["ry"], ry(th), 0), 0, 0), 0, 1),
			map[uint64]float64{0: c2, 3: s2}, []float64{c2, s2}},
		{"X-basis measurement after a Z-basis one",
			measure(measure(circuit.New(1, 2).G(h, 0), 0, 0).G(h, 0), 0, 1),
			map[uint64]float64{0: .25, 1: .25, 2: .25, 3: .25}, []float64{.5, .5}},
		{"teleportation", teleport(th, 0.3, -0.8),
			map[uint64]float64{0: .25, 1: .25, 2: .25, 3: .25},
			[]float64{c2 / 4, c2 / 4, c2 / 4, c2 / 4, s2 / 4, s2 / 4, s2 / 4, s2 / 4}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			classical, probs, err := sim.Exact(statevector.New, lower(t, tc.c), nil, 64)
			if err != nil {
				t.Fatal(err)
			}
			if len(classical) != len(tc.classical) {
				t.Errorf("classical %v, want %v", classical, tc.classical)
			}
			for k, want := range tc.classical {
				if math.Abs(classical[k]-want) > 1e-12 {
					t.Errorf("classical %v, want %v", classical, tc.classical)
					break
				}
			}
			if len(probs) != len(tc.probs) {
				t.Fatalf("probs %v, want %v", probs, tc.probs)
			}
			for i := range probs {
				if math.Abs(probs[i]-tc.probs[i]) > 1e-12 {
					t.Errorf("probs %v, want %v", probs, tc.probs)
					break
				}
			}
		})
	}
}

// randomPure is a seeded random circuit of rotations and CXs.
func randomPure(n, m int, seed uint64) *circuit.Circuit {
	rng := rand.New(rand.NewPCG(seed, 7))
	c := circuit.New(n, m)
	for layer := 0; layer < 3; layer++ {
		for q := 0; q < n; q++ {
			c.GP(qe["u3"], []float64{rng.Float64() * 3, rng.Float64() * 6, rng.Float64() * 6}, q)
		}
		for q := layer % 2; q+1 < n; q += 2 {
			c.G(qe["cx"], q, q+1)
		}
	}
	return c
}

func TestExactPureIsProbabilities(t *testing.T) {
	c := randomPure(6, 0, 3)
	l := lower(t, c)
	st, _ := statevector.New(6)
	if err := sim.Evolve(st, l, nil); err != nil {
		t.Fatal(err)
	}
	u, err := c.Unitary(nil)
	if err != nil {
		t.Fatal(err)
	}
	classical, probs, err := sim.Exact(statevector.New, l, nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(classical) != 1 || classical[0] != 1 {
		t.Errorf("classical %v", classical)
	}
	for i, p := range probs {
		want := cmplx.Abs(u[i*64]) * cmplx.Abs(u[i*64])
		if math.Abs(p-want) > 1e-12 || math.Abs(st.Probabilities()[i]-want) > 1e-12 {
			t.Fatalf("P(%d) = %v (Exact), %v (Evolve), want %v", i, p, st.Probabilities()[i], want)
		}
	}
}

func TestExactBranchLimit(t *testing.T) {
	// Four qubits measured mid-circuit (an H follows each measurement):
	// 16 branches, each outcome 1/16.
	c := circuit.New(4, 4)
	for q := 0; q < 4; q++ {
		measure(c.G(qe["h"], q), q, q).G(qe["h"], q)
	}
	l := lower(t, c)
	_, _, err := sim.Exact(statevector.New, l, nil, 15)
	var be *sim.BranchError
	if !errors.As(err, &be) || be.Max != 15 {
		t.Fatalf("Exact with 15 branches: %v, want a BranchError", err)
	}
	classical, _, err := sim.Exact(statevector.New, l, nil, 16)
	if err != nil {
		t.Fatal(err)
	}
	if len(classical) != 16 {
		t.Errorf("%d outcomes, want 16", len(classical))
	}
	for k, p := range classical {
		if math.Abs(p-1.0/16) > 1e-12 {
			t.Errorf("P(%04b) = %v", k, p)
		}
	}
	// Terminal measurements do not branch: 10 measured qubits fit in 1.
	c = randomPure(10, 10, 1).Measure([]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
	if _, _, err := sim.Exact(statevector.New, lower(t, c), nil, 1); err != nil {
		t.Errorf("terminal measurements: %v", err)
	}
}

// TestCountsMatchExact checks Counts against Exact by a chi-square test,
// for circuits that take the sampling path and the shot-by-shot path.
func TestCountsMatchExact(t *testing.T) {
	const shots = 20000
	tests := []struct {
		name    string
		c       *circuit.Circuit
		sampled bool
	}{
		{"terminal, 8 qubits", randomPure(8, 8, 2).Measure([]int{7, 1, 2, 3, 4, 5, 6, 0}, []int{0, 1, 2, 3, 4, 5, 6, 7}), true},
		{"terminal, subset into crossed bits", randomPure(6, 3, 4).Measure([]int{5, 0, 2}, []int{1, 2, 0}), true},
		{"terminal with a control after", measure(randomPure(4, 2, 5), 0, 0).G(qe["cx"], 0, 3).Measure([]int{3}, []int{1}), true},
		{"teleportation", teleport(1.2, 0.3, -0.8).Measure([]int{2}, []int{1}), false},
		{"mid-circuit measurement and reset", measure(measure(randomPure(3, 3, 6), 1, 0).G(qe["h"], 1).Reset(0), 1, 1).G(qe["cx"], 1, 2).Measure([]int{2}, []int{2}), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := lower(t, tc.c)
			if _, ok := sim.TerminalMeasurements(l); ok != tc.sampled {
				t.Fatalf("TerminalMeasurements ok = %v, want %v", ok, tc.sampled)
			}
			exact, _, err := sim.Exact(statevector.New, l, nil, 1024)
			if err != nil {
				t.Fatal(err)
			}
			counts, err := sim.Counts(statevector.New, l, nil, shots, 42)
			if err != nil {
				t.Fatal(err)
			}
			total := 0
			for _, v := range counts {
				total += v
			}
			if total != shots {
				t.Fatalf("%d shots counted, want %d", total, shots)
			}
			if chi2, df := chiSquare(counts, exact, shots); !chiSquareOK(chi2, df) {
				t.Errorf("chi2 = %.1f with %d degrees of freedom", chi2, df)
			}
		})
	}
}

// TestShotsAgreeWithSampling compares the sampled histogram of a circuit
// with terminal measurements with the one from running it shot by shot
// (sim.Run on a fresh state per shot), against the exact distribution.
func TestShotsAgreeWithSampling(t *testing.T) {
	const shots = 5000
	c := randomPure(5, 5, 9).Measure([]int{0, 1, 2, 3, 4}, []int{4, 3, 2, 1, 0})
	l := lower(t, c)
	exact, _, err := sim.Exact(statevector.New, l, nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	sampled, err := sim.Counts(statevector.New, l, nil, shots, 1)
	if err != nil {
		t.Fatal(err)
	}
	byShot := map[uint64]int{}
	rng := rand.New(rand.NewPCG(2, 2))
	for range shots {
		st, _ := statevector.New(5)
		bits, err := sim.Run(st, l, nil, rng)
		if err != nil {
			t.Fatal(err)
		}
		var k uint64
		for b, v := range bits {
			if v {
				k |= 1 << uint(b)
			}
		}
		byShot[k]++
	}
	for name, counts := range map[string]map[uint64]int{"sampled": sampled, "shot by shot": byShot} {
		if chi2, df := chiSquare(counts, exact, shots); !chiSquareOK(chi2, df) {
			t.Errorf("%s: chi2 = %.1f with %d degrees of freedom", name, chi2, df)
		}
	}
}

func TestCountsDeterministic(t *testing.T) {
	for _, c := range []*circuit.Circuit{
		randomPure(5, 5, 1).Measure([]int{0, 1, 2, 3, 4}, []int{0, 1, 2, 3, 4}),
		teleport(1, 2, 3).Measure([]int{2}, []int{1}),
	} {
		l := lower(t, c)
		a, err := sim.Counts(statevector.New, l, nil, 3000, 7)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := sim.Counts(statevector.New, l, nil, 3000, 7)
		d, _ := sim.Counts(statevector.New, l, nil, 3000, 8)
		if !maps.Equal(a, b) {
			t.Errorf("same seed, different counts: %v %v", a, b)
		}
		if maps.Equal(a, d) {
			t.Errorf("different seeds, same counts: %v", a)
		}
	}
}

// TestCountsParameters binds a symbolic angle: RY(theta) then measure
// gives P(1) = sin^2(theta/2).
func TestCountsParameters(t *testing.T) {
	c := circuit.New(1, 1)
	c.Apply(qe["ry"], []circuit.Expr{c.Symbol("theta")}, 0)
	measure(c, 0, 0)
	l := lower(t, c)
	for _, th := range []float64{0, math.Pi / 3, math.Pi} {
		const shots = 10000
		counts, err := sim.Counts(statevector.New, l, []float64{th}, shots, 1)
		if err != nil {
			t.Fatal(err)
		}
		p1 := math.Pow(math.Sin(th/2), 2)
		exact := map[uint64]float64{0: 1 - p1, 1: p1}
		if chi2, df := chiSquare(counts, exact, shots); !chiSquareOK(chi2, df) {
			t.Errorf("theta %v: counts %v", th, counts)
		}
	}
}

func TestCountsEdgeCases(t *testing.T) {
	l := lower(t, circuit.New(2, 2).G(qe["h"], 0))
	counts, err := sim.Counts(statevector.New, l, nil, 100, 1)
	if err != nil || !maps.Equal(counts, map[uint64]int{0: 100}) {
		t.Errorf("no measurement: %v, %v", counts, err)
	}
	counts, err = sim.Counts(statevector.New, l, nil, 0, 1)
	if err != nil || len(counts) != 0 {
		t.Errorf("0 shots: %v, %v", counts, err)
	}
}

func TestErrors(t *testing.T) {
	c := circuit.New(1, 1)
	c.Apply(qe["ry"], []circuit.Expr{c.Symbol("theta")}, 0)
	l := lower(t, c)
	if _, err := sim.Counts(statevector.New, l, nil, 10, 1); err == nil {
		t.Error("Counts with a missing parameter value succeeded")
	}
	if _, err := sim.Counts(statevector.New, l, []float64{1}, -1, 1); err == nil {
		t.Error("Counts with negative shots succeeded")
	}
	if _, _, err := sim.Exact(statevector.New, l, []float64{math.NaN()}, 1); err == nil {
		t.Error("Exact with a NaN parameter succeeded")
	}
	st, _ := statevector.New(2)
	if _, err := sim.Run(st, l, []float64{1}, nil); err == nil {
		t.Error("Run on a state of the wrong size succeeded")
	}
	if err := sim.Evolve(st, lower(t, measure(circuit.New(2, 1), 0, 0)), nil); err == nil {
		t.Error("Evolve of a measuring circuit succeeded")
	}
	if _, err := sim.Counts(statevector.New, lower(t, circuit.New(1, 65)), nil, 1, 1); err == nil {
		t.Error("Counts with 65 classical bits succeeded")
	}
	_, err := sim.Counts(statevector.New, lower(t, circuit.New(45, 0)), nil, 1, 1)
	var me *statevector.MemoryError
	if !errors.As(err, &me) {
		t.Errorf("45 qubits: %v, want a *statevector.MemoryError", err)
	}
}
