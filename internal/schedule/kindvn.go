package schedule

var kindLabels = map[Kind]string{
	KindOneOff:     "một lần",
	KindAnnual:     "hằng năm",
	KindSemiannual: "6 tháng một lần",
	KindQuarterly:  "hằng quý",
	KindMonthly:    "hằng tháng",
	KindWeekly:     "hằng tuần",
	KindQuota:      "chỉ tiêu số lần trong kỳ",
	KindContinuous: "thường xuyên (không có hạn cụ thể)",
	KindOnDemand:   "theo yêu cầu (chưa có hạn)",
	KindUnresolved: "chưa xác định được hạn",
}

// Label is the kind in Vietnamese, for what officials and admins read;
// the Kind's own value stays the stable code of JSON output.
func (k Kind) Label() string {
	if l, ok := kindLabels[k]; ok {
		return l
	}
	return string(k)
}
