//go:build !amd64

package statevector

// cpuKernelSets returns no assembly kernels: other architectures use the
// portable Go kernels.
func cpuKernelSets() [][2]*asmSet { return nil }
