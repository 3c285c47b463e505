package statevector

import "golang.org/x/sys/cpu"

// cpuKernelSets returns the assembly kernel sets (single, double) this CPU
// runs, the fastest first. golang.org/x/sys/cpu checks that the operating
// system saves the vector registers too, not only that the CPU has them.
func cpuKernelSets() [][2]*asmSet {
	var out [][2]*asmSet
	if cpu.X86.HasAVX512F {
		out = append(out, [2]*asmSet{&asmAVX512F32, &asmAVX512F64})
	}
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		out = append(out, [2]*asmSet{&asmAVX2F32, &asmAVX2F64})
	}
	return out
}

func init() {
	if s := cpuKernelSets(); len(s) > 0 {
		kern32, kern64, useSIMD = s[0][0], s[0][1], true
	}
}
