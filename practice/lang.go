package main

import (
	"fmt"
	"strings"
)

// lang is the language the tool speaks: "en" or "zh".
type lang string

const (
	english lang = "en"
	chinese lang = "zh"
)

// detectLang picks the language: the flag if given, else the first of
// LC_ALL, LC_MESSAGES and LANG that is set (the order C's setlocale
// reads them in): zh_CN.UTF-8 and the like mean Chinese.
func detectLang(flagValue string, getenv func(string) string) (lang, error) {
	switch strings.ToLower(flagValue) {
	case "en":
		return english, nil
	case "zh":
		return chinese, nil
	case "":
	default:
		return "", fmt.Errorf("-lang %q: want en or zh", flagValue)
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			if strings.HasPrefix(strings.ToLower(v), "zh") {
				return chinese, nil
			}
			return english, nil
		}
	}
	return english, nil
}

// text is one piece of text in both languages.
type text struct{ en, zh string }

// in returns the text in l.
func (t text) in(l lang) string {
	if l == chinese && t.zh != "" {
		return t.zh
	}
	return t.en
}

// Messages the tool prints, in both languages.
var (
	msgLesson = text{"Lesson %02d · %s", "第 %02d 课 · %s"}
	msgLegend = text{
		"✓ done  ✗ to do  · not checked yet: the run stops at the first lesson with work left (-lesson N checks another)",
		"✓ 已完成  ✗ 待完成  · 尚未检查：遇到第一个还有练习未完成的课程就停下（-lesson N 检查别的课）",
	}
	msgSkipped   = text{"skipped: needs %s", "已跳过：需要 %s"}
	msgNext      = text{"Next: %s %s (%s)", "下一题：%s %s（%s）"}
	msgEdit      = text{"Edit:  %s", "编辑：%s"}
	msgCheck     = text{"Check: %s", "检查：%s"}
	msgTestSays  = text{"The test says:", "测试输出："}
	msgBuildFail = text{"The package does not build:", "代码无法编译："}
	msgHint      = text{"Hint %d/%d: %s", "提示 %d/%d：%s"}
	msgMoreHints = text{"More hints: go run ./practice -hint", "更多提示：go run ./practice -hint"}
	msgProgress  = text{"Progress: %d of %d exercises done.", "进度：已完成 %d / %d 道练习。"}
	msgAllDone   = text{"Every exercise here is solved. Well done!", "这里的练习全部完成，干得好！"}
	msgSkipNote  = text{
		"Skipped exercises need a peer this machine lacks. The test said:",
		"被跳过的练习需要本机缺少的对端程序。测试输出：",
	}
	msgRunning = text{"checking lesson %02d …", "正在检查第 %02d 课 …"}
)

// levelText names each difficulty.
var levelText = map[level]text{
	warmUp:  {"warm-up", "热身"},
	core:    {"core", "核心"},
	stretch: {"stretch", "进阶"},
}
