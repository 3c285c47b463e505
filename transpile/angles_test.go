package transpile

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"born/circuit"
	"born/qasm"
)

// ReduceAngle agrees with Go's math.Sin and math.Cos, which reduce large
// arguments by their own (Payne-Hanek) method: the half angles have the
// same sine and cosine to rounding, and the result lies in [-2 pi, 2 pi].
func TestReduceAngle(t *testing.T) {
	vals := []float64{0, 1, -7, 4 * math.Pi, 1e5 + 0.1, -3e15, 1e20, -7e19, 1.7e308, math.MaxFloat64, -math.MaxFloat64}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		v := math.Pow(10, rng.Float64()*300)
		if rng.IntN(2) == 0 {
			v = -v
		}
		vals = append(vals, v)
	}
	for _, v := range vals {
		r := ReduceAngle(v)
		if math.Abs(r) > 2*math.Pi+1e-15 {
			t.Errorf("ReduceAngle(%g) = %g, outside [-2pi, 2pi]", v, r)
		}
		s, c := math.Sincos(v / 2)
		rs, rc := math.Sincos(r / 2)
		if math.Abs(s-rs) > 1e-15 || math.Abs(c-rc) > 1e-15 {
			t.Errorf("v = %g, reduced %.17g: sin %.17g vs %.17g, cos %.17g vs %.17g", v, r, s, rs, c, rc)
		}
	}
}

// An angle beyond MaxAngle is refused, naming the operation and the angle
// and giving the reduced angle; qasm3 writes it as it is.
func TestTranspileRefusesIllConditionedAngles(t *testing.T) {
	c := circuit.New(2, 0)
	q := circuit.QELib1Gates
	c.G(q["h"], 0)
	c.Apply(q["rx"], []circuit.Expr{circuit.Const(3e15)}, 1)
	c.G(q["cx"], 0, 1)
	for _, name := range []string{"ibm-heron", "braket", "ionq-native", "quil"} {
		_, err := Transpile(c, mustTarget(name), nil)
		var ae *AngleError
		if !errors.As(err, &ae) || ae.Op != 1 || ae.Value != 3e15 || !ae.Builtin {
			t.Fatalf("%s: %v", name, err)
		}
		msg := err.Error()
		for _, want := range []string{"op 1 (rx(3e+15) q[1])", "angle 3e+15 rad", "modulo 4*pi", "0.5 apart"} {
			if !strings.Contains(msg, want) {
				t.Errorf("%s: %q lacks %q", name, msg, want)
			}
		}
		// The suggested angle exports and verifies against the original's
		// exact matrix.
		fixed := *c
		fixed.Ops = append([]circuit.Op(nil), c.Ops...)
		fixed.Ops[1].Params = []circuit.Expr{circuit.Const(ae.Reduced)}
		res, err := Transpile(&fixed, mustTarget(name), nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Verify(res.Source, res.Circuit, res.Layout.Final, nil); err != nil {
			t.Error(err)
		}
	}
	if _, err := Transpile(c, mustTarget("qasm3"), nil); err != nil {
		t.Errorf("qasm3: %v", err)
	}
	// Just below the bound is fine.
	c.Ops[1].Params = []circuit.Expr{circuit.Const(MaxAngle)}
	res, err := Transpile(c, mustTarget("ibm-heron"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(res.Source, res.Circuit, res.Layout.Final, nil); err != nil {
		t.Error(err)
	}
}

// A user gate whose body computes a large angle from a small parameter is
// refused too, naming the operation that uses it.
func TestTranspileRefusesLargeAnglesInGateBodies(t *testing.T) {
	src := `OPENQASM 2.0;
include "qelib1.inc";
gate big(a) q { rz(a*1e12) q; }
qreg q[2];
h q[0];
big(3) q[1];
`
	c, _, err := qasm.Parse("big.qasm", []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Transpile(c, mustTarget("braket"), nil)
	var ae *AngleError
	if !errors.As(err, &ae) || ae.Op != 1 || ae.Value != 3e12 || !strings.Contains(err.Error(), "op 1 (big(3) q[1], in its definition rz): angle 3e+12 rad") {
		t.Errorf("%v (%#v)", err, ae)
	}
}
