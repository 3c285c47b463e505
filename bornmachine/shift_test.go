package bornmachine

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"born/circuit"
	"born/dataset"
	"born/statevector"
)

// shiftCase is a compiled circuit with parameters and a loss gradient g.
type shiftCase struct {
	name  string
	pr    *program
	theta []float64
	g     []float64
}

// shiftCases returns random circuits of 1-5 qubits over every gate family
// with a shift rule (two- and four-term rules, inv, pow, ctrl @, shared
// parameters, expressions) and the BAS 3x3 ansatz at depth 3 (fused
// Rz Rx Rz blocks, CNOTs on high and low qubits).
func shiftCases(t *testing.T) []shiftCase {
	t.Helper()
	var cs []*circuit.Circuit
	var names []string
	for trial := range 7 {
		rng := rand.New(rand.NewPCG(uint64(trial), 11))
		n := 1 + trial%5
		cs = append(cs, randomCircuit(rng, n, 4, 18))
		names = append(names, fmt.Sprintf("random-%d-%d", n, trial))
	}
	data, err := dataset.ParseDataset("bas:3x3")
	if err != nil {
		t.Fatal(err)
	}
	a, err := ParseAnsatz("qcbm:3", data.Bits, data)
	if err != nil {
		t.Fatal(err)
	}
	cs = append(cs, a.Circuit())
	names = append(names, "bas3x3-depth3")
	var out []shiftCase
	for i, c := range cs {
		pr, err := compile(c)
		if err != nil {
			t.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(uint64(i), 4))
		sc := shiftCase{name: names[i], pr: pr, theta: make([]float64, pr.nsym), g: make([]float64, 1<<uint(pr.n))}
		for j := range sc.theta {
			sc.theta[j] = rng.Float64() * 6
		}
		for j := range sc.g {
			sc.g[j] = rng.NormFloat64()
		}
		out = append(out, sc)
	}
	return out
}

// separateShiftRuns returns the shift rule's dL/dv for every occurrence the
// plain way: every shifted circuit is built on its own (the occurrence's
// parameter expression plus the shift), evaluated and run from |0...0>,
// and its probabilities weighted by g. No state, matrix or run is shared.
func separateShiftRuns(t *testing.T, pr *program, theta, g []float64) []float64 {
	t.Helper()
	dv := make([]float64, len(pr.occs))
	for oi := range pr.occs {
		o := &pr.occs[oi]
		for _, term := range o.rule.terms {
			sp := *pr
			sp.instrs = slices.Clone(pr.instrs)
			in := &sp.instrs[o.instr]
			in.Params = slices.Clone(in.Params)
			in.Params[o.slot] = circuit.Add(in.Params[o.slot], circuit.Const(term.shift))
			ev, err := sp.evaluate(theta)
			if err != nil {
				t.Fatal(err)
			}
			st, err := StateVector.New(pr.n)
			if err != nil {
				t.Fatal(err)
			}
			for b := range sp.blocks {
				bl := &sp.blocks[b]
				st.Apply(ev.bmats[b], bl.targets, bl.controls, bl.ctrlState)
			}
			var f float64
			for x, p := range st.Probabilities() {
				f += g[x] * p
			}
			dv[oi] += term.coef * f
		}
	}
	return dv
}

// TestShiftSharingMatchesSeparateRuns: the state-vector shift gradient,
// which shares the prefix of the shifted circuits (checkpoints) and their
// suffix (by linearity), gives the numbers of running every shifted circuit
// on its own to 1e-12, as does the same code with only the prefix shared
// (every shifted circuit's suffix run separately); the adjoint gradient
// agrees to 1e-10.
func TestShiftSharingMatchesSeparateRuns(t *testing.T) {
	for _, c := range shiftCases(t) {
		t.Run(c.name, func(t *testing.T) {
			pr := c.pr
			want := separateShiftRuns(t, pr, c.theta, c.g)
			ev, err := pr.evaluate(c.theta)
			if err != nil {
				t.Fatal(err)
			}
			for _, rank := range []bool{true, false} {
				s := newSVShift(pr, 1)
				s.rank = rank
				got, err := pr.shiftGrad(StateVector, ev, c.g, shiftOptions{sv: s})
				if err != nil {
					t.Fatal(err)
				}
				for i := range want {
					if d := math.Abs(got[i] - want[i]); d > 1e-12 {
						t.Errorf("suffix shared %v: occurrence %d: %.17g, separate runs %.17g (diff %.2g)", rank, i, got[i], want[i], d)
					}
				}
			}
			psi, err := newSVShift(pr, 1).forward(ev)
			if err != nil {
				t.Fatal(err)
			}
			adj, err := pr.adjointGrad(ev, psi, c.g)
			if err != nil {
				t.Fatal(err)
			}
			for i := range want {
				if d := math.Abs(adj[i] - want[i]); d > 1e-10 {
					t.Errorf("occurrence %d: adjoint %.17g, separate shift runs %.17g (diff %.2g)", i, adj[i], want[i], d)
				}
			}
		})
	}
}

