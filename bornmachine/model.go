package bornmachine

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"runtime"
	"runtime/debug"
	"slices"

	"born/dataset"
	"born/model"
)

// FileFormat and FileVersion identify born model files.
const (
	FileFormat  = "born-model"
	FileVersion = 1
)

// ModelFile is the content of model.json: a model with the data it was
// trained on, the run's settings, the training state for resuming, the
// final metrics and the versions of the software that wrote it.
type ModelFile struct {
	Format    string            `json:"format"`  // "born-model"
	Version   int               `json:"version"` // 1
	Kind      string            `json:"kind"`    // model kind, e.g. "qcbm"
	Bits      int               `json:"bits"`
	NumParams int               `json:"num_params"`
	Model     json.RawMessage   `json:"model"` // the model's own JSON
	Data      *dataset.DataInfo `json:"data,omitempty"`
	Settings  *RunSpec          `json:"settings,omitempty"`
	Train     *TrainState       `json:"train,omitempty"`
	Metrics   *model.Metrics    `json:"metrics,omitempty"`
	Versions  map[string]string `json:"versions,omitempty"`
}

// NewModelFile returns the file record of m.
func NewModelFile(m model.Model) (*ModelFile, error) {
	raw, err := m.MarshalJSON()
	if err != nil {
		return nil, err
	}
	return &ModelFile{Format: FileFormat, Version: FileVersion, Kind: m.Kind(), Bits: m.NumBits(),
		NumParams: m.NumParams(), Model: raw, Versions: Versions("")}, nil
}

// Versions returns the versions of born (program, "" if unknown), Go and the
// main dependencies, for model files.
func Versions(program string) map[string]string {
	v := map[string]string{"go": runtime.Version()}
	if program != "" {
		v["born"] = program
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			switch d.Path {
			case "gonum.org/v1/gonum", "gonum.org/v1/plot":
				v[d.Path] = d.Version
			}
		}
	}
	return v
}

// KindPackages names the package that registers the loader of each model
// kind born writes. This package registers qcbm; a program reads the other
// kinds only if it links their packages, as package born/models does.
var KindPackages = map[string]string{
	KindQCBM: "born/bornmachine",
	"mps":    "born/bornmachine/mpsbm",
	"rbm":    "born/classical/rbm",
	"flow":   "born/classical/flow",
}

// ReadModelFile reads a model file and its model, of a kind whose package
// the program links (KindPackages); package born/models links them all.
func ReadModelFile(path string) (*ModelFile, model.Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	mf, m, err := DecodeModelFile(f)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return mf, m, nil
}

// DecodeModelFile reads a model file from r (see ReadModelFile for the
// kinds it reads).
func DecodeModelFile(r io.Reader) (*ModelFile, model.Model, error) {
	var mf ModelFile
	dec := json.NewDecoder(r)
	if err := dec.Decode(&mf); err != nil {
		return nil, nil, fmt.Errorf("not a born model file: %v", err)
	}
	if mf.Format != FileFormat {
		return nil, nil, fmt.Errorf("not a born model file (format %q, want %q)", mf.Format, FileFormat)
	}
	if mf.Version != FileVersion {
		return nil, nil, fmt.Errorf("model file version %d; this born reads version %d", mf.Version, FileVersion)
	}
	if !slices.Contains(model.Kinds(), mf.Kind) {
		if pkg, ok := KindPackages[mf.Kind]; ok {
			return nil, nil, fmt.Errorf("model kind %q is not linked into this program: read the file with package born/models, which links every kind (or import %s)", mf.Kind, pkg)
		}
		return nil, nil, fmt.Errorf("unknown model kind %q (known: %v)", mf.Kind, slices.Sorted(maps.Keys(KindPackages)))
	}
	m, err := model.Load(mf.Kind, mf.Model)
	if err != nil {
		return nil, nil, fmt.Errorf("%s model: %w", mf.Kind, err)
	}
	if m.NumBits() != mf.Bits || m.NumParams() != mf.NumParams {
		return nil, nil, fmt.Errorf("the model has %d bits and %d parameters but the file says %d and %d", m.NumBits(), m.NumParams(), mf.Bits, mf.NumParams)
	}
	return &mf, m, nil
}
