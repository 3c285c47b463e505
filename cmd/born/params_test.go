package main

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseParams(t *testing.T) {
	dir := t.TempDir()
	file := func(content string) string {
		p := filepath.Join(dir, "p.json")
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name    string
		kvs     []string
		content string // of --params, if not empty
		want    map[string]float64
		err     string
	}{
		{name: "none", want: map[string]float64{}},
		{name: "flags", kvs: []string{"theta=0.5", " phi = -1e-3 ", "w[1]=2"}, want: map[string]float64{"theta": 0.5, "phi": -1e-3, "w[1]": 2}},
		{name: "later flag wins", kvs: []string{"a=1", "a=2"}, want: map[string]float64{"a": 2}},
		{name: "file", content: `{"theta": 0.5, "w": [0.1, -2], "b": 3}`, want: map[string]float64{"theta": 0.5, "w[0]": 0.1, "w[1]": -2, "b": 3}},
		{name: "flag overrides file", kvs: []string{"theta=1"}, content: `{"theta": 0.5}`, want: map[string]float64{"theta": 1}},
		{name: "no equals", kvs: []string{"theta"}, err: `--param "theta": want NAME=VALUE`},
		{name: "no name", kvs: []string{"=1"}, err: `--param "=1": want NAME=VALUE`},
		{name: "expression", kvs: []string{"theta=pi/2", "phi=-π/4", "w=tau"}, want: map[string]float64{"theta": math.Pi / 2, "phi": -math.Pi / 4, "w": 2 * math.Pi}},
		{name: "not a number", kvs: []string{"theta=alpha"}, err: `--param "theta=alpha": "alpha" is not a number or a constant expression such as pi/2: column 1: undefined identifier 'alpha'`},
		{name: "bad expression", kvs: []string{"theta=pi/"}, err: `"pi/" is not a number or a constant expression`},
		{name: "not finite", kvs: []string{"theta=Inf"}, err: `--param "theta=Inf": the value must be finite`},
		{name: "NaN", kvs: []string{"theta=NaN"}, err: "must be finite"},
		{name: "missing file", err: "--params: open", content: "\x00missing"},
		{name: "not an object", content: `[1, 2]`, err: `want a JSON object such as {"theta": 0.5}`},
		{name: "string value", content: `{"theta": "0.5"}`, err: `"theta": "0.5" is not a number or an array of numbers`},
		{name: "null value", content: `{"theta": null}`, err: `"theta": null is not a number`},
		{name: "nested", content: `{"w": [[1]]}`, err: `"w": [[1]] is not a number`},
		{name: "duplicate", content: `{"a": 1, "a": 2}`, err: `parameter "a" given twice`},
		{name: "duplicate element", content: `{"w": [1], "w[0]": 2}`, err: `parameter "w[0]" given twice`},
		{name: "overflow", content: `{"a": 1e999}`, err: `"a": 1e999 is not a finite float64`},
		{name: "empty name", content: `{"": 1}`, err: "empty parameter name"},
		{name: "trailing", content: `{"a": 1} {}`, err: "trailing data"},
		{name: "broken", content: `{"a": 1`, err: "not JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := ""
			switch {
			case tt.content == "\x00missing":
				f = filepath.Join(dir, "missing.json")
			case tt.content != "":
				f = file(tt.content)
			}
			got, err := parseParams(tt.kvs, f)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