// TestShiftPlans checks the plans the suffix sharing makes against the
// block matrices: every shifted block is reconstructed from the matrices
// run (and the block itself) by its coefficients to 1e-13, and the number
// of suffix runs is the dimension the rules predict: one for a single
// rotation or phase (two terms), three for a fused Rz Rx Rz (six), two for
// a controlled rotation (four terms), one for a controlled phase (two).
// Uncontrolled, each shifted circuit combines the circuit's final state
// and one run (the block with its parameter's generator inserted).
func TestShiftPlans(t *testing.T) {
	std := circuit.StdGates
	type gcase struct {
		name   string
		build  func(c *circuit.Circuit, a circuit.Sym)
		runs   int
		perOcc bool // each shifted circuit combines psi and one run
	}
	cases := []gcase{
		{"rz", func(c *circuit.Circuit, a circuit.Sym) { c.Apply(std["rz"], []circuit.Expr{a}, 0) }, 1, true},
		{"rx", func(c *circuit.Circuit, a circuit.Sym) { c.Apply(std["rx"], []circuit.Expr{a}, 0) }, 1, true},
		{"rz-rx-rz", func(c *circuit.Circuit, a circuit.Sym) {
			c.Apply(std["rz"], []circuit.Expr{a}, 0)
			c.Apply(std["rx"], []circuit.Expr{circuit.Mul(circuit.Const(2), a)}, 0)
			c.Apply(std["rz"], []circuit.Expr{circuit.Add(a, circuit.Const(1))}, 0)
		}, 3, true},
		{"crx", func(c *circuit.Circuit, a circuit.Sym) { c.Apply(std["crx"], []circuit.Expr{a}, 1, 0) }, 2, false},
		{"cp", func(c *circuit.Circuit, a circuit.Sym) { c.Apply(std["cp"], []circuit.Expr{a}, 1, 0) }, 1, false},
		{"rzz", func(c *circuit.Circuit, a circuit.Sym) {
			c.Apply(circuit.QELib1Gates["rzz"], []circuit.Expr{a}, 0, 1)
		}, 1, true},
	}
	for _, gc := range cases {
		t.Run(gc.name, func(t *testing.T) {
			c := circuit.New(2, 0)
			c.G(std["h"], 0)
			c.G(std["h"], 1)
			a := c.Symbol("a")
			gc.build(c, a)
			pr, err := compile(c)
			if err != nil {
				t.Fatal(err)
			}
			ev, err := pr.evaluate([]float64{0.83})
			if err != nil {
				t.Fatal(err)
			}
			b := pr.occs[0].block
			var pl blockPlan
			if err := pl.make(pr, ev, b, true); err != nil {
				t.Fatal(err)
			}
			if pl.direct || len(pl.xs) != gc.runs || pl.perOcc != gc.perOcc {
				t.Fatalf("direct %v, %d suffix runs, per occurrence %v; want %d, %v", pl.direct, len(pl.xs), pl.perOcc, gc.runs, gc.perOcc)
			}
			checkPlan(t, pr, ev, b, &pl)
		})
	}
	// Every parameterised block of the random circuits.
	for _, c := range shiftCases(t) {
		ev, err := c.pr.evaluate(c.theta)
		if err != nil {
			t.Fatal(err)
		}
		for b := range c.pr.blocks {
			if c.pr.blocks[b].occHi == c.pr.blocks[b].occLo {
				continue
			}
			var pl blockPlan
			if err := pl.make(c.pr, ev, b, true); err != nil {
				t.Fatal(err)
			}
			if !pl.direct {
				checkPlan(t, c.pr, ev, b, &pl)
			}
		}
	}
}

