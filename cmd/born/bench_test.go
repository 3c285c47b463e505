package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func runBenchCmd(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	cmd := newBenchCmd(nil)
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	err := cmd.Execute()
	return out.String(), errOut.String(), err
}

func TestBenchCommandJSON(t *testing.T) {
	out, _, err := runBenchCmd(t, "--qubits", "5", "--circuits", "h,random,qcbm", "--precision", "single",
		"--min-time", "1ms", "--bandwidth-qubits", "12", "--cycles", "2", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Kernels string `json:"kernels"`
		Results []struct {
			Circuit      string  `json:"circuit"`
			NsPerAmpGate float64 `json:"ns_per_amp_gate"`
			Baseline     *struct {
				Speedup float64 `json:"speedup"`
			} `json:"baseline"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(rep.Results) != 3 || rep.Kernels == "" {
		t.Fatalf("report %+v", rep)
	}
	for _, r := range rep.Results {
		if r.NsPerAmpGate <= 0 || r.Baseline == nil || r.Baseline.Speedup <= 0 {
			t.Errorf("result %+v", r)
		}
	}
}

func TestBenchCommandText(t *testing.T) {
	out, progress, err := runBenchCmd(t, "--qubits", "4", "--circuits", "1q,2q", "--min-time", "1ms",
		"--bandwidth-qubits", "-1", "--baseline=false")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "ns/amp/gate") || !strings.Contains(out, "double") || !strings.Contains(progress, "1q") {
		t.Errorf("output:\n%s\nprogress:\n%s", out, progress)
	}
}

func TestBenchCommandMemoryRefusal(t *testing.T) {
	out, _, err := runBenchCmd(t, "--qubits", "31", "--circuits", "h", "--precision", "single",
		"--max-memory", "12GiB", "--bandwidth-qubits", "-1")
	if err == nil || !strings.Contains(err.Error(), "every measurement failed") {
		t.Errorf("error %v: the only size was refused, so the exit status must say so", err)
	}
	if !strings.Contains(out, "16 GiB") || !strings.Contains(out, "12 GiB") {
		t.Errorf("output lacks the memory figures:\n%s", out)
	}
}

func TestBenchCommandBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--qubits", "x"}, {"--precision", "half"}, {"--fuse", "9"}, {"--max-memory", "lots"}, {"--circuits", "nope"},
	} {
		if _, _, err := runBenchCmd(t, append(args, "--bandwidth-qubits", "-1")...); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}
