package httpui

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/report"
	"github.com/ninhthuan/nhachan/internal/signlink"
)

// An agency's iCalendar feed lives at /lich/<token>.ics, where the token is
// a signlink token with Action calendar, Occurrence 0 and Agency the
// agency's id (`nhachan calendar-url` prints it). The URL is the
// credential: calendar clients cannot log in, and the token names one
// agency, so it reads that agency's duties only.

// Feed parameters.
const (
	// feedPathSuffix ends every feed URL; the mux cannot match a wildcard
	// inside a segment, so the handler checks it.
	feedPathSuffix = ".ics"
	// feedPastDays and feedFutureDays bound the deadlines a feed holds
	// around today: a year back (what was done), two ahead (what is owed).
	feedPastDays   = 365
	feedFutureDays = 2 * 365
	contentTypeICS = "text/calendar; charset=utf-8"
)

// feedAlarmDays are the days before a deadline at which a subscribed
// calendar reminds the agency.
var feedAlarmDays = []int{7, 1}

// calendarFeed serves GET /lich/{file}: the agency's feed when file is a
// valid calendar token followed by ".ics". A path without the suffix is
// the Vietnamese 404; a token that is malformed, forged, expired, signed
// by a retired key or made for another action is a plain-text 403 (its
// reader is a calendar client, not a person), and the reason goes to the
// log only. Without a signer (links.key_file unset) there are no feeds.
func (s *Server) calendarFeed(w http.ResponseWriter, r *http.Request) {
	token, ok := strings.CutSuffix(r.PathValue("file"), feedPathSuffix)
	rt := s.Runtime() // one snapshot for the whole request
	links := rt.Links
	if !ok || links == nil {
		s.notFound(w, r)
		return
	}
	now := s.Now()
	c, err := links.Verify(token, now)
	if err == nil && (c.Action != signlink.ActionCalendar || c.Occurrence != 0) {
		err = errors.New("token for action " + string(c.Action) + ", not calendar")
	}
	if err != nil {
		s.rejectLog().Err(err).Str("path", "/lich/…").Msg("calendar feed refused")
		feedForbidden(w, "Liên kết lịch không hợp lệ hoặc đã hết hạn. Xin liên hệ Sở Nội vụ để nhận liên kết mới.")
		return
	}
	st := rt.Setup
	today := s.today(st)
	recs, err := s.Store.AgencyRecords(r.Context(), c.Agency, today.AddDays(-feedPastDays), today.AddDays(feedFutureDays))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	agency := &model.Agency{ID: c.Agency, Name: c.Agency}
	if dir := directory(st); dir != nil {
		if a, ok := dir.Agency(c.Agency); ok {
			agency = a
		}
	}
	// Events name tasks as the pages do: PLAN/ID where two plans share an id.
	for i := range recs {
		recs[i].TaskID = taskRef(st, recs[i].ScheduleID, recs[i].TaskID)
	}
	tasks := func(scheduleID, ref string) *model.Task {
		_, id := model.SplitTaskRef(ref)
		return findTask(st, scheduleID, id)
	}
	ics, err := report.Calendar(agency, recs, tasks, now.In(location(st)), feedAlarmDays)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", contentTypeICS)
	h.Set("Content-Disposition", `inline; filename="lich.ics"`)
	h.Set("Content-Length", strconv.Itoa(len(ics)))
	w.WriteHeader(http.StatusOK)
	w.Write([]byte(ics))
}

// feedForbidden answers 403 with a short plain-text message.
func feedForbidden(w http.ResponseWriter, msg string) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusForbidden)
	w.Write([]byte(msg + "\n"))
}