// checkPlan checks that the plan's combinations give the shifted blocks:
// uncontrolled, B_s = c0 B + sum_k c_k X_k; controlled (X_k = B + E_k),
// B_s = c0 B + sum_k c_k X_k as well, with c0 = 1 - sum_k c_k.
func checkPlan(t *testing.T, pr *program, ev *evaluation, b int, pl *blockPlan) {
	t.Helper()
	bl := &pr.blocks[b]
	bm := ev.bmats[b]
	nc := len(pl.xs) + 1
	ti := 0
	for oi := bl.occLo; oi < bl.occHi; oi++ {
		o := &pr.occs[oi]
		for _, term := range o.rule.terms {
			m, err := pr.shifted(ev, o, term.shift)
			if err != nil {
				t.Fatal(err)
			}
			want := pr.withMember(ev, b, o.member, m)
			c := pl.coefs[ti*nc : (ti+1)*nc]
			for i := range want {
				got := c[0] * bm[i]
				for k, x := range pl.xs {
					got += c[1+k] * x[i]
				}
				if d := cmplxAbs(got - want[i]); d > 1e-13 {
					t.Fatalf("block %d term %d entry %d: combination %v, shifted block %v", b, ti, i, got, want[i])
				}
			}
			ti++
		}
	}
}

func cmplxAbs(z complex128) float64 { return math.Hypot(real(z), imag(z)) }

// TestShiftWorkersBitForBit: the state-vector shift gradient, exact and
// from shots, with and without suffix sharing, is bit for bit the same on
// 1 to 7 workers (chunks taken in any order).
func TestShiftWorkersBitForBit(t *testing.T) {
	for _, c := range shiftCases(t) {
		ev, err := c.pr.evaluate(c.theta)
		if err != nil {
			t.Fatal(err)
		}
		for _, shots := range []int{0, 50} {
			for _, rank := range []bool{true, false} {
				var ref []float64
				for w := 1; w <= 7; w++ {
					s := newSVShift(c.pr, w)
					s.rank = rank
					got, err := c.pr.shiftGrad(StateVector, ev, c.g, shiftOptions{sv: s, shots: shots, seed: 9, step: 2})
					if err != nil {
						t.Fatal(err)
					}
					if ref == nil {
						ref = got
					} else if !slices.Equal(got, ref) {
						t.Errorf("%s, shots %d, suffix shared %v: %d workers give %v, 1 gives %v", c.name, shots, rank, w, got, ref)
					}
				}
			}
		}
	}
}

// TestShiftChunks: when the forward pass may keep only a few states (large
// states), workers take chunks of several blocks and rebuild the prefix
// within a chunk; the gradient is still the separate runs' to 1e-12 and
// bit for bit the same for 1 to 7 workers, though the chunks differ with
// the number of workers.
func TestShiftChunks(t *testing.T) {
	old := svCheckpointBudget
	defer func() { svCheckpointBudget = old }()
	for _, c := range shiftCases(t) {
		svCheckpointBudget = 3 * int(statevector.BytesNeeded(c.pr.n))
		want := separateShiftRuns(t, c.pr, c.theta, c.g)
		ev, err := c.pr.evaluate(c.theta)
		if err != nil {
			t.Fatal(err)
		}
		var paramBlocks int
		for b := range c.pr.blocks {
			if c.pr.blocks[b].occHi > c.pr.blocks[b].occLo {
				paramBlocks++
			}
		}
		var ref []float64
		for w := 1; w <= 7; w++ {
			s := newSVShift(c.pr, w)
			if want := min(paramBlocks, max(w, 3)); len(s.chunks) != want {
				t.Fatalf("%s, %d workers: %d chunks, want %d", c.name, w, len(s.chunks), want)
			}
			got, err := c.pr.shiftGrad(StateVector, ev, c.g, shiftOptions{sv: s})
			if err != nil {
				t.Fatal(err)
			}
			if ref == nil {
				ref = got
				for i := range want {
					if d := math.Abs(got[i] - want[i]); d > 1e-12 {
						t.Errorf("%s: occurrence %d: %.17g, separate runs %.17g", c.name, i, got[i], want[i])
					}
				}
			} else if !slices.Equal(got, ref) {
				t.Errorf("%s: %d workers give %v, 1 gives %v", c.name, w, got, ref)
			}
		}
	}
}

