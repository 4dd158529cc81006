package main

import (
	"strings"
	"testing"
)

func TestReportMarksEachExerciseAndShowsTheFirstUnsolved(t *testing.T) {
	list := []exercise{
		{id: "01.1", lesson: 1, level: warmUp, title: text{"First", "第一"}, file: "01-x/exercises/a.go", test: "TestA",
			hints: []text{{"hint a", "提示 a"}}},
		{id: "01.2", lesson: 1, level: core, title: text{"Second", "第二"}, file: "01-x/exercises/b.go", test: "TestB",
			hints: []text{{"hint b1", "提示 b1"}, {"hint b2", "提示 b2"}}},
		{id: "01.3", lesson: 1, level: stretch, title: text{"Third", "第三"}, file: "01-x/exercises/c.go", test: "TestC",
			peer: brokerPeer, hints: []text{{"hint c", "提示 c"}}},
		{id: "02.1", lesson: 2, level: warmUp, title: text{"Fourth", "第四"}, file: "02-y/exercises/d.go", test: "TestD",
			hints: []text{{"hint d", "提示 d"}}},
	}
	results := map[string]*result{
		"01.1": {status: passed},
		"01.2": {status: failed, output: []string{
			"=== RUN   TestB",
			"2026/12/01 15:29:55 a library logs a line",
			"  and an indented one",
			"    b_test.go:12: B() = 0; want 5",
			"--- FAIL: TestB (0.00s)",
		}},
		"01.3": {status: skipped, output: []string{"    c_test.go:3: no broker for this test"}},
	}
	var b strings.Builder
	report(&b, english, list, results, nil, false)
	want := `
Lesson 01 · REST vs RPC
  ✓ 01.1 [warm-up] First
  ✗ 01.2 [core]    Second
  – 01.3 [stretch] Third  (skipped: needs RabbitMQ)

Lesson 02 · XML-RPC
  · 02.1 [warm-up] Fourth

✓ done  ✗ to do  · not checked yet: the run stops at the first lesson with work left (-lesson N checks another)

Next: 01.2 Second (core)
Edit:  01-x/exercises/b.go
Check: go test -tags exercises -run '^TestB$' ./01-x/exercises/

The test says:
  b_test.go:12: B() = 0; want 5

Hint 1/2: hint b1
More hints: go run ./practice -hint

Skipped exercises need a peer this machine lacks. The test said:
  no broker for this test
Progress: 1 of 4 exercises done.
`
	if got := b.String(); got != want {
		t.Errorf("report:\n%s\nwant:\n%s", got, want)
	}

	b.Reset()
	report(&b, chinese, list, results, nil, true)
	for _, w := range []string{"第 01 课 · REST 与 RPC", "下一题：01.2 第二（核心）", "提示 1/2：提示 b1", "提示 2/2：提示 b2", "进度：已完成 1 / 4 道练习。"} {
		if !strings.Contains(b.String(), w) {
			t.Errorf("Chinese report lacks %q:\n%s", w, b.String())
		}
	}
}

func TestReportSaysWhenEverythingIsDone(t *testing.T) {
	list := exercises[:2]
	results := map[string]*result{list[0].id: {status: passed}, list[1].id: {status: passed}}
	var b strings.Builder
	report(&b, english, list, results, nil, false)
	if !strings.Contains(b.String(), "Every exercise here is solved") || !strings.Contains(b.String(), "2 of 2") {
		t.Errorf("report of all passed:\n%s", b.String())
	}
}

func TestParseEventsSortsOutputPerTestAndKeepsBuildErrors(t *testing.T) {
	events := `{"Action":"start","Package":"p"}
{"Action":"run","Package":"p","Test":"TestA"}
{"Action":"output","Package":"p","Test":"TestA","Output":"=== RUN   TestA\n"}
{"Action":"output","Package":"p","Test":"TestA/sub","Output":"    a_test.go:9: wrong\n"}
{"Action":"fail","Package":"p","Test":"TestA/sub"}
{"Action":"fail","Package":"p","Test":"TestA"}
{"Action":"pass","Package":"p","Test":"TestB"}
{"Action":"skip","Package":"p","Test":"TestC"}
{"Action":"fail","Package":"p"}
`
	run := parseEvents(strings.NewReader(events))
	if r := run.results["TestA"]; r == nil || r.status != failed || len(r.output) != 2 {
		t.Errorf("TestA = %+v; want failed with two lines", r)
	}
	if run.results["TestB"].status != passed || run.results["TestC"].status != skipped {
		t.Errorf("TestB, TestC = %+v, %+v; want passed, skipped", run.results["TestB"], run.results["TestC"])
	}
	if len(run.buildError) != 0 {
		t.Errorf("build error %q; want none", run.buildError)
	}

	build := `{"ImportPath":"p","Action":"build-output","Output":"# p\n"}
{"ImportPath":"p","Action":"build-output","Output":"a.go:3:2: undefined: x\n"}
{"ImportPath":"p","Action":"build-fail"}
{"Action":"start","Package":"p"}
{"Action":"output","Package":"p","Output":"FAIL\tp [build failed]\n"}
{"Action":"fail","Package":"p","FailedBuild":"p"}
`
	run = parseEvents(strings.NewReader(build))
	if strings.Join(run.buildError, "\n") != "# p\na.go:3:2: undefined: x" {
		t.Errorf("build error = %q", run.buildError)
	}
}

func TestDetectLangFollowsTheFlagThenTheLocale(t *testing.T) {
	env := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	for _, c := range []struct {
		flag string
		env  func(string) string
		want lang
	}{
		{"", env(), english},
		{"", env("LANG", "zh_CN.UTF-8"), chinese},
		{"", env("LC_ALL", "en_US.UTF-8", "LANG", "zh_CN.UTF-8"), english},
		{"", env("LC_ALL", "zh_TW.UTF-8", "LANG", "C"), chinese},
		{"", env("LC_MESSAGES", "zh_CN", "LANG", "en_US"), chinese},
		{"en", env("LANG", "zh_CN.UTF-8"), english},
		{"zh", env("LANG", "C"), chinese},
	} {
		got, err := detectLang(c.flag, c.env)
		if err != nil || got != c.want {
			t.Errorf("detectLang(%q, …) = %q, %v; want %q", c.flag, got, err, c.want)
		}
	}
	if _, err := detectLang("fr", env()); err == nil {
		t.Error("detectLang(fr) gave no error")
	}
}
