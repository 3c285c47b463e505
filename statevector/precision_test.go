package statevector_test

import (
	"errors"
	"strings"
	"testing"

	"born/statevector"
)

func TestParseBytes(t *testing.T) {
	good := map[string]uint64{
		"8GiB": 8 << 30, "8 gib": 8 << 30, "1.5TiB": 3 << 39, "512m": 512 << 20, "512MB": 512 << 20,
		"1048576": 1 << 20, "16K": 16 << 10, "100B": 100, " 2 G ": 2 << 30,
	}
	for s, want := range good {
		if got, err := statevector.ParseBytes(s); err != nil || got != want {
			t.Errorf("ParseBytes(%q) = %d, %v; want %d", s, got, err, want)
		}
	}
	for _, s := range []string{"", "GiB", "8 GiBs", "-1G", "1e99T", "eight"} {
		if _, err := statevector.ParseBytes(s); err == nil {
			t.Errorf("ParseBytes(%q) succeeded", s)
		}
	}
}

func TestPrecision(t *testing.T) {
	for s, want := range map[string]statevector.Precision{"single": statevector.Single, "Double": statevector.Double, "complex64": statevector.Single} {
		if got, err := statevector.ParsePrecision(s); err != nil || got != want {
			t.Errorf("ParsePrecision(%q) = %v, %v", s, got, err)
		}
	}
	if _, err := statevector.ParsePrecision("half"); err == nil {
		t.Error("ParsePrecision(half) succeeded")
	}
	if statevector.Single.Bytes(30) != 8<<30 || statevector.Double.Bytes(30) != 16<<30 {
		t.Error("Bytes(30) wrong")
	}
	// A 30-qubit single state fits 12 GiB; 31 does not, and says so.
	if err := statevector.Single.CheckMemory(30, 12<<30); err != nil {
		t.Errorf("30 single qubits refused: %v", err)
	}
	err := statevector.Single.CheckMemory(31, 12<<30)
	var me *statevector.MemoryError
	if !errors.As(err, &me) || me.Precision != statevector.Single || !strings.Contains(err.Error(), "16 GiB (8*2^31 bytes)") {
		t.Errorf("31 single qubits: %v", err)
	}
	st, err := statevector.New32(3)
	if err != nil || st.Precision() != statevector.Single || st.Len() != 8 {
		t.Fatalf("New32(3) = %v, %v", st, err)
	}
}