// TestShiftSampledSeeded: with shots, the suffix-shared gradient draws
// every shifted circuit's samples from its own seeded stream, as separate
// runs do: the two give the same sampled gradient (the shifted states
// differ by rounding only, far below the sampler's resolution), and the
// sampled gradient changes with the seed.
func TestShiftSampledSeeded(t *testing.T) {
	for _, c := range shiftCases(t) {
		ev, err := c.pr.evaluate(c.theta)
		if err != nil {
			t.Fatal(err)
		}
		opt := shiftOptions{shots: 200, seed: 4, step: 3}
		var got [2][]float64
		for i, rank := range []bool{true, false} {
			opt.sv = newSVShift(c.pr, 2)
			opt.sv.rank = rank
			if got[i], err = c.pr.shiftGrad(StateVector, ev, c.g, opt); err != nil {
				t.Fatal(err)
			}
		}
		plain, err := c.pr.shiftGrad(plainEngine{}, ev, c.g, shiftOptions{shots: 200, seed: 4, step: 3})
		if err != nil {
			t.Fatal(err)
		}
		for i := range got[0] {
			if math.Abs(got[0][i]-got[1][i]) > 1e-12 || math.Abs(got[0][i]-plain[i]) > 1e-12 {
				t.Errorf("%s: occurrence %d: suffix shared %v, prefix shared %v, engine-independent path %v", c.name, i, got[0][i], got[1][i], plain[i])
			}
		}
		opt.seed = 5
		opt.sv = nil
		other, err := c.pr.shiftGrad(StateVector, ev, c.g, opt)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Equal(other, got[0]) {
			t.Errorf("%s: seeds 4 and 5 give the same sampled gradient", c.name)
		}
	}
}

// TestShiftNoAllocs: once the workspace has grown, running the shifted
// circuits of a planned block (suffix runs, combinations, exact
// expectations or shots) allocates nothing, suffix shared or not.
func TestShiftNoAllocs(t *testing.T) {
	data, err := dataset.ParseDataset("bas:3x3")
	if err != nil {
		t.Fatal(err)
	}
	a, err := ParseAnsatz("qcbm:4", data.Bits, data)
	if err != nil {
		t.Fatal(err)
	}
	pr, err := compile(a.Circuit())
	if err != nil {
		t.Fatal(err)
	}
	theta := make([]float64, pr.nsym)
	for i := range theta {
		theta[i] = 0.1 * float64(i)
	}
	ev, err := pr.evaluate(theta)
	if err != nil {
		t.Fatal(err)
	}
	g := make([]float64, 1<<uint(pr.n))
	for i := range g {
		g[i] = float64(i%7) - 3
	}
	bi := pr.occs[len(pr.occs)/2].block
	for _, rank := range []bool{true, false} {
		for _, shots := range []int{0, 100} {
			s := newSVShift(pr, 1)
			s.rank = rank
			if _, err := s.forward(ev); err != nil {
				t.Fatal(err)
			}
			wk := s.ws[0]
			if err := wk.init(s); err != nil {
				t.Fatal(err)
			}
			dv := make([]float64, len(pr.occs))
			opt := shiftOptions{shots: shots, seed: 1, step: 1}
			wk.pre.CopyFrom(s.ckpts[0])
			if err := wk.block(s, bi, g, opt, dv); err != nil { // plan and grow
				t.Fatal(err)
			}
			if runs := len(wk.plan.xs); wk.plan.direct == rank || (rank && runs != 3) || (!rank && runs != 6) {
				t.Fatalf("suffix shared %v: plan direct %v with %d runs", rank, wk.plan.direct, runs)
			}
			allocs := testing.AllocsPerRun(10, func() { wk.shifted(s, bi, g, opt, dv) })
			if allocs != 0 {
				t.Errorf("suffix shared %v, shots %d: %v allocations per block's shifted circuits, want 0", rank, shots, allocs)
			}
		}
	}
}
