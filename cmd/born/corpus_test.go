package main

import (
	"bufio"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// corpusDir returns the OpenQASM conformance corpus named by
// BORN_QASM_CORPUS, or skips the test.
func corpusDir(t *testing.T) string {
	dir := os.Getenv("BORN_QASM_CORPUS")
	if dir == "" {
		t.Skip("BORN_QASM_CORPUS is unset; set it to ../shared/qasm-corpus (.ci/run does) to run the corpus checks")
	}
	return dir
}

// corpusFiles returns the MANIFEST's valid OpenQASM 2.0 programs.
func corpusFiles(t *testing.T, dir string) []string {
	f, err := os.Open(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var files []string
	sc := bufio.NewScanner(f)
	for first := true; sc.Scan(); first = false {
		name, _, _ := strings.Cut(sc.Text(), "\t")
		if first || strings.Contains(name, "/") || !strings.HasSuffix(name, ".qasm") {
			continue
		}
		files = append(files, name)
	}
	if len(files) == 0 {
		t.Fatal("no files in MANIFEST.tsv")
	}
	return files
}

type reference struct {
	Pure          bool               `json:"pure"`
	NQubits       int                `json:"n_qubits"`
	Probabilities map[string]float64 `json:"probabilities"`
	Classical     map[string]float64 `json:"classical"`
}

// TestCorpus runs every valid corpus program through `born run` and compares
// with the independent reference simulators: exact probabilities to 1e-9
// (for circuits that measure or branch, the average over outcomes), and for
// circuits that measure, 10^5 sampled shots against the exact classical
// distribution by a chi-square test.
func TestCorpus(t *testing.T) {
	dir := corpusDir(t)
	files := corpusFiles(t, dir)
	for _, name := range files {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			var ref reference
			raw, err := os.ReadFile(filepath.Join(dir, "reference", strings.TrimSuffix(name, ".qasm")+".json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(raw, &ref); err != nil {
				t.Fatal(err)
			}
			// Both engines; the MPS engine at a bond dimension that does not
			// truncate (2^(n/2) suffices for n <= 18).
			for _, engine := range [][]string{{"--engine", "sv"}, {"--engine", "mps", "--bond-dim", "512"}} {
				args := append([]string{"run", path, "--print", "probs", "--format", "json"}, engine...)
				out, _, err := runBorn(t, "", args...)
				if err != nil {
					t.Fatalf("born run %v: %v", engine, err)
				}
				var got struct {
					Qubits        int                `json:"qubits"`
					Probabilities map[string]float64 `json:"probabilities"`
				}
				if err := json.Unmarshal([]byte(out), &got); err != nil {
					t.Fatal(err)
				}
				if got.Qubits != ref.NQubits {
					t.Fatalf("qubits = %d, reference %d", got.Qubits, ref.NQubits)
				}
				for k := range union(got.Probabilities, ref.Probabilities) {
					if d := math.Abs(got.Probabilities[k] - ref.Probabilities[k]); d > 1e-9 {
						t.Errorf("%v: P(%s) = %.15g, reference %.15g", engine, k, got.Probabilities[k], ref.Probabilities[k])
					}
				}
			}
			if !strings.Contains(string(mustRead(t, path)), "measure") {
				// A pure circuit: the MPS engine's amplitudes equal the state
				// vector's, global phase included.
				var amps [2]map[string][2]float64
				for i, engine := range []string{"sv", "mps"} {
					out, _, err := runBorn(t, "", "run", path, "--print", "amps", "--format", "json", "--engine", engine, "--bond-dim", "512")
					if err != nil {
						t.Fatalf("born run --output amps --engine %s: %v", engine, err)
					}
					var got struct{ Amplitudes map[string][2]float64 }
					if err := json.Unmarshal([]byte(out), &got); err != nil {
						t.Fatal(err)
					}
					amps[i] = got.Amplitudes
				}
				for k := range union(amps[0], amps[1]) {
					a, b := amps[0][k], amps[1][k]
					if math.Hypot(a[0]-b[0], a[1]-b[1]) > 1e-10 {
						t.Errorf("amplitude %s: sv %v, mps %v", k, a, b)
					}
				}
			}
			if len(ref.Classical) == 0 || !strings.Contains(string(mustRead(t, path)), "measure") {
				return
			}
			const shots = 100000
			out, _, err := runBorn(t, "", "run", path, "--print", "counts", "--shots", "100000", "--seed", "11", "--format", "json")
			if err != nil {
				t.Fatalf("born run counts: %v", err)
			}
			var counts struct{ Counts map[string]int }
			if err := json.Unmarshal([]byte(out), &counts); err != nil {
				t.Fatal(err)
			}
			stat, df, bad := chiSquare(counts.Counts, ref.Classical, shots)
			if bad != "" {
				t.Fatal(bad)
			}
			if df > 0 {
				crit := distuv.ChiSquared{K: float64(df)}.Quantile(1 - 1e-6)
				if stat > crit {
					t.Errorf("counts do not follow the reference distribution: chi2 = %.1f > %.1f (df %d, p < 1e-6)", stat, crit, df)
				}
			}
		})
	}
}

func mustRead(t *testing.T, path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func union[V any](a, b map[string]V) map[string]bool {
	u := map[string]bool{}
	for k := range a {
		u[k] = true
	}
	for k := range b {
		u[k] = true
	}
	return u
}

// chiSquare returns Pearson's statistic for observed counts against expected
// probabilities, pooling outcomes whose expected count is below 5 into one
// bin. bad is non-empty if an outcome of zero probability was observed.
func chiSquare(obs map[string]int, probs map[string]float64, shots int) (stat float64, df int, bad string) {
	for k, n := range obs {
		if probs[k] == 0 && n > 0 {
			return 0, 0, "observed impossible outcome " + k
		}
	}
	keys := make([]string, 0, len(probs))
	for k := range probs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var poolE, poolO float64
	bins := 0
	for _, k := range keys {
		e := probs[k] * float64(shots)
		o := float64(obs[k])
		if e < 5 {
			poolE += e
			poolO += o
			continue
		}
		stat += (o - e) * (o - e) / e
		bins++
	}
	if poolE > 0 {
		stat += (poolO - poolE) * (poolO - poolE) / poolE
		bins++
	}
	return stat, bins - 1, ""
}
