package main

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"born/internal/testguard"
)

const bellMeasured = `OPENQASM 2.0;
include "qelib1.inc";
qreg q[2];
creg c[2];
h q[0];
cx q[0], q[1];
measure q -> c;
`

// born run --shots 10^15 (which panicked making a slice for every shot)
// prints counts drawn as one multinomial variate, on both engines, in well
// under a second of CPU and 100 MB.
func TestRunHugeShots(t *testing.T) {
	for _, engine := range []string{"statevector", "mps"} {
		var out string
		var err error
		testguard.Within(t, "born run --shots 1e15 --engine "+engine, time.Second, 100<<20, func() {
			out, _, err = runBorn(t, bellMeasured, "run", "-", "--shots", "1000000000000000", "--engine", engine, "--format", "json")
		})
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Shots  int64            `json:"shots"`
			Counts map[string]int64 `json:"counts"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		c00, c11 := got.Counts["00"], got.Counts["11"]
		if got.Shots != 1e15 || len(got.Counts) != 2 || c00+c11 != 1e15 {
			t.Fatalf("%s: %+v", engine, got)
		}
		// Binomial(10^15, 1/2): the standard deviation is 1.6e7 shots.
		if d := float64(c00) - 5e14; math.Abs(d) > 5*math.Sqrt(1e15/4) {
			t.Errorf("%s: %d of 10^15 shots gave 00", engine, c00)
		}
	}
}

// born train --shots 10^15 (which panicked making a slice for every shot)
// trains with each histogram drawn as one multinomial variate, in a few
// seconds of CPU and little memory.
func TestTrainHugeShots(t *testing.T) {
	dir := t.TempDir()
	var out string
	var err error
	testguard.Within(t, "born train --shots 1e15", 5*time.Second, 200<<20, func() {
		out, _, err = train(t, "--data", "bas:2x2", "--ansatz", "qcbm:2", "--steps", "3", "--shots", "1000000000000000",
			"--out", dir+"/run", "--quiet")
	})
	if err != nil {
		t.Fatal(err)
	}
	if s := decodeSummary(t, out); s.Steps != 3 || !(s.Loss >= 0) {
		t.Errorf("summary %+v", s)
	}
}
