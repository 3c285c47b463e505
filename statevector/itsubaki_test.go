package statevector_test

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/itsubaki/q"

	"born/circuit"
)

// TestAgainstItsubakiQ runs seeded random circuits both here and in
// github.com/itsubaki/q v0.0.11 and compares all amplitudes to 1e-12.
//
// Qubit order: itsubaki/q makes its first qubit the MOST significant bit of
// an amplitude index; born makes qubit 0 the least significant. Mapping
// born's qubit k to itsubaki's qubit n-1-k puts both at bit k, so the
// amplitude vectors then compare index by index.
//
// Gate conventions (checked against itsubaki's quantum/gate and
// quantum/qubit sources):
//   - H, X, Y, Z, S, T, RX, RY and U(theta, phi, lambda) have the same
//     matrices as qelib1's h, x, y, z, s, t, rx, ry and u3 (Qiskit's U).
//   - itsubaki's RZ is exp(-i theta Z/2), which is stdgates' rz. qelib1's
//     rz is u1 = diag(1, e^{i phi}), which differs by the global phase
//     e^{i theta/2}; it is matched with itsubaki's R(theta) instead.
//   - CR(theta) is cu1/cp; CU is cu3 (no extra phase); ControlledH is
//     stdgates' ch (qelib1's ch carries an extra phase e^{i pi/4}).
//   - CCZ and the 2-controlled U are born's ctrl(2) @ z and ctrl(2) @ u3.
func TestAgainstItsubakiQ(t *testing.T) {
	ctrl2 := []circuit.Modifier{{Kind: circuit.Ctrl, N: 2}}
	type gate struct {
		nq, np int
		born   func(c *circuit.Circuit, p []float64, qs []int)
		q      func(s *q.Q, p []float64, qs []q.Qubit)
	}
	gp := func(g *circuit.GateDef) func(c *circuit.Circuit, p []float64, qs []int) {
		return func(c *circuit.Circuit, p []float64, qs []int) { c.GP(g, p, qs...) }
	}
	withMods := func(mods []circuit.Modifier, g *circuit.GateDef) func(c *circuit.Circuit, p []float64, qs []int) {
		return func(c *circuit.Circuit, p []float64, qs []int) {
			c.GP(g, p, qs...)
			c.Ops[len(c.Ops)-1].Mods = mods
		}
	}
	gates := map[string]gate{
		"h":    {1, 0, gp(qe["h"]), func(s *q.Q, p []float64, b []q.Qubit) { s.H(b[0]) }},
		"x":    {1, 0, gp(qe["x"]), func(s *q.Q, p []float64, b []q.Qubit) { s.X(b[0]) }},
		"y":    {1, 0, gp(qe["y"]), func(s *q.Q, p []float64, b []q.Qubit) { s.Y(b[0]) }},
		"z":    {1, 0, gp(qe["z"]), func(s *q.Q, p []float64, b []q.Qubit) { s.Z(b[0]) }},
		"s":    {1, 0, gp(qe["s"]), func(s *q.Q, p []float64, b []q.Qubit) { s.S(b[0]) }},
		"t":    {1, 0, gp(qe["t"]), func(s *q.Q, p []float64, b []q.Qubit) { s.T(b[0]) }},
		"rx":   {1, 1, gp(qe["rx"]), func(s *q.Q, p []float64, b []q.Qubit) { s.RX(p[0], b[0]) }},
		"ry":   {1, 1, gp(qe["ry"]), func(s *q.Q, p []float64, b []q.Qubit) { s.RY(p[0], b[0]) }},
		"rz":   {1, 1, gp(std["rz"]), func(s *q.Q, p []float64, b []q.Qubit) { s.RZ(p[0], b[0]) }},
		"u1":   {1, 1, gp(qe["u1"]), func(s *q.Q, p []float64, b []q.Qubit) { s.R(p[0], b[0]) }},
		"u3":   {1, 3, gp(qe["u3"]), func(s *q.Q, p []float64, b []q.Qubit) { s.U(p[0], p[1], p[2], b[0]) }},
		"cx":   {2, 0, gp(qe["cx"]), func(s *q.Q, p []float64, b []q.Qubit) { s.CNOT(b[0], b[1]) }},
		"cz":   {2, 0, gp(qe["cz"]), func(s *q.Q, p []float64, b []q.Qubit) { s.CZ(b[0], b[1]) }},
		"cp":   {2, 1, gp(qe["cp"]), func(s *q.Q, p []float64, b []q.Qubit) { s.CR(p[0], b[0], b[1]) }},
		"cu3":  {2, 3, gp(qe["cu3"]), func(s *q.Q, p []float64, b []q.Qubit) { s.CU(p[0], p[1], p[2], b[0], b[1]) }},
		"ch":   {2, 0, gp(std["ch"]), func(s *q.Q, p []float64, b []q.Qubit) { s.ControlledH(b[:1], b[1:]) }},
		"swap": {2, 0, gp(qe["swap"]), func(s *q.Q, p []float64, b []q.Qubit) { s.Swap(b[0], b[1]) }},
		"ccx":  {3, 0, gp(qe["ccx"]), func(s *q.Q, p []float64, b []q.Qubit) { s.CCNOT(b[0], b[1], b[2]) }},
		"ccz":  {3, 0, withMods(ctrl2, qe["z"]), func(s *q.Q, p []float64, b []q.Qubit) { s.CCZ(b[0], b[1], b[2]) }},
		"c3x":  {4, 0, gp(qe["c3x"]), func(s *q.Q, p []float64, b []q.Qubit) { s.CCCNOT(b[0], b[1], b[2], b[3]) }},
		"ccu3": {3, 3, withMods(ctrl2, qe["u3"]), func(s *q.Q, p []float64, b []q.Qubit) { s.ControlledU(p[0], p[1], p[2], b[:2], b[2:]) }},
		"ccp":  {3, 1, withMods(ctrl2, qe["p"]), func(s *q.Q, p []float64, b []q.Qubit) { s.ControlledR(p[0], b[:2], b[2:]) }},
	}
	names := slices.Sorted(maps.Keys(gates)) // a fixed order: reproducible circuits

	for n := 1; n <= 6; n++ {
		for seed := uint64(0); seed < 4; seed++ {
			t.Run(fmt.Sprintf("n=%d/seed=%d", n, seed), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(seed, uint64(n)))
				c := circuit.New(n, 0)
				sim := q.New()
				reg := sim.Zeros(n)
				theirs := func(k int) q.Qubit { return reg[n-1-k] } // see above
				for i := 0; i < 60; i++ {
					name := names[rng.IntN(len(names))]
					g := gates[name]
					if g.nq > n {
						continue
					}
					qs := rng.Perm(n)[:g.nq]
					p := make([]float64, g.np)
					for j := range p {
						p[j] = (rng.Float64() - 0.5) * 10
					}
					g.born(c, p, qs)
					tq := make([]q.Qubit, len(qs))
					for j, k := range qs {
						tq[j] = theirs(k)
					}
					g.q(sim, p, tq)
				}
				got := evolve(t, c).Amplitudes()
				if d := maxDiff(got, sim.Amplitude()); d > 1e-12 {
					t.Fatalf("max amplitude difference %g", d)
				}
			})
		}
	}
}
