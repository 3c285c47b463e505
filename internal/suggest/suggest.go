// Package suggest finds the known name a misspelt one was probably meant
// to be, for "did you mean" hints in error messages.
package suggest

import (
	"sort"
	"strings"
)

// Closest returns the candidate nearest to name, or "" when none is near
// enough to be a likely misspelling. A candidate that differs only in case
// wins; otherwise the one with the fewest single-character insertions,
// deletions, substitutions or swaps of neighbours (optimal string
// alignment distance), if that is at most 1 for names of 2 or 3
// characters, 2 up to 6 characters and 3 beyond (a one-character name
// gets only a change of case). Ties go to a candidate with the name's
// first letter, then to the alphabetically first. A name that is itself a candidate gets "".
func Closest(name string, candidates []string) string {
	c := append([]string(nil), candidates...)
	sort.Strings(c)
	for _, s := range c {
		if s == name {
			return ""
		}
	}
	for _, s := range c {
		if s != name && strings.EqualFold(s, name) {
			return s
		}
	}
	limit := 3
	switch n := len([]rune(name)); {
	case n <= 1:
		limit = 0
	case n <= 3:
		limit = 1
	case n <= 6:
		limit = 2
	}
	best, bestD := "", limit+1
	for _, s := range c {
		d := distance(name, s)
		if d < bestD || d == bestD && best != "" && sameStart(s, name) && !sameStart(best, name) {
			best, bestD = s, d
		}
	}
	return best
}

// DidYouMean returns " (did you mean 'x'?)" for Closest's answer x, or "".
func DidYouMean(name string, candidates []string) string {
	if s := Closest(name, candidates); s != "" {
		return " (did you mean '" + s + "'?)"
	}
	return ""
}

// distance is the optimal string alignment distance between a and b, by
// runes: the Levenshtein distance with swaps of adjacent characters
// counting as one edit.
func distance(a, b string) int {
	x, y := []rune(a), []rune(b)
	// d[i][j]: distance between x[:i] and y[:j], three rows kept.
	prev2 := make([]int, len(y)+1)
	prev := make([]int, len(y)+1)
	cur := make([]int, len(y)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(x); i++ {
		cur[0] = i
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(y)]
}

// sameStart reports whether a and b begin with the same character.
func sameStart(a, b string) bool {
	return a != "" && b != "" && []rune(a)[0] == []rune(b)[0]
}
