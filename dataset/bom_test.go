package dataset

import (
	"strings"
	"testing"
)

// A data file that starts with a byte-order mark reads like one without
// (it was refused, while a QASM file with one was accepted).
func TestDataFileBOM(t *testing.T) {
	plain, err := ParseData("x.txt", strings.NewReader("0110\n1001,2\n"))
	if err != nil {
		t.Fatal(err)
	}
	bom, err := ParseData("x.txt", strings.NewReader("\ufeff0110\n1001,2\n"))
	if err != nil {
		t.Fatalf("with a byte-order mark: %v", err)
	}
	if bom.Bits != 4 || bom.Prob(0b0110) != plain.Prob(0b0110) || bom.Prob(0b1001) != 2.0/3 {
		t.Errorf("with a byte-order mark: %d bits, p(0110) %v, p(1001) %v", bom.Bits, bom.Prob(0b0110), bom.Prob(0b1001))
	}
	// Only at the start: elsewhere it is not a bit.
	if _, err := ParseData("x.txt", strings.NewReader("0110\n\ufeff1001\n")); err == nil {
		t.Errorf("a byte-order mark on line 2 was accepted")
	}
}
