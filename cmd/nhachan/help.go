package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"syscall"

	"github.com/ninhthuan/nhachan/internal/config"
)

// cmdDoc is what `nhachan help` says of one command: its synopsis (every
// flag, as the README's CLI section writes it) and what it does, in
// Vietnamese for the admins and officials who run it.
type cmdDoc struct {
	name, synopsis, about string
}

var cmdDocs = []cmdDoc{
	{"check", "[--config FILE] [--quiet] [--impact] [--db PATH]",
		"Kiểm tra tệp cấu hình, danh bạ cơ quan, ngày nghỉ và các kế hoạch; lỗi in dạng tệp:dòng:cột. Chạy sau mỗi lần sửa cấu hình. Với --impact: so sánh với các nghĩa vụ trong cơ sở dữ liệu và in, theo từng kế hoạch và nhiệm vụ, những gì lần nạp lại sẽ thêm, dời, bỏ (không thay đổi gì)."},
	{"explain", "[--year Y] [--json] [--strict-before] [--working-days-before N] [--data-cutoff TEXT] [--config FILE] EXPR",
		"Giải thích cách đọc một biểu thức thời hạn (ví dụ \"Quý I hàng năm\") và các ngày hạn trong kỳ Y."},
	{"plan", "--from D --to D [--agency ID] [--task PLAN/ID] [--lead-only] [--format table|json|csv] [--config FILE]",
		"Liệt kê mọi nghĩa vụ có hạn trong khoảng ngày, mỗi dòng một cơ quan và vai trò."},
	{"calendar", "--year Y [--json] [--config FILE]",
		"Các ngày nghỉ lễ, nghỉ bù, nghỉ hoán đổi trong năm; ngày chưa có thông báo chính thức được đánh dấu."},
	{"serve", "[--config FILE] [--db PATH] [--smtp URL] [--listen ADDR] [--public-url URL] [--trusted-proxies CIDR,…] [--behind-local-proxy] [--metrics-listen ADDR] [--allow-root]",
		"Chạy dịch vụ nhắc hạn: gửi thư nhắc, thư quá hạn và mở trang web. Dừng bằng Ctrl+C (SIGINT) hoặc SIGTERM; SIGHUP nạp lại cấu hình."},
	{"simulate", "--from D --to D [--db PATH] [--smtp URL] [--public-url URL] [--quiet] [--resources] [--config FILE]",
		"Mô phỏng dịch vụ trên đồng hồ ảo trong khoảng ngày và in thư được gửi mỗi ngày (không đụng tới cơ sở dữ liệu thật)."},
	{"submit", "--task PLAN/ID --agency ID --period P [--ref SỐ-KÝ-HIỆU] [--date D] [--note T] [--db PATH] [--by NAME] [--config FILE]",
		"Ghi nhận một cơ quan đã nộp báo cáo cho một kỳ: các thư nhắc sau đó dừng lại."},
	{"waive", "--task PLAN/ID --agency ID --period P --reason T [--db PATH] [--by NAME] [--config FILE]",
		"Miễn thực hiện một nghĩa vụ, có ghi lý do."},
	{"extend", "--task PLAN/ID --agency ID --period P --until D --reason T [--db PATH] [--by NAME] [--config FILE]",
		"Gia hạn một nghĩa vụ đến ngày mới, có ghi lý do."},
	{"status", "[--year Y] [--agency ID] [--db PATH] [--by NAME] [--config FILE]",
		"Liệt kê các nghĩa vụ của năm với trạng thái như trên bảng theo dõi, kèm gia hạn và miễn."},
	{"import", "--plan ID [--out FILE] [--config FILE] DOCUMENT",
		"Đọc quyết định đã ban hành (.docx hoặc văn bản sao chép từ cổng pháp luật) và lập bản nháp tệp kế hoạch: phần đầu, mỗi dòng Phụ lục một nhiệm vụ, cơ quan theo danh bạ; chỗ chưa đọc chắc chắn được đánh dấu review."},
	{"import-agencies", "[--dry-run] [--config FILE] FILE.csv|FILE.xlsx",
		"Thêm hoặc cập nhật hàng loạt cơ quan trong danh bạ từ tệp CSV hoặc Excel, sau khi kiểm tra như check; có lỗi thì không ghi gì."},
	{"import-submissions", "[--db PATH] [--by NAME] [--config FILE] FILE.csv",
		"Nhập các báo cáo đã nộp từ tệp CSV có dòng tiêu đề task,agency,period,ref,date,note; một dòng sai thì không nhập gì."},
	{"report", "--year Y --format csv|xlsx|html [--out FILE] [--db PATH] [--config FILE]",
		"Báo cáo tình hình thực hiện trong năm theo từng cơ quan."},
	{"backup", "--to FILE [--db PATH] [--config FILE]",
		"Sao lưu cơ sở dữ liệu khi dịch vụ đang chạy."},
	{"restore", "--from FILE [--db PATH] [--config FILE] [--force]",
		"Khôi phục cơ sở dữ liệu từ bản sao lưu (dừng dịch vụ trước)."},
	{"calendar-url", "--agency ID [--valid-days N] [--public-url URL] [--config FILE]",
		"In địa chỉ lịch (.ics) của một cơ quan để đăng ký trong Outlook, Thunderbird hoặc điện thoại."},
	{"send-test", "--to ADDR [--smtp URL] [--config FILE]",
		"Gửi một thư thử qua đường gửi thư đã cấu hình."},
	{"healthcheck", "[--url URL] [--timeout DURATION]",
		"Hỏi /healthz của dịch vụ; thoát 0 khi dịch vụ khỏe."},
	{"hash-password", "[--cost N] < password",
		"In mã băm bcrypt của mật khẩu đọc từ đầu vào, để ghi vào admins: trong cấu hình."},
	{"keygen", "--id ID > link.key",
		"In một khóa ký liên kết mới cho links.key_file."},
	{"version", "", "In phiên bản."},
	{"help", "[CMD]", "In hướng dẫn này, hoặc hướng dẫn của một lệnh."},
}

