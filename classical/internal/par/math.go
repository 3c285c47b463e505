package par

import "math"

// LogSumExp accumulates ln sum_i e^{x_i} in one pass without overflow.
type LogSumExp struct {
	Max float64 // largest term so far (-Inf when empty)
	Sum float64 // sum of e^{x_i - Max}
}

// NewLogSumExp returns an empty accumulator.
func NewLogSumExp() LogSumExp { return LogSumExp{Max: math.Inf(-1)} }

// Add adds the term e^x.
func (l *LogSumExp) Add(x float64) {
	switch {
	case x <= l.Max:
		l.Sum += math.Exp(x - l.Max)
	default:
		l.Sum = l.Sum*math.Exp(l.Max-x) + 1
		l.Max = x
	}
}

// Merge adds the terms of o.
func (l *LogSumExp) Merge(o LogSumExp) {
	if o.Sum == 0 {
		return
	}
	if o.Max <= l.Max {
		l.Sum += o.Sum * math.Exp(o.Max-l.Max)
		return
	}
	l.Sum = l.Sum*math.Exp(l.Max-o.Max) + o.Sum
	l.Max = o.Max
}

// Value returns ln sum e^{x_i} (-Inf when empty).
func (l LogSumExp) Value() float64 {
	if l.Sum == 0 {
		return math.Inf(-1)
	}
	return l.Max + math.Log(l.Sum)
}
