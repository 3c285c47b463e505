package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// Two Bell pairs on an MPS of bond dimension 1: each truncation keeps one of
// two equal singular values (w = 1/2), so the estimate is 1/4, which is
// also the true fidelity |<00|Phi+>|^4. That is below mps.ReliableFidelity:
// the text header, the JSON and a warning on stderr must say the estimate
// is unreliable. At bond dimension 2 the state is exact and nothing is
// flagged.
func TestRunFlagsUnreliableFidelity(t *testing.T) {
	src := "OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[4];\nh q[0];\ncx q[0],q[1];\nh q[2];\ncx q[2],q[3];\n"
	type stats struct {
		Fidelity *float64 `json:"fidelity_estimate"`
		Weight   *float64 `json:"discarded_weight"`
		Reliable *bool    `json:"fidelity_reliable"`
	}
	for _, tc := range []struct {
		chi              string
		fidelity, weight float64
		reliable         bool
	}{
		{"mps:1", 0.25, 1, false},
		{"mps:2", 1, 0, true},
	} {
		out, errOut, err := runBorn(t, src, "run", "-", "--engine", tc.chi, "--print", "probs", "--format", "json")
		if err != nil {
			t.Fatal(err)
		}
		var s stats
		if err := json.Unmarshal([]byte(out), &s); err != nil {
			t.Fatal(err)
		}
		if s.Fidelity == nil || s.Weight == nil || s.Reliable == nil ||
			math.Abs(*s.Fidelity-tc.fidelity) > 1e-12 || math.Abs(*s.Weight-tc.weight) > 1e-12 || *s.Reliable != tc.reliable {
			t.Errorf("%s: %s\nwant fidelity_estimate %g, discarded_weight %g, fidelity_reliable %v", tc.chi, out, tc.fidelity, tc.weight, tc.reliable)
		}
		if warned := strings.Contains(errOut, "warning: the MPS fidelity estimate 0.25 is below 0.5"); warned == tc.reliable {
			t.Errorf("%s: stderr %q", tc.chi, errOut)
		}
		text, _, err := runBorn(t, src, "run", "-", "--engine", tc.chi, "--print", "probs")
		if err != nil {
			t.Fatal(err)
		}
		if flagged := strings.Contains(text, "fidelity estimate 0.250000 (unreliable below 0.5)"); flagged == tc.reliable {
			t.Errorf("%s: text output\n%s", tc.chi, text)
		}
	}
}
