//go:build !purego

package mps

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

//go:noescape
func gemmKernelAVX2(k int, a, b, c *float64, ldc int)

// gemmKernelAsm is the 6×8 kernel by gemmKernelAVX2; the caller guarantees the
// lengths (k*gemmMR of a, k*gemmNR of b, a gemmMR×gemmNR tile of c).
func gemmKernelAsm(k int, a, b, c []float64, ldc int) {
	if k == 0 {
		return
	}
	_ = a[k*gemmMR-1]
	_ = b[k*8-1]
	_ = c[(gemmMR-1)*ldc+8-1]
	gemmKernelAVX2(k, (*float64)(unsafe.Pointer(&a[0])), (*float64)(unsafe.Pointer(&b[0])), (*float64)(unsafe.Pointer(&c[0])), ldc)
}

// haveAVX2FMA reports whether this CPU (and its operating system) runs the
// AVX2 and FMA kernels.
var haveAVX2FMA = cpu.X86.HasAVX2 && cpu.X86.HasFMA

//go:noescape
func gemmKernelAVX512(k int, a, b, c *float64, ldc int)

// gemmKernelAsm512 is the 6×16 kernel by gemmKernelAVX512.
func gemmKernelAsm512(k int, a, b, c []float64, ldc int) {
	if k == 0 {
		return
	}
	_ = a[k*gemmMR-1]
	_ = b[k*16-1]
	_ = c[(gemmMR-1)*ldc+16-1]
	gemmKernelAVX512(k, (*float64)(unsafe.Pointer(&a[0])), (*float64)(unsafe.Pointer(&b[0])), (*float64)(unsafe.Pointer(&c[0])), ldc)
}

func init() {
	if cpu.X86.HasAVX512F {
		gemmFast = append(gemmFast, gemmImpl{"avx512", gemmKernelAsm512, 16})
	}
	if haveAVX2FMA {
		gemmFast = append(gemmFast, gemmImpl{"avx2", gemmKernelAsm, 8})
		bdKernelsFast = &bdKernelSet{bdFusedAsm, bdDotAsm, bdAxpyAsm, bdGemv2Asm}
		bdFused, bdDot, bdAxpy, bdGemv2 = bdFusedAsm, bdDotAsm, bdAxpyAsm, bdGemv2Asm
	}
	if len(gemmFast) > 0 {
		gemmUse(gemmFast[0])
	}
}
