package duty

import "github.com/ninhthuan/nhachan/internal/schedule"

// Dated is an address in use from ValidFrom to ValidUntil inclusive, like
// an agency: the provincial leadership of Ninh Thuận is not Khánh Hòa's.
// Zero bounds are open.
type Dated struct {
	Addr                  string
	ValidFrom, ValidUntil schedule.Date
}

// AliveOn reports whether the address is in use on day d.
func (a Dated) AliveOn(d schedule.Date) bool {
	return (a.ValidFrom == 0 || d >= a.ValidFrom) && (a.ValidUntil == 0 || d <= a.ValidUntil)
}

// AddrsOn returns the addresses of list in use on day d.
func AddrsOn(list []Dated, d schedule.Date) []string {
	var out []string
	for _, a := range list {
		if a.AliveOn(d) {
			out = append(out, a.Addr)
		}
	}
	return out
}

// Always wraps plain addresses as always in use.
func Always(addrs ...string) []Dated {
	out := make([]Dated, len(addrs))
	for i, a := range addrs {
		out[i] = Dated{Addr: a}
	}
	return out
}

// Contact is the follow-up agency's desk, which every letter names at its
// foot for questions: the desk (a division of Sở Nội vụ), its mailbox,
// phone and street address.
type Contact struct {
	Desk, Addr, Phone, Address string
}

// DatedContact is a desk of the follow-up agency with the days it is in
// use (zero bounds are open).
type DatedContact struct {
	Contact
	ValidFrom, ValidUntil schedule.Date
}

// ContactOn returns the desk in use on day d; ok is false when none is.
func ContactOn(list []DatedContact, d schedule.Date) (Contact, bool) {
	for _, c := range list {
		if (Dated{ValidFrom: c.ValidFrom, ValidUntil: c.ValidUntil}).AliveOn(d) {
			return c.Contact, true
		}
	}
	return Contact{}, false
}
