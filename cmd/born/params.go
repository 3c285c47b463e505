package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"born/qasm"
)

// parseParams returns parameter values from a JSON file (--params FILE.json,
// "" for none) and NAME=VALUE settings (--param, repeatable), the settings
// overriding the file and later settings earlier ones.
//
// The file holds one JSON object whose values are numbers, or arrays of
// numbers for input arrays: {"alpha": 0.5, "theta": [0.1, 0.2]} sets alpha,
// theta[0] and theta[1]. A NAME may be an array element, theta[1]=0.2, and
// a VALUE a constant OpenQASM 3 expression, theta=pi/2.
// Values must be finite. Whether every name is a parameter of the circuit,
// and every parameter has a value, is for the caller to check (with
// circuit.Values or qasm.Format).
func parseParams(kvs []string, file string) (map[string]float64, error) {
	vals := map[string]float64{}
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("--params: %w", err)
		}
		if err := decodeParams(vals, data); err != nil {
			return nil, fmt.Errorf("--params %s: %w", file, err)
		}
	}
	for _, kv := range kvs {
		name, v, ok := strings.Cut(kv, "=")
		name, v = strings.TrimSpace(name), strings.TrimSpace(v)
		if !ok || name == "" {
			return nil, fmt.Errorf("--param %q: want NAME=VALUE, for example --param theta=0.5", kv)
		}
		x, err := paramValue(v)
		if err != nil {
			return nil, fmt.Errorf("--param %q: %v", kv, err)
		}
		vals[name] = x
	}
	return vals, nil
}

// paramValue reads the VALUE of --param NAME=VALUE: a number, or a
// constant OpenQASM 3 expression such as pi/2 or 2*pi/3.
func paramValue(v string) (float64, error) {
	if x, err := strconv.ParseFloat(v, 64); err == nil {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, fmt.Errorf("the value must be finite")
		}
		return x, nil
	}
	x, err := qasm.EvalConst(v)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number or a constant expression such as pi/2: %v", v, err)
	}
	return x, nil
}

// decodeParams reads a JSON object of numbers (or arrays of numbers) into
// vals, refusing anything else, and names given twice.
func decodeParams(vals map[string]float64, data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		if err != nil {
			return fmt.Errorf("not JSON: %v", err)
		}
		return fmt.Errorf(`want a JSON object such as {"theta": 0.5}`)
	}
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return fmt.Errorf("not JSON: %v", err)
		}
		name := t.(string) // object keys are strings
		if name == "" {
			return fmt.Errorf("empty parameter name")
		}
		if seen[name] {
			return fmt.Errorf("parameter %q given twice", name)
		}
		seen[name] = true
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("%q: %v", name, err)
		}
		if x, ok := jsonNumber(raw); ok {
			v, err := paramNumber(name, x)
			if err != nil {
				return err
			}
			vals[name] = v
			continue
		}
		var arr []json.RawMessage
		if err := json.Unmarshal(raw, &arr); err != nil || raw[0] != '[' {
			return fmt.Errorf("%q: %s is not a number or an array of numbers", name, paramJSONText(raw))
		}
		for i, r := range arr {
			elem := name + "[" + strconv.Itoa(i) + "]"
			x, ok := jsonNumber(r)
			if !ok {
				return fmt.Errorf("%q: %s is not a number or an array of numbers", name, paramJSONText(raw))
			}
			if seen[elem] {
				return fmt.Errorf("parameter %q given twice", elem)
			}
			seen[elem] = true
			v, err := paramNumber(elem, x)
			if err != nil {
				return err
			}
			vals[elem] = v
		}
	}
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("not JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("trailing data after the JSON object")
	}
	return nil
}

// jsonNumber reports whether raw is a JSON number literal (not a string).
func jsonNumber(raw json.RawMessage) (json.Number, bool) {
	s := bytes.TrimSpace(raw)
	if len(s) == 0 || s[0] != '-' && (s[0] < '0' || s[0] > '9') {
		return "", false
	}
	var n json.Number
	if json.Unmarshal(s, &n) != nil {
		return "", false
	}
	return n, true
}

func paramNumber(name string, n json.Number) (float64, error) {
	x, err := strconv.ParseFloat(string(n), 64)
	if err != nil || math.IsInf(x, 0) {
		return 0, fmt.Errorf("%q: %s is not a finite float64", name, n)
	}
	return x, nil
}

func paramJSONText(raw []byte) string {
	s := strings.TrimSpace(string(raw))
	if len(s) > 30 {
		s = s[:27] + "..."
	}
	return s
}
