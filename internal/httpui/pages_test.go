package httpui

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestBoard(t *testing.T) {
	f := newFixture(t)
	code, body := f.get("/")
	if code != http.StatusOK {
		t.Fatalf("GET / = %d\n%s", code, body)
	}
	for _, want := range []string{
		"Bảng theo dõi thực hiện nhiệm vụ năm 2026",
		`<meta name="viewport"`,
		"Đã nộp đúng hạn: 1", "Nộp muộn: 1", "Trong hạn: 2", "Sắp đến hạn (≤ 7 ngày): 1", "Quá hạn: 1", "Miễn/gia hạn: 2",
		"Đang hiển thị 8 nghĩa vụ.",
		"Sở Tư pháp", "Sở Nội vụ",
		`href="/cong-viec/T1?nam=2026"`, `href="/co-quan/stp?nam=2026"`,
		fmt.Sprintf(`class="chip s-qua-han" href="/nghia-vu/%d"`, f.ids["overdue"]),
		fmt.Sprintf(`class="chip s-dung-han" href="/nghia-vu/%d"`, f.ids["ontime"]),
		fmt.Sprintf(`class="chip s-nop-muon" href="/nghia-vu/%d"`, f.ids["late"]),
		fmt.Sprintf(`class="chip s-sap-den-han" href="/nghia-vu/%d"`, f.ids["soon"]),
		fmt.Sprintf(`class="chip s-mien-gia-han" href="/nghia-vu/%d"`, f.ids["extended"]),
		`<option value="2026" selected>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("board lacks %q", want)
		}
	}
	if strings.Contains(body, fmt.Sprintf("/nghia-vu/%d\"", f.ids["lastyear"])) {
		t.Error("board of 2026 shows a duty of 2025")
	}
	if strings.Contains(body, "<script") {
		t.Error("board has a script element")
	}
}

func TestBoardFilters(t *testing.T) {
	f := newFixture(t)
	link := func(name string) string { return fmt.Sprintf(`href="/nghia-vu/%d"`, f.ids[name]) }
	for _, tc := range []struct {
		name, query string
		shown       int
		want, not   []string
	}{
		{"agency", "co-quan=stp", 2, []string{link("ontime"), link("soon")}, []string{link("late"), link("overdue")}},
		{"task", "cong-viec=T1", 3, []string{link("ontime"), link("late"), link("waived")}, []string{link("soon")}},
		{"state", "trang-thai=qua-han", 1, []string{link("overdue"), "Đã nộp đúng hạn: 1"}, []string{link("ontime")}},
		{"all three", "nam=2026&co-quan=snv&cong-viec=T2&trang-thai=mien-gia-han", 1, []string{link("extended")}, []string{link("intime")}},
		{"last year", "nam=2025", 1, []string{link("lastyear"), "năm 2025"}, []string{link("ontime")}},
		{"empty year", "nam=2031", 0, []string{"Không có nghĩa vụ nào phù hợp"}, nil},
		{"hostile task", "cong-viec=" + url.QueryEscape(evilTask), 1, []string{link("hostile")}, []string{link("overdue")}},
		{"empty values", "nam=&co-quan=&cong-viec=&trang-thai=", 8, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body := f.get("/?" + tc.query)
			if code != http.StatusOK {
				t.Fatalf("GET /?%s = %d\n%s", tc.query, code, body)
			}
			if want := fmt.Sprintf("Đang hiển thị %d nghĩa vụ.", tc.shown); !strings.Contains(body, want) {
				t.Errorf("lacks %q", want)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("lacks %q", w)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(body, n) {
					t.Errorf("has %q", n)
				}
			}
		})
	}
}

func TestBadFilters(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct{ target, want string }{
		{"/?nam=abc", "Năm “abc” không hợp lệ"},
		{"/?nam=1999", "từ 2000 đến 2100"},
		{"/?nam=2026.5", "không hợp lệ"},
		{"/?nam=99999999999999999999", "không hợp lệ"},
		{"/?co-quan=khong-co", "Không có cơ quan mã “khong-co”"},
		{"/?cong-viec=X9", "Không có nhiệm vụ mã “X9”"},
		{"/?trang-thai=tot", "Trạng thái “tot” không hợp lệ"},
		{"/?co-quan=" + url.QueryEscape(`<script>alert(1)</script>`), "&lt;script&gt;"},
		{"/?co-quan=" + url.QueryEscape("x@evil.example"), "[địa chỉ đã ẩn]"},
		{"/?cong-viec=" + strings.Repeat("a", 500), "…"},
		{"/cong-viec/T1?nam=abc", "Năm “abc” không hợp lệ"},
		{"/co-quan/stp?nam=3000", "không hợp lệ"},
	} {
		t.Run(tc.target, func(t *testing.T) {
			code, body := f.get(tc.target)
			if code != http.StatusBadRequest {
				t.Fatalf("GET %s = %d, want 400", tc.target, code)
			}
			if !strings.Contains(body, "Yêu cầu không hợp lệ") || !strings.Contains(body, tc.want) {
				t.Errorf("GET %s: page lacks %q:\n%s", tc.target, tc.want, body)
			}
			if strings.Contains(body, "<script>") || strings.Contains(body, strings.Repeat("a", 100)) {
				t.Errorf("GET %s: the value is echoed raw", tc.target)
			}
		})
	}
}

func TestTaskPage(t *testing.T) {
	f := newFixture(t)
	code, body := f.get("/cong-viec/T1")
	if code != http.StatusOK {
		t.Fatalf("= %d\n%s", code, body)
	}
	for _, want := range []string{"Nhiệm vụ T1 — năm 2026", "Báo cáo công tác cải cách hành chính quý I",
		"Kế hoạch cải cách hành chính năm 2026", "trước ngày 20/3 hằng năm", "Sở Tư pháp", "Sở Nội vụ",
		"Đã nộp đúng hạn", "18/03/2026", `href="/cong-viec/T1?nam=2025"`,
		fmt.Sprintf(`href="/nghia-vu/%d"`, f.ids["waived"])} {
		if !strings.Contains(body, want) {
			t.Errorf("task page lacks %q", want)
		}
	}
	if _, body := f.get("/cong-viec/T1?nam=2025"); !strings.Contains(body, fmt.Sprintf(`href="/nghia-vu/%d"`, f.ids["lastyear"])) {
		t.Error("task page of 2025 lacks the 2025 duty")
	}
	if code, _ := f.get("/cong-viec/" + url.PathEscape(evilTask)); code != http.StatusOK {
		t.Errorf("hostile task page = %d", code)
	}
}

func TestAgencyPage(t *testing.T) {
	f := newFixture(t)
	code, body := f.get("/co-quan/snv?nam=2026")
	if code != http.StatusOK {
		t.Fatalf("= %d\n%s", code, body)
	}
	for _, want := range []string{"Sở Nội vụ — năm 2026", "Nộp muộn", "Miễn/gia hạn", "Trong hạn", "Kế hoạch kiểm tra",
		fmt.Sprintf(`href="/nghia-vu/%d"`, f.ids["late"]), fmt.Sprintf(`href="/nghia-vu/%d"`, f.ids["extended"])} {
		if !strings.Contains(body, want) {
			t.Errorf("agency page lacks %q", want)
		}
	}
	if strings.Contains(body, fmt.Sprintf(`href="/nghia-vu/%d"`, f.ids["ontime"])) {
		t.Error("agency page lists another agency's duty")
	}
}

func TestOccurrencePage(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		name       string
		want, lack []string
	}{
		{"overdue", []string{"Quá hạn", "29/05/2026", "Diễn biến",
			"Nhắc trước 7 ngày — thư nhắc hạn", "Người nhận: " + "&lt;script&gt;", "Đã gửi", "08:01 22/05/2026",
			"Nhắc trước 7 ngày — thư theo dõi (nhắc hạn)", "Người nhận: Lãnh đạo Sở Nội vụ",
			"Thông báo quá hạn lần 1 — thông báo quá hạn", "Người nhận: Giám đốc &lt;script&gt;",
			"Người nhận: Người nhận khác (địa chỉ đã ẩn)", "Gửi không thành công"},
			// The server's reply and errors are for the admin pages.
			[]string{"Máy chủ thư trả lời", "250 2.0.0", "Lỗi gần nhất", "550 5.1.1"}},
		{"ontime", []string{"Đã nộp đúng hạn", "Ghi nhận đã nộp", "Ngày nộp: 18/03/2026", "Số, ký hiệu văn bản: 12/BC-STP",
			"Ghi nhận qua: trang quản trị", "Sở Tư pháp"}, []string{"Ghi chú: gửi bởi", "chuyenvien"}},
		{"waived", []string{"Miễn thực hiện"}, []string{"Không phát sinh nội dung báo cáo"}},
		{"extended", []string{"Gia hạn", "Từ hạn 01/06/2026 đến hạn 31/07/2026", "Hạn sau gia hạn"}, []string{"Chờ số liệu của Bộ"}},
		{"intime", []string{"Trong hạn", "Chưa có thư nào được gửi"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body := f.get(fmt.Sprintf("/nghia-vu/%d", f.ids[tc.name]))
			if code != http.StatusOK {
				t.Fatalf("= %d\n%s", code, body)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("lacks %q", w)
				}
			}
			for _, w := range tc.lack {
				if strings.Contains(body, w) {
					t.Errorf("shows %q, which is for admins only", w)
				}
			}
			if strings.Count(body, "Ghi nhận đã nộp") > 1 || strings.Count(body, "<strong>Gia hạn") > 1 {
				t.Error("an audit row repeats an event already listed")
			}
		})
	}
}

func TestNotFound(t *testing.T) {
	f := newFixture(t)
	for _, target := range []string{"/khong-co", "/cong-viec/X9", "/co-quan/khong-co", "/nghia-vu/999999",
		"/nghia-vu/abc", "/nghia-vu/-1", "/nghia-vu/0", "/static/khong-co.css", "/static/", "/static/..%2fserver.go", "/static/%2e%2e", "/cong-viec/", "/nghia-vu/1/x"} {
		code, body := f.get(target)
		if code != http.StatusNotFound || !strings.Contains(body, "Không tìm thấy trang") {
			t.Errorf("GET %s = %d, want the Vietnamese 404\n%s", target, code, body)
		}
	}
}

func TestMethodNotAllowed(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct{ method, target string }{
		{http.MethodPost, "/"}, {http.MethodPut, "/nghia-vu/1"}, {http.MethodDelete, "/co-quan/stp"},
		{http.MethodPost, "/cong-viec/T1"}, {http.MethodPost, "/healthz"}, {http.MethodPatch, "/metrics"},
	} {
		res := f.do(tc.method, tc.target)
		if res.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("%s %s = %d, want 405", tc.method, tc.target, res.StatusCode)
			continue
		}
		if allow := res.Header.Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "HEAD") {
			t.Errorf("%s %s: Allow = %q", tc.method, tc.target, allow)
		}
		res.Body.Close()
	}
	if code, body := f.request(http.MethodPost, "/"); code != http.StatusMethodNotAllowed || !strings.Contains(body, "Phương thức không được hỗ trợ") {
		t.Errorf("POST / = %d, want the Vietnamese 405\n%s", code, body)
	}
}

func TestHeadHasNoBody(t *testing.T) {
	f := newFixture(t)
	srv := newTestServer(t, f)
	res, err := http.Head(srv + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Errorf("HEAD / = %d %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
}
