package sweep

import "testing"

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
