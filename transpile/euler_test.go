package transpile

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"born/circuit"
)

func TestZYZAndZXZ(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for i := 0; i < 500; i++ {
		u := randomU(rng)
		th, ph, la, g := ZYZ(u)
		v := circuit.Scale(circuit.Expi(g), circuit.MatMul(circuit.MatRZ(ph), circuit.MatMul(circuit.MatRY(th), circuit.MatRZ(la))))
		if d := circuit.MaxDiff(u, v); d > 1e-13 || th < 0 || th > math.Pi {
			t.Fatalf("ZYZ(%v) = %v %v %v %v: diff %g", u, th, ph, la, g, d)
		}
		th, ph, la, g = ZXZ(u)
		v = circuit.Scale(circuit.Expi(g), circuit.MatMul(circuit.MatRZ(ph), circuit.MatMul(circuit.MatRX(th), circuit.MatRZ(la))))
		if d := circuit.MaxDiff(u, v); d > 1e-13 {
			t.Fatalf("ZXZ(%v): diff %g", u, d)
		}
	}
}

func TestSynth1(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	allowed := map[Form]map[string]bool{
		FormZYZ:  {"rz": true, "ry": true},
		FormZXZ:  {"rz": true, "rx": true},
		FormZSX:  {"rz": true, "sx": true, "x": true},
		FormQuil: {"rz": true, "rx": true},
		FormGPI:  {"gpi": true, "gpi2": true, "rz": true},
	}
	// Special matrices, where the Euler angles hit 0, pi/2 and pi.
	s2 := complex(1/math.Sqrt2, 0)
	special := []circuit.Matrix{
		circuit.Identity(2), {0, 1, 1, 0}, {0, -1i, 1i, 0}, {1, 0, 0, -1}, {s2, s2, s2, -s2},
		circuit.MatRX(math.Pi / 2), circuit.MatRX(-math.Pi / 2), circuit.MatRY(math.Pi), circuit.MatRZ(1e-17),
		circuit.Scale(-1, circuit.Identity(2)), circuit.MatP(math.Pi / 4),
	}
	for f, names := range allowed {
		cases := append([]circuit.Matrix(nil), special...)
		for i := 0; i < 300; i++ {
			cases = append(cases, randomU(rng))
		}
		for _, u := range cases {
			gates, ph := Synth1(f, u)
			v := circuit.Scale(circuit.Expi(ph), Matrix1(gates))
			if d := circuit.MaxDiff(u, v); d > 1e-13 {
				t.Fatalf("%v: Synth1(%v) = %v, phase %v: diff %g", f, u, gates, ph, d)
			}
			nonZ := 0
			for k, g := range gates {
				if !names[g.Name] {
					t.Fatalf("%v: gate %s not in the basis", f, g.Name)
				}
				if g.Name == "rz" && (f == FormGPI && k != len(gates)-1) {
					t.Fatalf("%v: rz not last: %v", f, gates)
				}
				if f == FormQuil && g.Name == "rx" && !approxEqual(math.Abs(g.Params[0]), math.Pi/2, 0) && !approxEqual(g.Params[0], math.Pi, 0) {
					t.Fatalf("quil: RX(%v) is not native", g.Params[0])
				}
				if g.Name != "rz" {
					nonZ++
				}
			}
			if nonZ > 2 || len(gates) > 5 {
				t.Fatalf("%v: %d gates for one unitary: %v", f, len(gates), gates)
			}
		}
	}
	// Zero rotations are dropped: the identity is no gates, a Z rotation one.
	for f := range allowed {
		if g, _ := Synth1(f, circuit.Identity(2)); len(g) != 0 {
			t.Errorf("%v: identity gave %v", f, g)
		}
		if g, _ := Synth1(f, circuit.MatRZ(0.3)); len(g) != 1 || g[0].Name != "rz" {
			t.Errorf("%v: Rz(0.3) gave %v", f, g)
		}
	}
	// IBM: H is rz sx rz, X is x.
	if g, _ := Synth1(FormZSX, matH); len(g) != 3 || g[1].Name != "sx" {
		t.Errorf("H in rz-sx: %v", g)
	}
	if g, _ := Synth1(FormZSX, matX); len(g) != 1 || g[0].Name != "x" {
		t.Errorf("X in rz-sx: %v", g)
	}
}

func ExampleSynth1() {
	h := circuit.QELib1Gates["h"].Matrix(nil)
	gates, phase := Synth1(FormZSX, h)
	for _, g := range gates {
		fmt.Println(g.Name, g.Params)
	}
	fmt.Printf("phase %.4f\n", phase)
	// Output:
	// rz [1.5707963267948966]
	// sx []
	// rz [1.5707963267948966]
	// phase 0.7854
}

// Synthesis is exact for any unitary U(theta, phi, lambda) e^{i g}.
func FuzzSynth1(f *testing.F) {
	f.Add(0.0, 0.0, 0.0, 0.0)
	f.Add(math.Pi/2, 0.0, math.Pi, 0.3)
	f.Add(math.Pi, 1e-300, -1e-17, 5.0)
	f.Fuzz(func(t *testing.T, th, ph, la, g float64) {
		for _, x := range []float64{th, ph, la, g} {
			if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > 100 { // larger angles lose precision in MatU itself
				return
			}
		}
		u := circuit.Scale(circuit.Expi(g), circuit.MatU(th, ph, la))
		for _, f := range []Form{FormZYZ, FormZXZ, FormZSX, FormQuil, FormGPI} {
			gates, p := Synth1(f, u)
			if d := circuit.MaxDiff(u, circuit.Scale(circuit.Expi(p), Matrix1(gates))); d > 1e-12 {
				t.Fatalf("%v: U(%v, %v, %v) e^{i%v}: diff %g", f, th, ph, la, g, d)
			}
		}
	})
}
