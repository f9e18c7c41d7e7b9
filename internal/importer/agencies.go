package importer

import (
	"regexp"
	"strings"

	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// groupPhrases are the ways documents name the usual groups of agencies.
// A directory group whose name (without the province and a parenthesis)
// is one of a class answers to every phrase of that class.
var groupPhrases = [][]string{
	{"các sở, ban, ngành", "sở, ban, ngành", "các sở, ban, ngành tỉnh", "các sở, ban, ngành thuộc tỉnh",
		"các sở ban ngành", "các sở, ngành", "các cơ quan chuyên môn thuộc ubnd tỉnh"},
	{"ubnd các huyện, thành phố", "ubnd các huyện, thị xã, thành phố", "ubnd cấp huyện",
		"ubnd huyện, thành phố", "các huyện, thành phố"},
	{"ubnd cấp xã", "ubnd các xã, phường", "ubnd các xã, phường, thị trấn", "ubnd các xã, phường, đặc khu",
		"ubnd xã, phường", "ubnd xã, phường, đặc khu"},
}

// skipWords are titles and joiners that name no agency: "Thủ trưởng các
// Sở, ban, ngành; Chủ tịch UBND các huyện" names the two groups.
var skipWords = map[string]bool{
	"và": true, "với": true, ",": true, ";": true, ".": true, "thủ trưởng": true, "chủ tịch": true,
	"giám đốc": true, "lãnh đạo": true, "người đứng đầu": true,
}

var (
	parenRE    = regexp.MustCompile(`\([^)]*\)`)
	provinceRE = regexp.MustCompile(`\s+tỉnh\s+[^,;]+$`)
	tokenRE    = regexp.MustCompile(`[,;:()]|[^\s,;:()]+`)
)

// canon is the matching form of agency text: folded, "Ủy ban nhân dân"
// as "ubnd", "Văn phòng UBND" and "VP UBND" alike, tokens single-spaced.
func canon(s string) string {
	s = fold(s)
	s = strings.ReplaceAll(s, "ủy ban nhân dân", "ubnd")
	s = strings.ReplaceAll(s, "hội đồng nhân dân", "hđnd")
	s = strings.ReplaceAll(s, " & ", " và ")
	toks := tokenRE.FindAllString(s, -1)
	for i, t := range toks {
		if t == "vp" || t == "vpubnd" {
			toks[i] = map[string]string{"vp": "văn phòng", "vpubnd": "văn phòng ubnd"}[t]
		}
	}
	return strings.Join(toks, " ")
}

// resolver reads lead and coordinating cells against the directory as it
// stood on the plan's date: a 2021 plan's "Sở Nội vụ" is Ninh Thuận's, a
// 2026 plan's is Khánh Hòa's.
type resolver struct {
	phrases map[string][]string // canon phrase -> ids (more than one: ambiguous)
	abbrev  map[string][]string // initials after "sở" ("khđt") -> agency ids
	maxLen  int                 // longest phrase, in tokens
}

func newResolver(dir *model.Directory, on schedule.Date) *resolver {
	r := &resolver{phrases: map[string][]string{}, abbrev: map[string][]string{}}
	alive := func(a *model.Agency) bool { return on == 0 || a.AliveOn(on) }
	for _, a := range dir.Agencies() {
		if !alive(a) {
			continue
		}
		for _, n := range []string{a.Name, a.ShortName} {
			if n == "" {
				continue
			}
			c := canon(n)
			r.add(c, a.ID)
			if p := provinceRE.ReplaceAllString(c, ""); p != c {
				r.add(p, a.ID)
			}
		}
		if short := canon(a.ShortName); strings.HasPrefix(short, "sở ") {
			if key := initials(strings.TrimPrefix(short, "sở ")); len([]rune(key)) >= 2 {
				r.abbrev[key] = appendUnique(r.abbrev[key], a.ID)
			}
		}
	}
	for _, g := range dir.Groups() {
		live := false
		for _, m := range dir.Members(g.ID) {
			live = live || alive(m)
		}
		if !live {
			continue
		}
		c := canon(parenRE.ReplaceAllString(g.Name, ""))
		r.add(c, g.ID)
		p := provinceRE.ReplaceAllString(c, "")
		r.add(p, g.ID)
		for _, class := range groupPhrases {
			for _, ph := range class {
				if canon(ph) == c || canon(ph) == p {
					for _, alt := range class {
						r.add(canon(alt), g.ID)
					}
					break
				}
			}
		}
	}
	return r
}

func (r *resolver) add(phrase, id string) {
	r.phrases[phrase] = appendUnique(r.phrases[phrase], id)
	if n := len(strings.Fields(phrase)); n > r.maxLen {
		r.maxLen = n
	}
}

func appendUnique(ids []string, id string) []string {
	for _, x := range ids {
		if x == id {
			return ids
		}
	}
	return append(ids, id)
}

// initials of "kế hoạch và đầu tư" are "khđt"; of "lao động - thương binh
// và xã hội" "lđtbxh".
func initials(s string) string {
	var sb strings.Builder
	for _, w := range strings.Fields(s) {
		if w == "và" || w == "-" || w == "," {
			continue
		}
		r := []rune(w)
		sb.WriteRune(r[0])
	}
	return sb.String()
}

// abbrevKey is an abbreviation as written ("KH&ĐT", "TT&TT", "LĐ-TB&XH",
// "VH,TT&DL") reduced to its letters.
func abbrevKey(tok string) string {
	var sb strings.Builder
	for _, c := range tok {
		if c == '&' || c == '-' || c == '.' || c == ',' || c == '/' {
			continue
		}
		sb.WriteRune(c)
	}
	return sb.String()
}

// resolution is what a cell names: ids in order, and what could not be
// read with confidence (each a Vietnamese explanation for the admin).
type resolution struct {
	ids        []string
	unresolved []string
}

// resolve reads a cell. Nothing is guessed: a piece that is not exactly a
// directory name, a usual abbreviation or a group phrase is unresolved, as
// is a phrase that fits two entries of the directory.
func (r *resolver) resolve(cell string) resolution {
	var res resolution
	toks := strings.Fields(canon(cell))
	soList := false // after "Các Sở:", items are names without "Sở"
	for i := 0; i < len(toks); {
		if n := skipAt(toks[i:]); n > 0 {
			if toks[i] == ";" {
				soList = false
			}
			i += n
			continue
		}
		if i+2 < len(toks) && toks[i] == "các" && toks[i+1] == "sở" && toks[i+2] == ":" {
			soList = true
			i += 3
			continue
		}
		if n, ids := r.match(toks[i:], soList); n > 0 {
			if len(ids) > 1 {
				res.unresolved = append(res.unresolved, "“"+strings.Join(toks[i:i+n], " ")+"” ứng với nhiều mục của danh mục: "+strings.Join(ids, ", "))
			} else {
				res.ids = appendUnique(res.ids, ids[0])
			}
			i += n
			continue
		}
		// The unknown piece runs to the next ";", or to the next "," after
		// which a known name starts: "UBND các huyện, thành phố" is one piece.
		j := i
		for j < len(toks) && toks[j] != ";" {
			if toks[j] == "," && j+1 < len(toks) {
				if n, _ := r.match(toks[j+1:], soList); n > 0 {
					break
				}
			}
			j++
		}
		res.unresolved = append(res.unresolved, "không có trong danh mục: “"+untoken(toks[i:j])+"”")
		i = j
	}
	return res
}

// skipAt returns how many tokens a title or joiner takes at the start.
func skipAt(toks []string) int {
	for n := min(3, len(toks)); n >= 1; n-- {
		if skipWords[strings.Join(toks[:n], " ")] {
			return n
		}
	}
	return 0
}

// match finds the longest phrase at the start of toks; in a "Các Sở:" list
// each item is read as "Sở <item>".
func (r *resolver) match(toks []string, soList bool) (int, []string) {
	for n := min(r.maxLen, len(toks)); n >= 1; n-- {
		key := strings.Join(toks[:n], " ")
		if soList {
			key = "sở " + key
		}
		if ids, ok := r.phrases[key]; ok {
			return n, ids
		}
	}
	if len(toks) >= 2 && toks[0] == "sở" {
		if ids, ok := r.abbrev[abbrevKey(toks[1])]; ok && len([]rune(abbrevKey(toks[1]))) >= 2 {
			return 2, ids
		}
	}
	if soList {
		if ids, ok := r.abbrev[abbrevKey(toks[0])]; ok && len([]rune(abbrevKey(toks[0]))) >= 2 {
			return 1, ids
		}
	}
	return 0, nil
}

// untoken rejoins tokens for a message: no space before punctuation.
func untoken(toks []string) string {
	s := strings.Join(toks, " ")
	return strings.NewReplacer(" ,", ",", " ;", ";", " :", ":", "( ", "(", " )", ")").Replace(s)
}
