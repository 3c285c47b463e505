package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"

	"born/circuit"
)

// Qsim is a run of qsim's qsim_base app (github.com/quantumlib/qsim, built
// by the user) on the same circuit, in single precision (qsim's only
// precision on the CPU), with the same number of threads.
type Qsim struct {
	// Fuse is qsim's max_fused_size (-f) that was fastest of those tried.
	Fuse    int `json:"fuse"`
	Threads int `json:"threads"`
	Runs    int `json:"runs"`
	// Seconds is the best of qsim's own "time is" figures: the gates only,
	// after its fusion, like born's time.
	Seconds float64 `json:"seconds"`
	// Ratio is born's time over qsim's (below 1: born is faster).
	Ratio float64 `json:"ratio"`
	// AmpDiff is the largest difference between the first (up to 8)
	// amplitudes qsim prints and born's, relative to the largest of them:
	// a check that both ran the same circuit.
	AmpDiff float64 `json:"amp_diff"`
	// Checked is the precision of born's run the amplitudes were checked
	// against.
	Checked string `json:"checked"`
	Error   string `json:"error,omitempty"`
}

// qsimNames maps the gates of the random circuits to qsim's names.
var qsimNames = map[string]string{"sqrt_x": "x_1_2", "sqrt_y": "y_1_2", "sqrt_w": "hz_1_2", "fsim": "fs"}

// WriteQsim writes c in qsim's circuit format: the number of qubits, then
// one gate a line as "time name qubits... params...", the time of a gate one
// more than the latest time on its qubits (qsim needs gates on a qubit in
// increasing time; gates of one time act on different qubits). Qubit q is
// qsim's qubit q. Only the gates of the random circuits are known (sqrt
// X/Y/W and fSim); any other gate is an error.
func WriteQsim(w io.Writer, c *circuit.Circuit, vals []float64) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, c.NumQubits)
	last := make([]int, c.NumQubits)
	for i, op := range c.Ops {
		if op.Kind != circuit.GateOp || len(op.Mods) > 0 {
			return fmt.Errorf("qsim format: op %d is not a plain gate", i)
		}
		name, ok := qsimNames[op.Gate.Name]
		if !ok {
			return fmt.Errorf("qsim format: gate %s has no qsim equivalent here", op.Gate.Name)
		}
		t := 0
		for _, q := range op.Qubits {
			t = max(t, last[q])
		}
		for _, q := range op.Qubits {
			last[q] = t + 1
		}
		fmt.Fprintf(bw, "%d %s", t, name)
		for _, q := range op.Qubits {
			fmt.Fprintf(bw, " %d", q)
		}
		for _, e := range op.Params {
			fmt.Fprintf(bw, " %s", strconv.FormatFloat(e.Eval(vals), 'g', 17, 64))
		}
		fmt.Fprintln(bw)
	}
	return bw.Flush()
}

var (
	qsimTime = regexp.MustCompile(`time is ([0-9.eE+-]+) seconds`)
	qsimAmp  = regexp.MustCompile(`^\s*[01]+:\s+(\S+)\s+(\S+)\s+(\S+)`)
)

// qsimWaitPolicy is the OpenMP wait policy qsim runs with unless the
// environment sets OMP_WAIT_POLICY: "passive", since threads that spin
// while they wait (OpenMP's default) lose their core on a shared machine
// and then stall every gate; on a quiet machine it costs qsim little.
const qsimWaitPolicy = "passive"

// QsimEnv describes the environment qsim runs in, for the report.
func QsimEnv() string {
	if v, ok := os.LookupEnv("OMP_WAIT_POLICY"); ok {
		return "OMP_WAIT_POLICY=" + v + " (from the environment)"
	}
	return "OMP_WAIT_POLICY=" + qsimWaitPolicy + " (born bench's default; set OMP_WAIT_POLICY to override)"
}

// runQsim runs qsim's app at path on c with threads threads, for each
// fusion size in fuses, at least twice each and until minTime has passed,
// and returns the best time. want holds born's amplitudes of the final
// state, compared with the first ones qsim prints.
func runQsim(path string, c *circuit.Circuit, threads int, fuses []int, minTime time.Duration, want func(i int) complex128) *Qsim {
	r := &Qsim{Threads: threads, Seconds: math.Inf(1)}
	f, err := os.CreateTemp("", "born-qsim-*.txt")
	if err != nil {
		r.Error = err.Error()
		return r
	}
	defer os.Remove(f.Name())
	err = WriteQsim(f, c, nil)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		r.Error = err.Error()
		return r
	}
	env := os.Environ()
	if _, ok := os.LookupEnv("OMP_WAIT_POLICY"); !ok {
		env = append(env, "OMP_WAIT_POLICY="+qsimWaitPolicy)
	}
	for _, fz := range fuses {
		start := time.Now()
		for runs := 0; runs < 2 || time.Since(start) < minTime; runs++ {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
			cmd := exec.CommandContext(ctx, path, "-c", f.Name(), "-t", strconv.Itoa(threads), "-f", strconv.Itoa(fz), "-v", "1")
			cmd.Env = env
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			err := cmd.Run()
			cancel()
			if err != nil {
				r.Error = fmt.Sprintf("%s: %v: %s", path, err, strings.TrimSpace(errb.String()))
				return r
			}
			s, amps, err := parseQsim(out.String() + errb.String())
			if err != nil {
				r.Error = fmt.Sprintf("%s: %v", path, err)
				return r
			}
			r.Runs++
			if s < r.Seconds {
				r.Seconds, r.Fuse = s, fz
			}
			var big, diff float64
			for i, a := range amps {
				w := want(i)
				big = max(big, math.Hypot(real(w), imag(w)))
				diff = max(diff, math.Hypot(real(a-w), imag(a-w)))
			}
			if big > 0 {
				r.AmpDiff = max(r.AmpDiff, diff/big)
			}
			if runs >= 20 {
				break
			}
		}
	}
	return r
}

// parseQsim reads qsim_base's output at verbosity 1: the time of the gates
// and the first amplitudes.
func parseQsim(out string) (float64, []complex128, error) {
	m := qsimTime.FindStringSubmatch(out)
	if m == nil {
		return 0, nil, fmt.Errorf("no %q line in its output (is it qsim_base?)", "time is ... seconds")
	}
	s, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return 0, nil, err
	}
	var amps []complex128
	for _, line := range strings.Split(out, "\n") {
		a := qsimAmp.FindStringSubmatch(line)
		if a == nil {
			continue
		}
		re, err1 := strconv.ParseFloat(a[1], 64)
		im, err2 := strconv.ParseFloat(a[2], 64)
		if err1 != nil || err2 != nil {
			return 0, nil, fmt.Errorf("bad amplitude line %q", line)
		}
		amps = append(amps, complex(re, im))
	}
	return s, amps, nil
}
