package statevector

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
)

// BytesPerAmplitude is the size of one complex128 amplitude.
const BytesPerAmplitude = 16

// MaxMemory is the largest state vector, in bytes, that New allocates. It
// defaults to 90% of MemTotal in /proc/meminfo, or 16 GiB when that cannot be
// read. Set it before creating states (it is not synchronised).
var MaxMemory = defaultMaxMemory()

func defaultMaxMemory() uint64 {
	const fallback = 16 << 30
	total, err := memTotal("/proc/meminfo")
	if err != nil || total == 0 {
		return fallback
	}
	return total / 10 * 9
}

// memTotal reads MemTotal (in bytes) from a meminfo file.
func memTotal(path string) (uint64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			kb, err := strconv.ParseUint(fields[1], 10, 64)
			if err != nil {
				return 0, err
			}
			return kb * 1024, nil
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("no MemTotal in %s", path)
}

// BytesNeeded returns the size in bytes of an n-qubit state vector,
// 16*2^n, saturating at math.MaxUint64.
func BytesNeeded(n int) uint64 {
	if n < 0 {
		return 0
	}
	if n > 59 { // 16*2^60 overflows uint64
		return math.MaxUint64
	}
	return BytesPerAmplitude << uint(n)
}

// MemoryError reports a state vector that would not fit in the memory limit.
type MemoryError struct {
	Qubits int
	Need   uint64 // bytes the state vector needs
	Limit  uint64 // bytes allowed (MaxMemory when it was refused)
}

func (e *MemoryError) Error() string {
	return fmt.Sprintf("a %d-qubit state vector needs %s (16*2^%d bytes); this machine allows %s; "+
		"use the MPS engine (--engine mps) for many qubits at low entanglement",
		e.Qubits, FormatBytes(e.Need), e.Qubits, FormatBytes(e.Limit))
}

// CheckMemory returns a *MemoryError if an n-qubit state vector needs more
// than limit bytes, and nil otherwise.
func CheckMemory(n int, limit uint64) error {
	if need := BytesNeeded(n); need > limit {
		return &MemoryError{Qubits: n, Need: need, Limit: limit}
	}
	return nil
}

// FormatBytes formats a byte count in binary units: "512 B", "16 KiB",
// "21.6 GiB", "16 TiB" (at most three significant digits, no trailing zeros).
func FormatBytes(b uint64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	v := float64(b)
	i := 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%d B", b)
	}
	var s string
	switch {
	case v >= 100:
		s = strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		s = strconv.FormatFloat(v, 'f', 1, 64)
	default:
		s = strconv.FormatFloat(v, 'f', 2, 64)
	}
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s + " " + units[i]
}
