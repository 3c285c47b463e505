package bornmachine

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"born/circuit"
)

// paramGates returns every parameterised gate a lowered circuit can hold:
// the gates of both libraries and the core gates that have a closed form,
// and the targets the controlled ones lower to.
func paramGates() map[string]*circuit.GateDef {
	out := map[string]*circuit.GateDef{}
	for lib, cat := range map[string]circuit.Catalog{"std": circuit.StdGates, "qe": circuit.QELib1Gates, "core2": circuit.CoreQASM2, "core3": circuit.CoreQASM3} {
		for name, g := range cat {
			for g != nil {
				if g.Builtin() && len(g.Params) > 0 && g.Target == nil {
					out[lib+":"+name+"/"+g.Name] = g
				}
				g = g.Target
			}
		}
	}
	return out
}

// TestRuleTableCoversLibraries checks that every parameterised gate of the
// libraries has a derivative rule, so no built-in gate silently lacks one.
func TestRuleTableCoversLibraries(t *testing.T) {
	gates := paramGates()
	if len(gates) < 20 {
		t.Fatalf("only %d parameterised gates found", len(gates))
	}
	for name, g := range gates {
		if _, ok := gateForms[g]; !ok {
			t.Errorf("%s has no derivative rule", name)
		}
	}
}

// TestDerivMatrix checks the matrix derivative of every gate and parameter
// in the table, as the gate itself, its inverse and (one-parameter gates)
// its square, against a central finite difference of the closed form.
func TestDerivMatrix(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for name, g := range paramGates() {
		for _, pow := range []float64{1, -1, 2} {
			if pow == 2 && len(g.Params) > 1 {
				continue
			}
			for slot := range g.Params {
				in := &circuit.Instr{Gate: g, Pow: pow, Params: make([]circuit.Expr, len(g.Params)), Targets: make([]int, g.NumQubits())}
				rule := ruleFor(in, slot)
				if rule.err != nil {
					t.Errorf("%s pow %v slot %d: %v", name, pow, slot, rule.err)
					continue
				}
				vals := make([]float64, len(g.Params))
				for i := range vals {
					vals[i] = rng.Float64()*6 - 3
				}
				at := func(dv float64) circuit.Matrix {
					v := append([]float64(nil), vals...)
					v[slot] += dv
					m, err := instrMatrix(in, v)
					if err != nil {
						t.Fatal(err)
					}
					return m
				}
				if rule.constant {
					if d := circuit.MaxDiff(at(0), at(0.7)); d > 1e-14 {
						t.Errorf("%s slot %d: marked constant but changes by %g", name, slot, d)
					}
					continue
				}
				got := rule.derivMatrix(at(0), at(math.Pi/rule.w))
				const h = 1e-5
				p, m := at(h), at(-h)
				for i := range got {
					fd := (p[i] - m[i]) / (2 * h)
					if cmplx.Abs(got[i]-fd) > 1e-8 {
						t.Errorf("%s pow %v slot %d: dM[%d] = %v, finite differences %v", name, pow, slot, i, got[i], fd)
					}
				}
			}
		}
	}
}

// TestShiftRuleKinds checks which rule each kind of gate gets: two terms
// for uncontrolled gates and controlled phases, four for controlled
// rotations, and an error where no exact rule exists.
func TestShiftRuleKinds(t *testing.T) {
	std, qe := circuit.StdGates, circuit.QELib1Gates
	cases := []struct {
		name     string
		g        *circuit.GateDef
		controls int
		pow      float64
		slot     int
		terms    int // 0: an error is expected
	}{
		{"rx", std["rx"], 0, 1, 0, 2},
		{"u3 theta", qe["u3"], 0, 1, 0, 2},
		{"rzz", qe["rzz"], 0, 1, 0, 2},
		{"cp", std["cp"].Target, 1, 1, 0, 2},
		{"controlled gphase", circuit.GPhase, 1, 1, 0, 2},
		{"cu gamma", std["cu"].Target, 1, 1, 3, 2},
		{"cu phi", std["cu"].Target, 1, 1, 1, 2},
		{"crx", std["crx"].Target, 1, 1, 0, 4},
		{"cry", std["cry"].Target, 1, 1, 0, 4},
		{"crz", std["crz"].Target, 1, 1, 0, 4},
		{"cu theta", std["cu"].Target, 1, 1, 0, 4},
		{"ccrx", std["crx"].Target, 2, 1, 0, 4},
		{"ctrl @ U3 theta", circuit.CoreQASM3["U"], 1, 1, 0, 2},
		{"pow(2) @ crz", std["crz"].Target, 1, 2, 0, 4},
		{"pow(0.5) @ rx", std["rx"], 0, 0.5, 0, 0},
		{"pow(2) @ u3", qe["u3"], 0, 2, 0, 0},
	}
	for _, c := range cases {
		in := &circuit.Instr{Gate: c.g, Pow: c.pow, Controls: make([]int, c.controls)}
		r := ruleFor(in, c.slot)
		if c.terms == 0 {
			if r.err == nil {
				t.Errorf("%s: want an error, got %d terms", c.name, len(r.terms))
			}
			continue
		}
		if r.err != nil || r.shiftErr != nil || len(r.terms) != c.terms {
			t.Errorf("%s: %d terms (err %v, %v), want %d", c.name, len(r.terms), r.err, r.shiftErr, c.terms)
		}
	}
}

// TestShiftRulesOnTrigPolynomials checks the shift rules' coefficients on
// the functions they must differentiate exactly: frequency w for the
// two-term rule, frequencies w/2 and w for the four-term rule. It also
// checks that the two-term rule is wrong for the latter, so the four-term
// rule is needed.
func TestShiftRulesOnTrigPolynomials(t *testing.T) {
	apply := func(terms []shiftTerm, f func(float64) float64, v float64) float64 {
		var s float64
		for _, tm := range terms {
			s += tm.coef * f(v+tm.shift)
		}
		return s
	}
	for _, w := range []float64{1, 2} {
		two := ruleFor(&circuit.Instr{Gate: circuit.StdGates["rx"], Pow: w}, 0)
		four := ruleFor(&circuit.Instr{Gate: circuit.StdGates["crx"].Target, Pow: w, Controls: []int{0}}, 0)
		for _, v := range []float64{-1.3, 0.2, 2.9} {
			f1 := func(x float64) float64 { return 0.3 + 0.7*math.Cos(w*x) - 1.1*math.Sin(w*x) }
			d1 := -0.7*w*math.Sin(w*v) - 1.1*w*math.Cos(w*v)
			if got := apply(two.terms, f1, v); math.Abs(got-d1) > 1e-12 {
				t.Errorf("w=%v two-term on frequency w: %v, want %v", w, got, d1)
			}
			f2 := func(x float64) float64 {
				return 0.3 + 0.7*math.Cos(w*x) - 1.1*math.Sin(w*x) + 0.4*math.Cos(w*x/2) + 0.9*math.Sin(w*x/2)
			}
			d2 := d1 - 0.2*w*math.Sin(w*v/2) + 0.45*w*math.Cos(w*v/2)
			if got := apply(four.terms, f2, v); math.Abs(got-d2) > 1e-12 {
				t.Errorf("w=%v four-term on frequencies w/2, w: %v, want %v", w, got, d2)
			}
			if got := apply(two.terms, f2, v); math.Abs(got-d2) < 1e-3 {
				t.Errorf("w=%v the two-term rule should fail on frequencies w/2, w", w)
			}
		}
	}
}
