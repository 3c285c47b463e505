package bornmachine

import (
	"slices"
	"strings"
	"testing"

	"born/model"
)

// This package's tests do not link rbm, flow or mps: reading their model
// files says which package does, not "unknown model kind".
func TestReadUnlinkedKind(t *testing.T) {
	if slices.Contains(model.Kinds(), "rbm") {
		t.Skip("rbm is linked into this test binary")
	}
	_, _, err := ReadModelFile("../models/testdata/rbm.json")
	if err == nil || !strings.Contains(err.Error(), `model kind "rbm" is not linked into this program: read the file with package born/models`) {
		t.Errorf("error %v", err)
	}
	_, _, err = DecodeModelFile(strings.NewReader(`{"format": "born-model", "version": 1, "kind": "gan"}`))
	if err == nil || !strings.Contains(err.Error(), `unknown model kind "gan" (known: [flow mps qcbm rbm])`) {
		t.Errorf("error %v", err)
	}
}
