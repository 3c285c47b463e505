package statevector

// SetSIMD turns the assembly kernels on or off (when the build and CPU
// have them) and returns a function that restores the previous setting.
func SetSIMD(on bool) (restore func()) {
	old := useSIMD
	useSIMD = on && kern32 != nil
	return func() { useSIMD = old }
}

// SetKernels selects a kernel set by name for a test and returns a
// function that restores the previous selection.
func SetKernels(name string) (restore func(), err error) {
	o32, o64, old := kern32, kern64, useSIMD
	if err := UseKernels(name); err != nil {
		return nil, err
	}
	return func() { kern32, kern64, useSIMD = o32, o64, old }, nil
}

// HaveSIMD reports whether this build and CPU have assembly kernels.
func HaveSIMD() bool { return kern32 != nil }

// SetSegmentBytes sets the least contiguous run of a qubit-set chunk and
// returns a function that restores it.
func SetSegmentBytes(b int) (restore func()) {
	old := segmentBytes
	segmentBytes = b
	return func() { segmentBytes = old }
}

// StageSets returns the qubit sets of p's chunked stages for storage type
// T (empty for unchunked ones).
func StageSets[T Float](p *Program) []uint64 {
	var out []uint64
	for _, st := range compiledFor[T](p).stages {
		if st.chunked {
			out = append(out, st.set)
		}
	}
	return out
}

// NumStages returns the number of stages p runs in for storage type T, and
// how many of them are chunked.
func NumStages[T Float](p *Program) (stages, chunked int) {
	c := compiledFor[T](p)
	for _, st := range c.stages {
		if st.chunked {
			chunked++
		}
	}
	return len(c.stages), chunked
}
