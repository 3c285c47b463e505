// Package models is the complete registry of born's model kinds. Importing
// it links the loader of every kind: qcbm (package bornmachine), mps
// (bornmachine/mpsbm), rbm and flow (classical/rbm, classical/flow), so
// that a model file or run folder of any kind reads back, whatever else
// the program imports. bornmachine itself cannot import them all (mpsbm
// builds on bornmachine), so code that reads model files it did not write
// itself should read them here.
package models

import (
	"io"

	"born/bornmachine"
	_ "born/bornmachine/mpsbm" // the mps kind
	_ "born/classical/flow"    // the flow kind
	_ "born/classical/rbm"     // the rbm kind
	"born/model"
)

// ReadFile reads a born model file (model.json) of any kind.
func ReadFile(path string) (*bornmachine.ModelFile, model.Model, error) {
	return bornmachine.ReadModelFile(path)
}

// Decode reads a born model file of any kind from r.
func Decode(r io.Reader) (*bornmachine.ModelFile, model.Model, error) {
	return bornmachine.DecodeModelFile(r)
}

// OpenRun reads the training run in dir, of any kind, to resume or inspect
// it.
func OpenRun(dir string) (*bornmachine.Run, error) {
	return bornmachine.OpenRun(dir)
}

// Kinds returns every model kind, sorted.
func Kinds() []string { return model.Kinds() }
