package main

import (
	"bufio"
	"crypto/rand"
	"flag"
	"fmt"
	"strings"

	"golang.org/x/crypto/bcrypt"

	"github.com/ninhthuan/nhachan/internal/signlink"
)

// cmdHashPassword reads a password from standard input (one line) and
// prints its bcrypt hash for the admins: section of the configuration, so
// that no password is ever written in a file.
func cmdHashPassword(e env, args []string) error {
	fs := flag.NewFlagSet("hash-password", flag.ContinueOnError)
	cost := fs.Int("cost", 12, "độ khó của bcrypt")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if e.stdin == nil {
		return usageError("nhachan hash-password: nhập mật khẩu qua đầu vào chuẩn (ví dụ: nhachan hash-password < tệp-mật-khẩu)")
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && line == "" {
		return usageError("nhachan hash-password: nhập mật khẩu qua đầu vào chuẩn (ví dụ: nhachan hash-password < tệp-mật-khẩu)")
	}
	pw := strings.TrimRight(line, "\r\n")
	if len(pw) < 10 {
		return usageError("nhachan hash-password: mật khẩu cần ít nhất 10 ký tự")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), *cost)
	if err != nil {
		return usageError("nhachan hash-password: %v", err)
	}
	fmt.Fprintln(e.stdout, string(h))
	return nil
}

// cmdKeygen prints a new signing key for links.key_file; the operator
// writes it to a file readable only by the service user.
func cmdKeygen(e env, args []string) error {
	fs := flag.NewFlagSet("keygen", flag.ContinueOnError)
	id := fs.String("id", "", "mã khóa, ví dụ 2027a (bắt buộc)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	k, err := signlink.GenerateKey(*id, rand.Reader)
	if err != nil {
		return usageError("nhachan keygen: %v", err)
	}
	_, err = e.stdout.Write(signlink.FormatKey(k))
	return err
}
