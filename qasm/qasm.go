package qasm

import (
	"born/circuit"
)

// Limits on what the reader accepts. They keep memory bounded for any input;
// the simulation engines refuse large states on their own.
const (
	// MaxQubits is the largest number of qubits, in all quantum registers
	// together, that a program may declare.
	MaxQubits = 1 << 20
	// MaxClbits is the largest number of classical bits, in all classical
	// registers together, that a program may declare.
	MaxClbits = 1 << 20
	// DefaultMaxOps is the default for Options.MaxOps.
	DefaultMaxOps = 1 << 22
	// MaxErrors is the number of errors after which Parse stops; the list it
	// returns then ends with a "too many errors" entry.
	MaxErrors = 10
)

// Options configure Parse and ParseFile. The zero value, or a nil *Options,
// gives the defaults.
type Options struct {
	// AllowOpaque lets a program apply opaque gates (declared with opaque,
	// without a definition). By default applying one is an error, since the
	// gate cannot be simulated; tools that only convert a program set it.
	AllowOpaque bool

	// ReadFile reads included files (and the file itself for ParseFile). It
	// defaults to ReadSource with MaxBytes: regular files of bounded size.
	// include "qelib1.inc" never reads a file.
	ReadFile func(name string) ([]byte, error)

	// MaxBytes bounds the size of the program file and of each included
	// file the default ReadFile reads. Zero means DefaultMaxBytes.
	MaxBytes int64

	// ConfineIncludes refuses an include of a file outside the folder of
	// the program read (or of the current folder, for standard input),
	// symbolic links resolved: for reading programs one does not trust.
	ConfineIncludes bool

	// MaxTouched, if positive, is the most qubits the program may act on
	// (by built-in gates, measurements and resets): the reader stops at the
	// first statement that acts on more, with MaxTouchedReason in its
	// error, so that a statement on a register the engine cannot hold is
	// refused before it is read into memory.
	MaxTouched       int
	MaxTouchedReason string

	// MaxOps bounds the size of the circuit, and so the memory the reader
	// uses: it is the largest number of qubit operands in all operations
	// after broadcasting, gate definition bodies included (a gate on k qubits
	// counts k, an operation on none counts 1). Zero means DefaultMaxOps.
	MaxOps int

	// NoExpandLimit lifts the reader's check that gate applications expand
	// to at most circuit.MaxInstrs instructions. Tools that do not lower
	// the program (a converter that keeps gate definitions) set it; the
	// lowering refuses such a circuit anyway.
	NoExpandLimit bool
}

// Parse reads an OpenQASM 2.0 program from src into a circuit. filename is
// used in positions and to resolve includes (relative to its directory);
// pass "<stdin>" for standard input.
//
// On success it returns the circuit and any warnings. Otherwise the error is
// an ErrorList of at most MaxErrors+1 positioned errors, sorted by position,
// and the circuit is nil.
func Parse(filename string, src []byte, opts *Options) (*circuit.Circuit, []Warning, error) {
	p := newParser(filename, opts)
	p.run(src)
	if len(p.errs) > 0 {
		if p.tooMany {
			p.errs[:len(p.errs)-1].Sort()
		} else {
			p.errs.Sort()
		}
		return nil, p.warns, p.errs
	}
	return p.circ, p.warns, nil
}

// ParseFile reads the program in the file at path (with Options.ReadFile)
// and parses it with Parse. An error reading the file itself is returned as
// is.
func ParseFile(path string, opts *Options) (*circuit.Circuit, []Warning, error) {
	var max int64
	if opts != nil {
		max = opts.MaxBytes
	}
	read := func(path string) ([]byte, error) { return ReadSource(path, max) }
	if opts != nil && opts.ReadFile != nil {
		read = opts.ReadFile
	}
	src, err := read(path)
	if err != nil {
		return nil, nil, err
	}
	return Parse(path, src, opts)
}
