package sweep

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// TestRowJSONNaN: a row of 64-bit data (KL, valid mass and MMD not
// measured, NaN) writes them as null and reads them back as NaN; a table
// row keeps its task fields before the row's; the test NLL reads back
// exactly, and a result without test_nll (no test set) reads as nil.
func TestRowJSONNaN(t *testing.T) {
	tnll := 19.000000000000004
	r := Row{Model: "mps:8", Params: 10, Steps: 3, KL: math.NaN(), NLL: 18.25, ValidMass: math.NaN(), MMD: math.NaN(),
		TestNLL: &tnll, Seconds: 1.5}
	raw, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `"kl":null`) || !strings.Contains(string(raw), `"test_nll":19.000000000000004`) {
		t.Errorf("row JSON %s", raw)
	}
	var back Row
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(back.KL) || !math.IsNaN(back.MMD) || back.NLL != r.NLL || back.TestNLL == nil || *back.TestNLL != tnll || back.Model != r.Model || back.Seconds != r.Seconds {
		t.Errorf("read back %+v", back)
	}
	tr := TableRow{Task: 7, Values: map[string]string{"chi": "8"}, Seed: 2, TaskSeconds: 3, Row: r}
	raw, err = json.Marshal(tr)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(raw), `{"task":7,"values":{"chi":"8"}`) || !strings.Contains(string(raw), `"model":"mps:8"`) {
		t.Errorf("table row JSON %s", raw)
	}
	var tback TableRow
	if err := json.Unmarshal(raw, &tback); err != nil || tback.Task != 7 || tback.Seed != 2 || tback.Values["chi"] != "8" || tback.Model != "mps:8" || !math.IsNaN(tback.KL) {
		t.Errorf("table row read back %+v (%v)", tback, err)
	}
	var old Row
	if err := json.Unmarshal([]byte(`{"model":"qcbm:2","kl":0.5,"nll":2,"valid_mass":0.9,"mmd":0.01,"seconds":1}`), &old); err != nil || old.TestNLL != nil || old.KL != 0.5 {
		t.Errorf("old row %+v (%v)", old, err)
	}
}
