package statevector_test

import (
	"testing"

	"golang.org/x/sys/cpu"

	"born/statevector"
)

// TestDefaultKernelsAreFast fails if the default build picks the portable
// kernels on a CPU that has AVX-512, or AVX2 and FMA: the assembly
// kernels are part of every amd64 build.
func TestDefaultKernelsAreFast(t *testing.T) {
	want := "portable"
	switch {
	case cpu.X86.HasAVX512F:
		want = "avx512"
	case cpu.X86.HasAVX2 && cpu.X86.HasFMA:
		want = "avx2"
	}
	if got := statevector.KernelSet(); got != want {
		t.Fatalf("kernel set %q on a CPU with AVX-512 %v, AVX2 %v, FMA %v; want %q",
			got, cpu.X86.HasAVX512F, cpu.X86.HasAVX2, cpu.X86.HasFMA, want)
	}
	t.Logf("kernels: %s (available: %v)", statevector.KernelSet(), statevector.AvailableKernels())
}
