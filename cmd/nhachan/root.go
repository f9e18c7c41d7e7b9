package main

import "os"

// geteuid is os.Geteuid; tests replace it.
var geteuid = os.Geteuid

// refuseRoot is serve's guard: the daemon needs no privilege (a dedicated
// user owns its state folder), so running it as root is a mistake unless
// the operator says otherwise with --allow-root (a container whose user
// namespace maps root, a test machine).
func refuseRoot(allowRoot bool) error {
	if allowRoot || geteuid() != 0 {
		return nil
	}
	return exitError{code: exitConfig, msg: "nhachan serve: từ chối chạy bằng tài khoản root: hãy chạy bằng một tài khoản riêng " +
		"(dịch vụ systemd dùng User=nhachan, ảnh Docker dùng USER nonroot), hoặc thêm --allow-root nếu thực sự cần"}
}
