//go:build goexperiment.simd && amd64

package statevector

import "simd/archsimd"

const (
	lanesF32 = 16
	lanesF64 = 8
)

var (
	iotaF32 = [lanesF32]uint32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}
	iotaF64 = [lanesF64]uint64{0, 1, 2, 3, 4, 5, 6, 7}
)

func init() {
	if !archsimd.X86.AVX512() {
		return
	}
	simd32 = simdSet[float32]{"avx512", dense1hiF32, dense1loF32, dense2hhF32, dense2hlF32, dense2llF32, denseKF32, diagF32}
	simd64 = simdSet[float64]{"avx512", dense1hiF64, dense1loF64, dense2hhF64, dense2hlF64, dense2llF64, denseKF64, diagF64}
	useSIMD = true
}
