package notify

import (
	"reflect"
	"testing"

	"github.com/ninhthuan/nhachan/internal/model"
	"github.com/ninhthuan/nhachan/internal/schedule"
)

// A message names a group by its name, not by its members (a group may
// hold thousands of agencies: listing them in every item made Sở Nội vụ's
// copy of one day's reminders hundreds of megabytes), and an agency by the
// agency that answers for it on the deadline.
func TestRoleNames(t *testing.T) {
	merged := schedule.NewDate(2025, 6, 30)
	var agencies []*model.Agency
	for i := range 3000 {
		id := "co-quan-" + string(rune('a'+i%26)) + schedule.NewDate(2000, 1, 1).AddDays(i).String()
		agencies = append(agencies, &model.Agency{ID: id, Name: "Cơ quan " + id, Groups: []string{"cac-co-quan"},
			ValidFrom: schedule.MinDate, ValidUntil: schedule.MaxDate})
	}
	agencies = append(agencies,
		&model.Agency{ID: "so-khdt", Name: "Sở Kế hoạch và Đầu tư", ValidFrom: schedule.MinDate, ValidUntil: merged, Successors: []string{"so-tai-chinh"}},
		&model.Agency{ID: "so-tai-chinh", Name: "Sở Tài chính", ValidFrom: schedule.MinDate, ValidUntil: schedule.MaxDate},
		&model.Agency{ID: "ubnd-huyen", Name: "UBND huyện A", ValidFrom: schedule.MinDate, ValidUntil: merged},
	)
	dir := model.NewDirectory(agencies, []*model.Group{{ID: "cac-co-quan", Name: "Các cơ quan thử nghiệm"}})

	for _, c := range []struct {
		ids  []string
		on   schedule.Date
		want []string
	}{
		{[]string{"cac-co-quan"}, merged, []string{"Các cơ quan thử nghiệm"}},
		{[]string{"so-khdt", "cac-co-quan"}, merged, []string{"Sở Kế hoạch và Đầu tư", "Các cơ quan thử nghiệm"}},
		{[]string{"so-khdt"}, merged.AddDays(1), []string{"Sở Tài chính"}},
		{[]string{"so-khdt", "so-tai-chinh"}, merged.AddDays(1), []string{"Sở Tài chính"}},
		{[]string{"ubnd-huyen"}, merged.AddDays(1), nil},
		{nil, merged, nil},
	} {
		if got := roleNames(dir, c.ids, c.on); !reflect.DeepEqual(got, c.want) {
			t.Errorf("roleNames(%v, %s) = %q, want %q", c.ids, c.on, got, c.want)
		}
	}
}
