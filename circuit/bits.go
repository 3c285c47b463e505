package circuit

import "strings"

// FormatBits returns the n low bits of x most significant first: bit n-1
// leftmost, bit 0 rightmost (Qiskit's order).
func FormatBits(x uint64, n int) string {
	b := make([]byte, n)
	for i := 0; i < n; i++ {
		if x>>uint(i)&1 == 1 {
			b[n-1-i] = '1'
		} else {
			b[n-1-i] = '0'
		}
	}
	return string(b)
}

// FormatClbits returns classical bits as Qiskit prints counts: one group per
// classical register, registers in reverse declaration order separated by
// spaces, each register most significant bit first. Bit b of bits is the
// circuit's classical bit b.
func (c *Circuit) FormatClbits(bits uint64) string {
	if len(c.CRegs) == 0 {
		return FormatBits(bits, c.NumClbits)
	}
	parts := make([]string, 0, len(c.CRegs))
	for i := len(c.CRegs) - 1; i >= 0; i-- {
		r := c.CRegs[i]
		parts = append(parts, FormatBits(bits>>uint(r.Start), r.Size))
	}
	return strings.Join(parts, " ")
}
