package schedule

import "testing"

func TestParseDateInput(t *testing.T) {
	for in, want := range map[string]string{
		"2027-01-15": "2027-01-15", "15/01/2027": "2027-01-15", "5/1/2027": "2027-01-05",
		" 15.01.2027 ": "2027-01-15", "15-01-2027": "2027-01-15", "29/02/2024": "2024-02-29",
	} {
		d, err := ParseDateInput(in)
		if err != nil || d.String() != want {
			t.Errorf("%q: got %v, %v; want %s", in, d, err, want)
		}
	}
	for _, in := range []string{"", "2027/01/15", "31/02/2027", "2027-02-30", "15/13/2027", "15/01/27", "mai", "01/15/2027"} {
		if d, err := ParseDateInput(in); err == nil {
			t.Errorf("%q: got %v, want an error", in, d)
		}
	}
}

func TestEveryKindHasALabel(t *testing.T) {
	for _, k := range []Kind{KindOneOff, KindAnnual, KindSemiannual, KindQuarterly, KindMonthly, KindWeekly, KindQuota, KindContinuous, KindOnDemand, KindUnresolved} {
		if k.Label() == string(k) {
			t.Errorf("kind %s has no Vietnamese label", k)
		}
	}
}