func docOf(name string) (cmdDoc, bool) {
	for _, d := range cmdDocs {
		if d.name == name {
			return d, true
		}
	}
	return cmdDoc{}, false
}

func commandNames() []string {
	var out []string
	for _, d := range cmdDocs {
		out = append(out, d.name)
	}
	return out
}

// topUsage is `nhachan help`.
func topUsage() string {
	var b strings.Builder
	b.WriteString("nhachan — nhắc hạn: theo dõi và nhắc hạn các nhiệm vụ trong kế hoạch hành chính\n\nCách dùng:\n")
	for _, d := range cmdDocs {
		fmt.Fprintf(&b, "  %s\n", strings.TrimSpace("nhachan "+d.name+" "+d.synopsis))
	}
	b.WriteString(`
Ngày viết dd/mm/yyyy (15/01/2027) hoặc YYYY-MM-DD (2027-01-15). --config mặc định là ` + config.DefaultPath + `.
Mã thoát: 0 thành công, 1 thất bại, 2 lỗi cấu hình hoặc cách dùng.
Hướng dẫn chi tiết một lệnh: nhachan help LỆNH  hoặc  nhachan LỆNH --help
`)
	return b.String()
}

// helpRequested is returned by parseFlags for -h, -help or --help: run
// prints the command's help on stdout and exits 0.
type helpRequested struct{ fs *flag.FlagSet }

func (h helpRequested) Error() string { return "help requested" }

// commandHelp is `nhachan CMD --help`: the synopsis, what the command
// does and every flag of its FlagSet with its default.
func commandHelp(fs *flag.FlagSet) string {
	var b strings.Builder
	d, _ := docOf(fs.Name())
	fmt.Fprintf(&b, "Cách dùng: nhachan %s %s\n\n%s\n", fs.Name(), d.synopsis, d.about)
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		b.WriteString("\nTùy chọn:\n")
	}
	takesDate := false
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		head := "  --" + f.Name
		if name != "" {
			ph := placeholder(fs.Name(), f, name)
			takesDate = takesDate || ph == "D"
			head += " " + ph
		}
		fmt.Fprintf(&b, "%-28s %s", head, usage)
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			fmt.Fprintf(&b, " (mặc định %s)", f.DefValue)
		}
		b.WriteByte('\n')
	})
	if takesDate {
		b.WriteString("\nNgày viết dd/mm/yyyy (15/01/2027) hoặc YYYY-MM-DD (2027-01-15).\n")
	}
	return b.String()
}

