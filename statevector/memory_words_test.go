package statevector_test

import (
	"testing"

	"born/statevector"
)

// A state vector beyond 16 EiB is worded by its power of two: the message
// read "needs 16 EiB (16*2^1000000 bytes)" for a million qubits.
func TestMemoryErrorHuge(t *testing.T) {
	cases := []struct {
		n    int
		prec statevector.Precision
		want string
	}{
		{1000000, statevector.Double, "a 1000000-qubit state vector needs 2^1000004 bytes; this machine allows 1 GiB"},
		{60, statevector.Double, "a 60-qubit state vector needs 2^64 bytes; this machine allows 1 GiB"},
		{61, statevector.Single, "a 61-qubit state vector needs 2^64 bytes; this machine allows 1 GiB"},
		{59, statevector.Double, "a 59-qubit state vector needs 8 EiB (16*2^59 bytes); this machine allows 1 GiB"},
		{40, statevector.Double, "a 40-qubit state vector needs 16 TiB (16*2^40 bytes); this machine allows 1 GiB"},
	}
	for _, tc := range cases {
		err := tc.prec.CheckMemory(tc.n, 1<<30)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%d qubits: %v, want %q", tc.n, err, tc.want)
		}
	}
}
