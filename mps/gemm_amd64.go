//go:build !purego

package mps

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

//go:noescape
func gemmKernelAVX2(k int, a, b, c *float64, ldc int)

// gemmKernelAsm is gemmKernel by gemmKernelAVX2; the caller guarantees the
// lengths (k*gemmMR of a, k*gemmNR of b, a gemmMR×gemmNR tile of c).
func gemmKernelAsm(k int, a, b, c []float64, ldc int) {
	if k == 0 {
		gemmKernelGo(k, a, b, c, ldc)
		return
	}
	_ = a[k*gemmMR-1]
	_ = b[k*gemmNR-1]
	_ = c[(gemmMR-1)*ldc+gemmNR-1]
	gemmKernelAVX2(k, (*float64)(unsafe.Pointer(&a[0])), (*float64)(unsafe.Pointer(&b[0])), (*float64)(unsafe.Pointer(&c[0])), ldc)
}

// haveAVX2FMA reports whether this CPU (and its operating system) runs the
// AVX2 and FMA kernels.
var haveAVX2FMA = cpu.X86.HasAVX2 && cpu.X86.HasFMA

func init() {
	if haveAVX2FMA {
		gemmKernelFast = gemmKernelAsm
		gemmKernel = gemmKernelAsm
		bdKernelsFast = &bdKernelSet{bdFusedAsm, bdDotAsm, bdAxpyAsm, bdGemv2Asm}
		bdFused, bdDot, bdAxpy, bdGemv2 = bdFusedAsm, bdDotAsm, bdAxpyAsm, bdGemv2Asm
	}
}
