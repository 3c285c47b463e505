package statevector

// SetSIMD turns the SIMD kernels on or off (when the build and CPU have
// them) and returns a function that restores the previous setting.
func SetSIMD(on bool) (restore func()) {
	old := useSIMD
	useSIMD = on && simd32.name != ""
	return func() { useSIMD = old }
}

// HaveSIMD reports whether this build and CPU have SIMD kernels.
func HaveSIMD() bool { return simd32.name != "" }

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
