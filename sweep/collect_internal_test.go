package sweep

import (
	"math"
	"strings"
	"testing"
)

func TestMeanStd(t *testing.T) {
	for _, tc := range []struct {
		mean, std float64
		want      string
	}{
		{0.29761, 0.315, "0.30 ± 0.32"},
		{2.64538, 0.00251, "2.6454 ± 0.0025"},
		{1234.5, 56.7, "1234 ± 57"},
		{0.0064, 0, "0.0064 ± 0"},
	} {
		if got := meanStd(tc.mean, tc.std); got != tc.want {
			t.Errorf("meanStd(%v, %v) = %q, want %q", tc.mean, tc.std, got, tc.want)
		}
	}
}

// TestTextNotMeasured: a metric a run did not measure (test NLL without a
// test set, KL above 24 bits) prints n/a in the text table, with or without
// a spread over seeds, never "NaN ± 0"; CSV keeps NaN.
func TestTextNotMeasured(t *testing.T) {
	for _, seeds := range []int{1, 3} {
		tab := &Table{Tasks: 1, Rows: []TableRow{{Task: 0, Row: Row{Model: "mps:4", Params: 10, Steps: 2, KL: math.NaN(), NLL: 12.5, ValidMass: math.NaN(), MMD: math.NaN(), Seconds: 1, Seeds: seeds, NLLStd: 0.25}}}}
		var text strings.Builder
		if err := tab.WriteText(&text); err != nil {
			t.Fatal(err)
		}
		out := text.String()
		if strings.Contains(out, "NaN") || strings.Count(out, notMeasured) != 4 {
			t.Errorf("seeds %d: want 4 cells n/a (kl, test_nll, valid_mass, mmd) and no NaN:\n%s", seeds, out)
		}
		var csv strings.Builder
		if err := tab.WriteCSV(&csv); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(csv.String(), notMeasured) || !strings.Contains(csv.String(), "NaN") {
			t.Errorf("seeds %d: CSV should write NaN for unmeasured metrics:\n%s", seeds, csv.String())
		}
	}
}
