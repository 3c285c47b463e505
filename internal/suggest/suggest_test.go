package suggest

import "testing"

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"", "abc", 3}, {"abc", "", 3},
		{"kitten", "sitting", 3}, // the textbook Levenshtein example
		{"bas", "bsa", 1},        // one adjacent swap
		{"gaussain", "gauss", 3},
		{"cx", "cx", 0}, {"hh", "h", 1}, {"crz", "rzz", 2},
		{"ca", "abc", 3}, // OSA, not Damerau: no edit of a swapped pair
		{"ünï", "uni", 2},
	} {
		if got := distance(tc.a, tc.b); got != tc.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := distance(tc.b, tc.a); got != tc.want {
			t.Errorf("distance(%q, %q) = %d, want %d", tc.b, tc.a, got, tc.want)
		}
	}
}

func TestClosest(t *testing.T) {
	gates := []string{"h", "ch", "x", "cx", "ccx", "rz", "rzz", "u3", "cswap", "swap", "sdg", "tdg"}
	for _, tc := range []struct {
		name string
		cand []string
		want string
	}{
		{"hh", gates, "h"},      // ch and h at 1: h begins alike
		{"xh", gates, "x"},      // ch, h and x at 1: x begins alike
		{"dh", gates, "ch"},     // ch and h at 1, neither begins alike: ch first
		{"CX", gates, "cx"},     // case only
		{"cxx", gates, "ccx"},   // ties (ccx, cx at 1) go alphabetically
		{"swpa", gates, "swap"}, // a swap of neighbours is one edit
		{"qqq", gates, ""},      // nothing within 1 edit of a 3-letter name
		{"foobar", gates, ""},   // nothing within 2
		{"cswapp", gates, "cswap"},
		{"h", gates, ""}, // never the name itself
		{"bsa", []string{"bas", "gauss", "file"}, "bas"},
		{"gaussain", []string{"bas", "gauss", "file"}, "gauss"},
		{"flie", []string{"bas", "gauss", "file"}, "file"},
		{"x", nil, ""},
	} {
		if got := Closest(tc.name, tc.cand); got != tc.want {
			t.Errorf("Closest(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
	if got := DidYouMean("hh", gates); got != " (did you mean 'h'?)" {
		t.Errorf("DidYouMean = %q", got)
	}
	if got := DidYouMean("zzzzzz", gates); got != "" {
		t.Errorf("DidYouMean = %q", got)
	}
}