// placeholder names a flag's value as the synopsis does.
func placeholder(cmd string, f *flag.Flag, typ string) string {
	switch f.Name {
	case "from", "to":
		switch cmd {
		case "backup", "restore":
			return "FILE"
		case "send-test":
			return "ADDR"
		}
		return "D"
	case "config", "out":
		return "FILE"
	case "db":
		return "PATH"
	case "task":
		return "PLAN/ID"
	case "agency", "id", "plan":
		return "ID"
	case "year":
		return "Y"
	case "period":
		return "P"
	case "date", "until":
		return "D"
	case "smtp", "public-url", "url":
		return "URL"
	case "listen", "metrics-listen":
		return "ADDR"
	case "trusted-proxies":
		return "CIDR"
	case "by":
		return "NAME"
	case "reason", "note":
		return "T"
	case "data-cutoff":
		return "TEXT"
	}
	switch typ {
	case "int":
		return "N"
	case "duration":
		return "DURATION"
	}
	return "X"
}

var (
	reUndefined = regexp.MustCompile(`^flag provided but not defined: -+(.*)$`)
	reNeedsArg  = regexp.MustCompile(`^flag needs an argument: -+(.*)$`)
	reBadValue  = regexp.MustCompile(`^invalid (?:boolean )?value "(.*)" for flag -+([^:]*): (.*)$`)
	reBadSyntax = regexp.MustCompile(`^bad flag syntax: (.*)$`)
)

// flagError reads the flag package's errors in Vietnamese, suggesting the
// nearest flag for a misspelled one.
func flagError(fs *flag.FlagSet, err error) error {
	msg := err.Error()
	var vn string
	switch {
	case reUndefined.MatchString(msg):
		name := reUndefined.FindStringSubmatch(msg)[1]
		var names []string
		fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
		sort.Strings(names)
		vn = fmt.Sprintf("không có tùy chọn --%s", name)
		if s := config.Suggest(name, names); len(s) > 0 {
			vn += "; có phải là --" + strings.Join(s, " hoặc --") + "?"
		}
	case reNeedsArg.MatchString(msg):
		vn = fmt.Sprintf("tùy chọn --%s cần một giá trị", reNeedsArg.FindStringSubmatch(msg)[1])
	case reBadValue.MatchString(msg):
		m := reBadValue.FindStringSubmatch(msg)
		what := "không hợp lệ"
		if strings.Contains(m[3], "parse error") || strings.Contains(m[3], "invalid syntax") {
			switch {
			case strings.Contains(msg, "boolean"):
				what = "không phải true hoặc false"
			case strings.Contains(m[3], "time: "):
				what = "không phải một khoảng thời gian (ví dụ 5s, 1m)"
			default:
				what = "không phải một số nguyên"
			}
		} else if strings.Contains(m[3], "time: ") {
			what = "không phải một khoảng thời gian (ví dụ 5s, 1m)"
		}
		vn = fmt.Sprintf("giá trị %q của --%s %s", m[1], m[2], what)
	case reBadSyntax.MatchString(msg):
		vn = fmt.Sprintf("tùy chọn viết sai: %s", reBadSyntax.FindStringSubmatch(msg)[1])
	default:
		vn = msg
	}
	return usageError("nhachan %s: %s\nXem: nhachan %s --help", fs.Name(), vn, fs.Name())
}

// onHelp, when set (by tests), sees the FlagSet of each help printed.
var onHelp func(*flag.FlagSet)

// printHelp handles a helpRequested error: true when err was one.
func printHelp(w io.Writer, err error) bool {
	var h helpRequested
	if !errors.As(err, &h) {
		return false
	}
	if onHelp != nil {
		onHelp(h.fs)
	}
	fmt.Fprint(w, commandHelp(h.fs))
	return true
}

// listenProblem says in Vietnamese why serve cannot take its address.
func listenProblem(addr string, err error) string {
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		return fmt.Sprintf("nhachan serve: địa chỉ %s đang được một chương trình khác dùng (có thể là một nhachan serve khác). "+
			"Dừng chương trình đó, hoặc chọn cổng khác: nhachan serve --listen 127.0.0.1:8081 (với make: make run LISTEN=127.0.0.1:8081). "+
			"Chưa có gì được ghi vào cơ sở dữ liệu.", addr)
	case errors.Is(err, syscall.EACCES):
		return fmt.Sprintf("nhachan serve: không có quyền mở địa chỉ %s (cổng dưới 1024 cần quyền quản trị); chọn cổng từ 1024 trở lên, ví dụ --listen 127.0.0.1:8080", addr)
	}
	return fmt.Sprintf("nhachan serve: không mở được địa chỉ %s: %v (ví dụ đúng: --listen 127.0.0.1:8080)", addr, err)
}
