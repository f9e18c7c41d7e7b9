package importer

import (
	"regexp"
	"strings"
)

// candidate is a sentence of the body that sets a deadline for named
// agencies ("… xây dựng Kế hoạch … hàng năm (trước ngày 10/12 của năm
// trước liền kề năm kế hoạch)"). The draft lists it commented out: the
// body is prose, and only an admin can say what the duty is.
type candidate struct {
	text      string // the paragraph, verbatim (wrapped lines joined)
	time      string // the deadline phrase as written
	agencies  string // the phrase naming who owes it
	ids       []string
	unreadFor []string
}

var (
	// paraStartRE opens a paragraph of the body: "1. Trách…", "a) Căn cứ…",
	// "- Tiếp tục…", "V. TỔ CHỨC…".
	paraStartRE = regexp.MustCompile(`^(?:[IVX]+\.|[0-9]+(?:\.[0-9]+)*\.|[a-zđ]\)|[-+•])\s*\p{Lu}`)
	levelNumRE  = regexp.MustCompile(`^[0-9]+\.\s`)
	levelRomRE  = regexp.MustCompile(`^[IVX]+\.\s`)
	deadlineRE  = regexp.MustCompile(`(?i)(?:trước|chậm nhất|không quá)\s+(?:vào\s+)?ngày\s+[0-9]{1,2}/[0-9]{1,2}(?:/[0-9]{4})?(?:\s+(?:của|hằng|hàng)\s+[^(),;.]*[^(),;.\s])?`)
	dutyOfRE    = regexp.MustCompile(`(?i)^(?:[0-9]+\.\s*)?Trách\s+nhiệm\s+của\s+(.+?):?$`)
	subjectRE   = regexp.MustCompile(`^(?:[0-9]+\.\s*)?([^:]{3,120}):`)
)

// findCandidates reads the body's paragraphs (outside the appendix) and
// keeps those with a deadline phrase. Who owes it is read from the
// paragraph's heading ("1. Trách nhiệm của Thủ trưởng các Sở, ban, ngành;
// Chủ tịch Ủy ban nhân dân các huyện, thành phố:").
func findCandidates(lines []string, skipFrom, skipTo int, res *resolver) []candidate {
	var paras []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			paras = append(paras, fold1(strings.Join(cur, " ")))
			cur = nil
		}
	}
	for i, l := range lines {
		if i >= skipFrom && i < skipTo {
			flush()
			continue
		}
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "---") {
			flush()
			continue
		}
		if paraStartRE.MatchString(l) || isCaps(l) {
			flush()
		}
		cur = append(cur, l)
	}
	flush()

	var out []candidate
	heading := "" // the last numbered paragraph: who the points below address
	for _, p := range paras {
		switch {
		case levelRomRE.MatchString(p):
			heading = ""
		case levelNumRE.MatchString(p):
			heading = p
		}
		times := deadlineRE.FindAllString(p, -1)
		if len(times) == 0 {
			continue
		}
		who := agencyPhrase(p)
		if who == "" || len(res.resolve(who).ids) == 0 {
			who = agencyPhrase(heading)
		}
		for _, t := range times {
			c := candidate{text: p, time: t, agencies: who}
			if who != "" {
				r := res.resolve(who)
				c.ids, c.unreadFor = r.ids, r.unresolved
			}
			out = append(out, c)
		}
	}
	return out
}

// agencyPhrase is who a paragraph addresses: "Trách nhiệm của X:" or a
// leading "X:" that names directory entries.
func agencyPhrase(p string) string {
	if p == "" {
		return ""
	}
	head := p
	if i := strings.Index(head, ":"); i >= 0 {
		head = head[:i+1]
	}
	if m := dutyOfRE.FindStringSubmatch(head); m != nil {
		return strings.TrimSpace(m[1])
	}
	if m := subjectRE.FindStringSubmatch(p); m != nil && !strings.Contains(m[1], "(") {
		return strings.TrimSpace(m[1])
	}
	return ""
}
