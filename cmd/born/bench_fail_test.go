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
	// 8 TiB is more than any machine this runs on: raising --max-memory
	// (refused above the machine's memory) cannot help, so it is not
	// suggested.
	if all := out + errOut + fmt.Sprint(err); strings.Contains(all, "--engine") || strings.Contains(all, "--max-memory") || !strings.Contains(all, "needs 8 TiB") {
		t.Errorf("output suggests --engine or --max-memory, or lacks the size:\n%s\n%s\n%v", out, errOut, err)
	}
	// A state the machine holds but --max-memory forbids: the flag is named.
	out, errOut, err = runBorn(t, "", "bench", "--qubits", "20", "--circuits", "h", "--precision", "double", "--max-memory", "1MiB",
		"--bandwidth-qubits", "-1", "--baseline=false")
	// (Once each time the refusal is printed.)
	if all := out + errOut + fmt.Sprint(err); err == nil || !strings.Contains(all, "needs 16 MiB") || strings.Count(all, "(raise --max-memory to allow it)") != strings.Count(all, "needs 16 MiB") {
		t.Errorf("20 qubits over --max-memory 1MiB: want the size and the flag:\n%s\n%s\n%v", out, errOut, err)
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
