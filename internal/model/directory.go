// Package model holds nhachan's domain types — agencies, schedules, tasks
// and planned occurrences — and the pure planning that ties them to the
// calendar. It imports nothing of ours but the pure schedule and calendar
// packages, and does no I/O.
package model

import (
	"sort"
	"strings"

	"github.com/ninhthuan/nhachan/internal/schedule"
)

// Head is the head of an agency, who receives escalations.
type Head struct {
	Title string
	Email string
}

// Agency is one body of the directory: a sở, ban, ngành, a district UBND.
// Agencies have a life: from ValidFrom to ValidUntil inclusive; a duty due
// after ValidUntil passes to Successors[0].
type Agency struct {
	ID         string
	Name       string
	ShortName  string
	Groups     []string
	Email      []string
	Head       Head
	ValidFrom  schedule.Date // schedule.MinDate when always existed
	ValidUntil schedule.Date // schedule.MaxDate when still alive
	Successors []string
	Note       string
}

// AliveOn reports whether the agency exists on day d.
func (a *Agency) AliveOn(d schedule.Date) bool { return d >= a.ValidFrom && d <= a.ValidUntil }

// Group is a named set of agencies, such as "Các Sở, ban, ngành".
type Group struct {
	ID   string
	Name string
}

// Directory is the validated agency directory. It is immutable once built.
type Directory struct {
	agencies map[string]*Agency
	groups   map[string]*Group
	order    []*Agency            // file order, for stable output
	members  map[string][]*Agency // group id -> agencies, file order
	byEmail  map[string]*Agency   // lower-cased address -> agency (own addresses first, then heads)
}

// NewDirectory builds a directory. The caller (config) has validated ids,
// references and successor cycles.
func NewDirectory(agencies []*Agency, groups []*Group) *Directory {
	d := &Directory{
		agencies: make(map[string]*Agency, len(agencies)),
		groups:   make(map[string]*Group, len(groups)),
		members:  make(map[string][]*Agency, len(groups)),
	}
	for _, g := range groups {
		d.groups[g.ID] = g
	}
	d.byEmail = make(map[string]*Agency)
	for _, a := range agencies {
		d.agencies[a.ID] = a
		d.order = append(d.order, a)
		for _, g := range a.Groups {
			d.members[g] = append(d.members[g], a)
		}
		for _, e := range a.Email {
			if k := strings.ToLower(e); d.byEmail[k] == nil {
				d.byEmail[k] = a
			}
		}
	}
	for _, a := range agencies {
		if k := strings.ToLower(a.Head.Email); k != "" && d.byEmail[k] == nil {
			d.byEmail[k] = a
		}
	}
	return d
}

// ByEmail returns the agency an address belongs to (one of its own
// addresses, else its head's), or nil.
func (d *Directory) ByEmail(addr string) *Agency { return d.byEmail[strings.ToLower(addr)] }

// Agency returns the agency with the id.
func (d *Directory) Agency(id string) (*Agency, bool) { a, ok := d.agencies[id]; return a, ok }

// Group returns the group with the id.
func (d *Directory) Group(id string) (*Group, bool) { g, ok := d.groups[id]; return g, ok }

// Agencies returns every agency in file order.
func (d *Directory) Agencies() []*Agency { return d.order }

// Groups returns every group sorted by id.
func (d *Directory) Groups() []*Group {
	out := make([]*Group, 0, len(d.groups))
	for _, g := range d.groups {
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Members returns the agencies that belong to group id, in file order.
func (d *Directory) Members(id string) []*Agency { return d.members[id] }

// Assignee is who answers for a duty on a given day after successor routing.
type Assignee struct {
	// Agency is the agency that answers, nil when unassigned.
	Agency *Agency
	// Named is the agency the schedule named (before routing).
	Named *Agency
}

// assigneeKey identifies an Assignee for de-duplication: the answering
// agency, or the named one when nobody answers.
type assigneeKey struct{ agency, named *Agency }

// Unassigned reports whether nobody answers for the duty.
func (a Assignee) Unassigned() bool { return a.Agency == nil }

// ID returns the answering agency's id, or the named agency's id when
// unassigned.
func (a Assignee) ID() string {
	if a.Agency != nil {
		return a.Agency.ID
	}
	return a.Named.ID
}

// Resolve expands agency and group ids into the agencies that answer on day
// on. Group members that did not yet exist on that day are left out (they
// were not members then); agencies that had ended pass the duty to their
// first successor, recursively. An ended agency with no successor yields an
// unassigned Assignee, never nothing. Results are de-duplicated by the
// answering agency and keep the order of ids and of the directory.
func (d *Directory) Resolve(ids []string, on schedule.Date) []Assignee {
	var out []Assignee
	// Small results (the usual few dozen) are de-duplicated by a linear
	// scan, which beats a map; past linearLimit a set takes over, so that
	// a group of thousands of agencies stays linear, not quadratic.
	const linearLimit = 128
	var seen map[assigneeKey]bool
	add := func(a *Agency, fromGroup bool) {
		if fromGroup && on < a.ValidFrom {
			return
		}
		as := d.route(a, on)
		k := assigneeKey{as.Agency, as.Named}
		if as.Agency != nil {
			k.named = nil
		}
		if seen != nil {
			if seen[k] {
				return
			}
			seen[k] = true
			out = append(out, as)
			return
		}
		for _, o := range out {
			if o.Agency == as.Agency && (as.Agency != nil || o.Named == as.Named) {
				return
			}
		}
		out = append(out, as)
		if len(out) == linearLimit {
			seen = make(map[assigneeKey]bool, 2*linearLimit)
			for _, o := range out {
				ok := assigneeKey{o.Agency, o.Named}
				if o.Agency != nil {
					ok.named = nil
				}
				seen[ok] = true
			}
		}
	}
	for _, id := range ids {
		if a, ok := d.agencies[id]; ok {
			add(a, false)
			continue
		}
		for _, a := range d.members[id] {
			add(a, true)
		}
	}
	return out
}

// route follows successors from named until an agency alive on day on;
// the Assignee is unassigned when the chain ends first.
func (d *Directory) route(named *Agency, on schedule.Date) Assignee {
	a, ok := d.walk(named, on)
	if !ok {
		return Assignee{Named: named}
	}
	return Assignee{Agency: a, Named: named}
}

// walk follows the successor chain; it returns the last agency reached and
// whether that agency is alive on day on.
func (d *Directory) walk(named *Agency, on schedule.Date) (*Agency, bool) {
	a := named
	for hops := 0; hops <= len(d.agencies); hops++ {
		if on < a.ValidFrom || on <= a.ValidUntil || len(a.Successors) == 0 {
			return a, a.AliveOn(on)
		}
		next, ok := d.agencies[a.Successors[0]]
		if !ok {
			return a, false
		}
		a = next
	}
	return a, false // a cycle: config rejects these
}

// WhyUnassigned explains, in Vietnamese for officials, why nobody answers
// on day on for a duty named to the agency; "" when somebody does.
func (d *Directory) WhyUnassigned(named *Agency, on schedule.Date) string {
	a, ok := d.walk(named, on)
	switch {
	case ok:
		return ""
	case on < a.ValidFrom:
		return "Cơ quan " + a.Name + " chưa được thành lập vào ngày " + on.VN() + "."
	case len(a.Successors) == 0:
		return "Cơ quan " + a.Name + " đã chấm dứt hoạt động từ ngày " + a.ValidUntil.AddDays(1).VN() +
			" và không có cơ quan kế thừa trong danh bạ."
	}
	return "Không xác định được cơ quan kế thừa của " + named.Name + "."
}
