package classical

import (
	"strings"
	"testing"
)

func TestParseSpec(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Spec
		err  string
	}{
		{"rbm:16", Spec{"rbm", 16}, ""},
		{"flow:8", Spec{"flow", 8}, ""},
		{"rbm:0", Spec{}, "at least 1"},
		{"flow:-3", Spec{}, "at least 1"},
		{"rbm", Spec{}, "number of hidden units"},
		{"rbm:x", Spec{}, "number of hidden units"},
		{"gan:16", Spec{}, "unknown classical model"},
		{"qcbm:10", Spec{}, "unknown classical model"},
	} {
		got, err := ParseSpec(tc.in)
		switch {
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("ParseSpec(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("ParseSpec(%q): error %v, want one containing %q", tc.in, err, tc.err)
		}
		if err == nil && got.String() != tc.in {
			t.Errorf("Spec.String() = %q, want %q", got.String(), tc.in)
		}
	}
}

// TestDefaultSettingsFor: an RBM whose smaller layer has more than 20
// units trains by PCD and takes the PCD step size; every other baseline
// keeps its kind's default.
func TestDefaultSettingsFor(t *testing.T) {
	for _, tc := range []struct {
		spec Spec
		bits int
		lr   float64
	}{
		{Spec{"rbm", 64}, 64, PCDLR},
		{Spec{"rbm", 21}, 21, PCDLR},
		{Spec{"rbm", 20}, 64, 0.05},
		{Spec{"rbm", 64}, 20, 0.05},
		{Spec{"flow", 256}, 64, 0.01},
	} {
		got := DefaultSettingsFor(tc.spec, tc.bits)
		want := DefaultSettings(tc.spec.Kind)
		want.LR = tc.lr
		if got.LR != want.LR || got.Steps != want.Steps || got.InitScale != want.InitScale {
			t.Errorf("%v on %d bits: %+v, want lr %v", tc.spec, tc.bits, got, tc.lr)
		}
	}
}
