package statevector

import (
	"reflect"
	"testing"
)

// TestBroadcastKernelChosen: a dense 3-qubit gate with every target above
// the lane bits and no low control runs on the broadcast kernel where the
// kernel set has one (AVX-512), and a low control or a low target sends it
// to another kernel. TestHighTargetGates checks the results on these
// placements, but any kernel gives them: this checks that the fast one is
// the one chosen (DefaultFuse and Compile count on it).
func TestBroadcastKernelChosen(t *testing.T) {
	found := false
	for _, ks := range cpuKernelSets() {
		if ks[0].bcast8 == nil {
			continue
		}
		found = true
		t.Run(ks[0].name, func(t *testing.T) {
			o32, o64, old := kern32, kern64, useSIMD
			defer func() { kern32, kern64, useSIMD = o32, o64, old }()
			kern32, kern64, useSIMD = ks[0], ks[1], true
			checkBroadcastChosen[float32](t)
			checkBroadcastChosen[float64](t)
		})
	}
	if !found {
		t.Skip("no kernel set with a broadcast kernel on this CPU")
	}
}

func checkBroadcastChosen[T Float](t *testing.T) {
	m := make([]complex128, 64)
	for i := range 8 {
		m[9*i] = 1
	}
	cases := []struct {
		targets, controls []int
		want              bool
	}{
		{[]int{4, 7, 10}, nil, true},
		{[]int{9, 5, 6}, []int{10, 7}, true},
		{[]int{4, 8, 10}, []int{1}, false},
		{[]int{2, 8, 10}, nil, false},
	}
	bcast := reflect.ValueOf(asmFor[T]().bcast8).Pointer()
	for _, c := range cases {
		var p pop[T]
		p.prepare(11, m, false, c.targets, c.controls, 1)
		if got := p.asm != nil && reflect.ValueOf(p.asm).Pointer() == bcast; got != c.want {
			t.Errorf("%T: targets %v, controls %v: broadcast kernel chosen %v, want %v", T(0), c.targets, c.controls, got, c.want)
		}
	}
}
