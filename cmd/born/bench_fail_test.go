package main

import (
	"fmt"
	"strings"
	"testing"
)

// born bench on sizes that cannot fit exits non-zero, and does not suggest
// an engine bench does not have.
func TestBenchAllFailed(t *testing.T) {
	out, errOut, err := runBorn(t, "", "bench", "--qubits", "40", "--circuits", "h", "--bandwidth-qubits", "-1", "--baseline=false")
	if err == nil || !strings.Contains(err.Error(), "every measurement failed (2 of 2)") {
		t.Errorf("error %v, want every measurement failed", err)
	}
	if all := out + errOut + fmt.Sprint(err); strings.Contains(all, "--engine") || !strings.Contains(all, "--max-memory") {
		t.Errorf("output suggests --engine or lacks --max-memory:\n%s\n%s\n%v", out, errOut, err)
	}
	// The qcbm circuit's fixed 9 qubits do not hide that every requested
	// size failed.
	_, _, err = runBorn(t, "", "bench", "--qubits", "40", "--circuits", "h,qcbm", "--precision", "double",
		"--bandwidth-qubits", "-1", "--baseline=false", "--min-time", "1ms")
	if err == nil || !strings.Contains(err.Error(), "every measurement at the requested sizes failed (1 of 1)") {
		t.Errorf("--qubits 40 with qcbm: error %v", err)
	}
	// One size that fits is enough for success.
	if _, _, err := runBorn(t, "", "bench", "--qubits", "4,40", "--circuits", "h", "--precision", "double",
		"--bandwidth-qubits", "-1", "--baseline=false", "--min-time", "1ms"); err != nil {
		t.Errorf("bench with one size that fits: %v", err)
	}
}
