package statevector

import (
	"bufio"
	"fmt"
	"math"
	"math/bits"
	"os"
	"strconv"
	"strings"
)

// BytesPerAmplitude is the size of one complex128 amplitude (see
// Precision.BytesPerAmplitude for single precision).
const BytesPerAmplitude = 16

// MaxMemory is the largest state vector, in bytes, that New allocates. It
// defaults to half of MemTotal in /proc/meminfo, or 8 GiB when that cannot
// be read: the state is rarely all a run needs (probability vectors,
// clones, other processes on a shared machine), so larger states must be
// asked for (--max-memory). Set it before creating states (it is not
// synchronised).
var MaxMemory = DefaultMaxMemory()

// PhysicalMemory returns this machine's memory in bytes (MemTotal in
// /proc/meminfo), or 0 when it cannot be read.
func PhysicalMemory() uint64 {
	total, err := memTotal("/proc/meminfo")
	if err != nil {
		return 0
	}
	return total
}

// DefaultMaxMemory returns MaxMemory's default for this machine.
func DefaultMaxMemory() uint64 {
	if total := PhysicalMemory(); total > 0 {
		return total / 2
	}
	return 8 << 30
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

// BytesNeeded returns the size in bytes of an n-qubit double-precision
// state vector, 16*2^n, saturating at math.MaxUint64.
func BytesNeeded(n int) uint64 { return bytesNeeded(n, BytesPerAmplitude) }

func bytesNeeded(n int, per uint64) uint64 {
	if n < 0 {
		return 0
	}
	if n > 59 || per<<uint(n)>>uint(n) != per { // overflow
		return math.MaxUint64
	}
	return per << uint(n)
}

// MemoryError reports a state vector that would not fit in the memory limit.
type MemoryError struct {
	Qubits    int
	Need      uint64    // bytes the state vector needs
	Limit     uint64    // bytes allowed (MaxMemory when it was refused)
	Precision Precision // of the amplitudes (the zero value is Double)
}

func (e *MemoryError) Error() string {
	if per := e.Precision.BytesPerAmplitude(); e.Need == math.MaxUint64 {
		// Beyond 16 EiB (Need saturates): the power of two says how far.
		return fmt.Sprintf("a %d-qubit state vector needs 2^%d bytes; this machine allows %s",
			e.Qubits, e.Qubits+bits.TrailingZeros64(per), FormatBytes(e.Limit))
	}
	return fmt.Sprintf("a %d-qubit state vector needs %s (%d*2^%d bytes); this machine allows %s",
		e.Qubits, FormatBytes(e.Need), e.Precision.BytesPerAmplitude(), e.Qubits, FormatBytes(e.Limit))
}

// CheckMemory returns a *MemoryError if an n-qubit double-precision state
// vector needs more than limit bytes, and nil otherwise.
func CheckMemory(n int, limit uint64) error { return Double.CheckMemory(n, limit) }

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

// ParseBytes parses a memory size: a number with an optional unit, B, KiB,
// MiB, GiB, TiB (powers of 1024; K, M, G, T and KB... are read the same
// way, as memory is sized in binary units), case-insensitive, spaces
// allowed: "8GiB", "1.5 TiB", "512m", "1048576".
func ParseBytes(s string) (uint64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	i := 0
	for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '.') {
		i++
	}
	num, unit := t[:i], strings.TrimSpace(t[i:])
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || num == "" {
		return 0, fmt.Errorf("invalid size %q (want a number and a unit such as 8GiB)", s)
	}
	shift, ok := sizeUnits[unit]
	if !ok {
		return 0, fmt.Errorf("invalid size %q: unknown unit %q (use B, KiB, MiB, GiB or TiB)", s, unit)
	}
	b := v * float64(uint64(1)<<uint(shift))
	if b >= 1<<64 {
		return 0, fmt.Errorf("invalid size %q: too large", s)
	}
	return uint64(b), nil
}

var sizeUnits = map[string]int{
	"": 0, "b": 0,
	"k": 10, "kb": 10, "kib": 10,
	"m": 20, "mb": 20, "mib": 20,
	"g": 30, "gb": 30, "gib": 30,
	"t": 40, "tb": 40, "tib": 40,
	"p": 50, "pb": 50, "pib": 50,
}
