//go:build !amd64 || purego

package mps

// haveAVX2FMA is false: other architectures (and purego builds) use the
// portable kernels.
const haveAVX2FMA = false
