package transcript

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const figuresResults = `{"results": [
 {"name": "tcp-raw", "wire": {"client_sent_per_call": 16},
  "cells": [{"callers": 1, "p50_us": 154.739, "calls_per_sec_median": 6279.67, "client_cpu_share": 0.473},
            {"callers": 8, "calls_per_sec_median": 94641.7}]},
 {"name": "rest", "wire": {"client_sent_per_call": 169},
  "cells": [{"callers": 8, "calls_per_sec_median": 15600}]}
], "sweep": [
 {"name": "grpc", "cells": [{"kind": "numbers", "size": 1048576, "calls_per_sec": 59.4, "client_sent_per_call": 687104}]}
]}`

func checkFiguresOf(t *testing.T, page string) []error {
	t.Helper()
	dir := t.TempDir()
	res := filepath.Join(dir, "results.json")
	md := filepath.Join(dir, "PAGE.md")
	if err := os.WriteFile(res, []byte(figuresResults), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(md, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := LoadResults(res)
	if err != nil {
		t.Fatal(err)
	}
	return CheckFigures(md, r)
}

func TestFiguresRoundedAsWrittenPass(t *testing.T) {
	page := "A round trip: 155 µs<!--bench tcp-raw p50_us@1-->, or 154.7 µs<!--bench tcp-raw p50_us@1-->.\n" +
		"| 6.28k<!--bench tcp-raw calls_per_sec_median@1--> | 94.6k<!-- bench tcp-raw calls_per_sec_median@8 --> |\n" +
		"REST sends 169<!--bench rest wire.client_sent_per_call--> bytes; raw TCP is 6.1×<!--bench tcp-raw/rest calls_per_sec_median@8--> faster.\n"
	if errs := checkFiguresOf(t, page); len(errs) != 0 {
		t.Fatalf("want no error, got %v", errs)
	}
}

func TestSharesWrittenAsPercentagesAreScaled(t *testing.T) {
	if errs := checkFiguresOf(t, "The client is 47%<!--bench tcp-raw client_cpu_share@1--> busy.\n"); len(errs) != 0 {
		t.Fatalf("want no error, got %v", errs)
	}
	if errs := checkFiguresOf(t, "The client is 0.47<!--bench tcp-raw client_cpu_share@1--> busy; 47<!--bench tcp-raw client_cpu_share@1-->.\n"); len(errs) != 1 {
		t.Fatalf("want one error (a share without %% is not scaled), got %v", errs)
	}
}

func TestSweepFiguresNameTheirRowKindAndSize(t *testing.T) {
	page := "gRPC echoes 1 MB of numbers 59<!--bench sweep:grpc calls_per_sec@numbers:1048576--> times a second, " +
		"sending 687104<!--bench sweep:grpc client_sent_per_call@numbers:1048576--> bytes.\n"
	if errs := checkFiguresOf(t, page); len(errs) != 0 {
		t.Fatalf("want no error, got %v", errs)
	}
	if errs := checkFiguresOf(t, "1<!--bench sweep:grpc calls_per_sec@string:16--> 2<!--bench sweep:nope calls_per_sec@numbers:16-->\n"); len(errs) != 2 {
		t.Fatalf("want two errors, got %v", errs)
	}
}

func TestFigureThatTheBenchmarkNoLongerMeasuredFails(t *testing.T) {
	errs := checkFiguresOf(t, "It takes 60 µs<!--bench tcp-raw p50_us@1-->.\n")
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "PAGE.md:1: 60 says tcp-raw p50_us@1, the benchmark measured 154.7") {
		t.Fatalf("want one error naming both numbers, got %v", errs)
	}
}

func TestFigureReferencesThatDoNotResolveFail(t *testing.T) {
	page := "1<!--bench nope p50_us@1--> 2<!--bench tcp-raw p50_us@64--> 3<!--bench rest wire.nope--> <!--bench rest wire.client_sent_per_call-->\n"
	if errs := checkFiguresOf(t, page); len(errs) != 4 {
		t.Fatalf("want four errors, got %d: %v", len(errs), errs)
	}
}

func TestUpdateFiguresKeepsTheDigitsEachOneShows(t *testing.T) {
	dir := t.TempDir()
	res := filepath.Join(dir, "results.json")
	md := filepath.Join(dir, "PAGE.md")
	page := "It takes 60 µs<!--bench tcp-raw p50_us@1--> (1.0k<!--bench tcp-raw calls_per_sec_median@1--> calls/s, 94,000<!--bench tcp-raw calls_per_sec_median@8-->, 4.76k<!--bench tcp-raw calls_per_sec_median@8-->).\n"
	if err := os.WriteFile(res, []byte(figuresResults), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(md, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := LoadResults(res)
	if err != nil {
		t.Fatal(err)
	}
	n, err := UpdateFigures(md, r)
	if err != nil || n != 4 {
		t.Fatalf("UpdateFigures: %d changed, %v; want 4, nil", n, err)
	}
	data, _ := os.ReadFile(md)
	want := "It takes 155 µs<!--bench tcp-raw p50_us@1--> (6.3k<!--bench tcp-raw calls_per_sec_median@1--> calls/s, 94,642<!--bench tcp-raw calls_per_sec_median@8-->, 94.6k<!--bench tcp-raw calls_per_sec_median@8-->).\n"
	if string(data) != want {
		t.Fatalf("page after update:\n%s\nwant:\n%s", data, want)
	}
	if errs := CheckFigures(md, r); len(errs) != 0 {
		t.Fatalf("updated page does not check: %v", errs)
	}
}
