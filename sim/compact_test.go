package sim_test

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"slices"
	"testing"

	"born/circuit"
	"born/sim"
	"born/statevector"
)

// A circuit on qubits 1, 4 and 6 of 8 (measuring 4, resetting 6) gives the
// same amplitudes, probabilities and counts compacted to those three qubits
// as on all eight, with the untouched qubits in |0>.
func TestCompact(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	c := circuit.New(8, 2)
	for range 6 {
		c.GP(qe["u3"], []float64{rng.Float64() * 3, rng.Float64() * 3, rng.Float64() * 3}, 1)
		c.GP(qe["u3"], []float64{rng.Float64() * 3, rng.Float64() * 3, rng.Float64() * 3}, 4)
		c.G(qe["cx"], 1, 6).G(qe["ccx"], 6, 1, 4)
	}
	full := lower(t, c)
	cl, used := sim.Compact(full)
	if !slices.Equal(used, []int{1, 4, 6}) || cl.NumQubits != 3 || cl.NumClbits != 2 {
		t.Fatalf("Compact: %d qubits, used %v", cl.NumQubits, used)
	}
	big, _ := statevector.New(8)
	small, _ := statevector.New(3)
	if err := sim.Evolve(big, full, nil); err != nil {
		t.Fatal(err)
	}
	if err := sim.Evolve(small, cl, nil); err != nil {
		t.Fatal(err)
	}
	want := big.Amplitudes()
	got := make([]complex128, len(want))
	for x, a := range small.Amplitudes() {
		got[sim.Expand(uint64(x), used)] = a
	}
	for i := range want {
		if cmplx.Abs(got[i]-want[i]) > 1e-14 {
			t.Fatalf("amplitude %08b: compact %v, full %v", i, got[i], want[i])
		}
	}

	// With a mid-circuit measurement and a reset: the same classical
	// distribution and averaged probabilities.
	measure(c, 4, 0).Reset(6).G(qe["h"], 6)
	measure(c, 6, 1)
	full = lower(t, c)
	cl, used = sim.Compact(full)
	newState := func(n int) (*statevector.State, error) { return statevector.New(n) }
	fc, fp, err := sim.Exact(newState, full, nil, 1<<10)
	if err != nil {
		t.Fatal(err)
	}
	cc, cp, err := sim.Exact(newState, cl, nil, 1<<10)
	if err != nil {
		t.Fatal(err)
	}
	for k, p := range fc {
		if math.Abs(cc[k]-p) > 1e-14 {
			t.Errorf("classical %02b: compact %v, full %v", k, cc[k], p)
		}
	}
	for x, p := range cp {
		if y := sim.Expand(uint64(x), used); math.Abs(fp[y]-p) > 1e-14 {
			t.Errorf("probability %08b: compact %v, full %v", y, p, fp[y])
		}
	}
	// Same seed, same counts: compaction changes no random draw.
	a, err := sim.Counts(newState, full, nil, 500, 9)
	if err != nil {
		t.Fatal(err)
	}
	b, err := sim.Counts(newState, cl, nil, 500, 9)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) {
		t.Fatalf("counts %v and %v", a, b)
	}
	for k, v := range a {
		if b[k] != v {
			t.Errorf("counts %v (full) and %v (compact)", a, b)
		}
	}

	// CompactInPlace renumbers the same way, reusing l's instructions but
	// not the circuit's qubit lists, which the lowering shares.
	before := make([][]int, len(c.Ops))
	for i, op := range c.Ops {
		before[i] = slices.Clone(op.Qubits)
	}
	mine := lower(t, c)
	ip, usedIP := sim.CompactInPlace(mine)
	if !slices.Equal(usedIP, used) || ip.NumQubits != cl.NumQubits || len(ip.Instrs) != len(cl.Instrs) || &ip.Instrs[0] != &mine.Instrs[0] {
		t.Fatalf("CompactInPlace: %d qubits, used %v, %d instructions (in place: %v)", ip.NumQubits, usedIP, len(ip.Instrs), &ip.Instrs[0] == &mine.Instrs[0])
	}
	for i, in := range ip.Instrs {
		if !slices.Equal(in.Targets, cl.Instrs[i].Targets) || !slices.Equal(in.Controls, cl.Instrs[i].Controls) {
			t.Errorf("CompactInPlace instruction %d: targets %v controls %v, Compact's %v %v", i, in.Targets, in.Controls, cl.Instrs[i].Targets, cl.Instrs[i].Controls)
		}
	}
	for i, op := range c.Ops {
		if !slices.Equal(op.Qubits, before[i]) {
			t.Errorf("CompactInPlace changed op %d's qubits from %v to %v", i, before[i], op.Qubits)
		}
	}

	// A circuit that touches every qubit is returned as is; one that
	// touches none keeps qubit 0.
	all := lower(t, circuit.New(2, 0).G(qe["cx"], 0, 1))
	if got, used := sim.Compact(all); got != all || !slices.Equal(used, []int{0, 1}) {
		t.Errorf("Compact of a full circuit: %p (want %p), %v", got, all, used)
	}
	none := lower(t, circuit.New(5, 0))
	if got, used := sim.Compact(none); got.NumQubits != 1 || !slices.Equal(used, []int{0}) {
		t.Errorf("Compact of an empty circuit: %d qubits, %v", got.NumQubits, used)
	}
}
