package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// history.csv keeps round-trip precision: its last loss reads back as
// exactly the float64 the summary's JSON (shortest exact form) reports.
// Six significant digits, as the CSV once had, would not.
func TestHistoryCSVRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	out, _, err := runBorn(t, "", "train", "--data", "bas:2x2", "--steps", "4", "--quiet", "--out", dir)
	if err != nil {
		t.Fatal(err)
	}
	var sum struct{ Loss float64 }
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "history.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, h := range recs[0] {
		if h == "loss" {
			col = i
		}
	}
	if col < 0 || len(recs) != 6 { // header, steps 0..4
		t.Fatalf("history.csv: %v", recs)
	}
	s := recs[len(recs)-1][col]
	loss, err := strconv.ParseFloat(s, 64)
	if err != nil || loss != sum.Loss || len(s) < 10 {
		t.Errorf("history.csv loss %q, summary %v: want the same float64", s, sum.Loss)
	}
}
