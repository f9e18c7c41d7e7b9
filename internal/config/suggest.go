package config

import (
	"fmt"
	"sort"
	"strings"
)

// Suggest returns the candidates nearest to word (at most three), for a
// "did you mean" after an unknown id or key: those within a small edit
// distance, or that contain word or are contained in it, nearest first.
func Suggest(word string, candidates []string) []string {
	type scored struct {
		s string
		d int
	}
	w := strings.ToLower(word)
	limit := max(2, len([]rune(w))/3)
	var out []scored
	for _, c := range candidates {
		if c == word {
			continue
		}
		d := editDistance(w, strings.ToLower(c))
		if d <= limit || (len(w) >= 4 && (strings.Contains(c, w) || strings.Contains(w, c) && len(c) >= 4)) {
			out = append(out, scored{c, d})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].d != out[j].d {
			return out[i].d < out[j].d
		}
		return out[i].s < out[j].s
	})
	var res []string
	for i := 0; i < len(out) && i < 3; i++ {
		res = append(res, out[i].s)
	}
	return res
}

// DidYouMean is "; có phải là "x" hoặc "y"?" for the suggestions of word,
// or "." when nothing is near.
func DidYouMean(word string, candidates []string) string {
	s := Suggest(word, candidates)
	if len(s) == 0 {
		return "."
	}
	q := make([]string, len(s))
	for i, c := range s {
		q[i] = fmt.Sprintf("%q", c)
	}
	return "; có phải là " + strings.Join(q, " hoặc ") + "?"
}

func didYouMean(word string, candidates []string) string { return DidYouMean(word, candidates) }

// editDistance is the Levenshtein distance between a and b, by runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
