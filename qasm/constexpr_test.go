package qasm

import (
	"math"
	"strings"
	"testing"
)

func TestEvalConst(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
	}{
		{"0.5", 0.5},
		{"-1.5e-3", -1.5e-3},
		{"pi/2", math.Pi / 2},
		{"2*π/3", 2 * math.Pi / 3},
		{"tau", 2 * math.Pi},
		{"-pi", -math.Pi},
		{"sin(0.3)**2", math.Pow(math.Sin(0.3), 2)},
		{"3", 3},
		{" ( pi + 1 ) / 4 ", (math.Pi + 1) / 4},
	} {
		got, err := EvalConst(tc.in)
		if err != nil {
			t.Errorf("EvalConst(%q): %v", tc.in, err)
			continue
		}
		if math.Abs(got-tc.want) > 1e-15*math.Max(1, math.Abs(tc.want)) {
			t.Errorf("EvalConst(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"", "empty expression"},
		{"theta", "undefined identifier 'theta'"},
		{"pi/", "column 4"},
		{"1 2", "unexpected"},
		{"1/0", "evaluates to"},
		{"q[0]", "undefined"},
	} {
		_, err := EvalConst(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("EvalConst(%q) = error %v, want one containing %q", tc.in, err, tc.want)
		}
	}
}

// FuzzEvalConst checks that no input panics and that a value, when
// returned, is finite.
func FuzzEvalConst(f *testing.F) {
	for _, s := range []string{"pi/2", "2*π/3", "sin(0.3)**2", "-1e308*10", "((", "1/0", "q[0]", "$3", "0x1p3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := EvalConst(s)
		if err == nil && (math.IsNaN(v) || math.IsInf(v, 0)) {
			t.Fatalf("EvalConst(%q) = %v without an error", s, v)
		}
	})
}
