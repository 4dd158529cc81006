package main

import (
	"fmt"
	"io"
	"strings"
)

// maxLines caps how much of a failing test's output is shown.
const maxLines = 30

// report prints one line per exercise, then what to do next: the first
// unsolved exercise, its test's message and a hint (every hint with
// allHints), and the progress.
func report(out io.Writer, l lang, list []exercise, results map[string]*result, buildErrors map[string][]string, allHints bool) {
	done, skipReasonFirst, anyUnchecked := 0, "", false
	lesson := 0
	levelWidth := 0
	for _, e := range list {
		levelWidth = max(levelWidth, width(levelText[e.level].in(l))+2)
	}
	for _, e := range list {
		if e.lesson != lesson {
			lesson = e.lesson
			fmt.Fprintf(out, "\n"+msgLesson.in(l)+"\n", lesson, lessonTitles[lesson].in(l))
		}
		r := results[e.id]
		mark, note := "·", ""
		switch {
		case r == nil:
			anyUnchecked = true
		case r.status == passed:
			mark = "✓"
			done++
		case r.status == skipped:
			mark, note = "–", fmt.Sprintf(msgSkipped.in(l), e.peer)
			if skipReasonFirst == "" {
				skipReasonFirst = skipReason(e, r)
			}
		default:
			mark = "✗"
		}
		line := fmt.Sprintf("  %s %s %s %s", mark, e.id, pad("["+levelText[e.level].in(l)+"]", levelWidth), e.title.in(l))
		if note != "" {
			line += "  (" + note + ")"
		}
		fmt.Fprintln(out, line)
	}
	if anyUnchecked {
		fmt.Fprintln(out, "\n"+msgLegend.in(l))
	}
	fmt.Fprintln(out)
	if next := firstUnsolved(list, results); next != nil {
		reportNext(out, l, *next, results[next.id], buildErrors[next.dir()], allHints)
	} else if done == len(list) {
		fmt.Fprintln(out, msgAllDone.in(l))
	}
	if skipReasonFirst != "" {
		fmt.Fprintln(out, msgSkipNote.in(l))
		fmt.Fprintln(out, "  "+skipReasonFirst)
	}
	fmt.Fprintf(out, msgProgress.in(l)+"\n", done, len(list))
}

// reportNext prints what to do about the first unsolved exercise.
func reportNext(out io.Writer, l lang, e exercise, r *result, buildError []string, allHints bool) {
	fmt.Fprintf(out, msgNext.in(l)+"\n", e.id, e.title.in(l), levelText[e.level].in(l))
	fmt.Fprintf(out, msgEdit.in(l)+"\n", e.file)
	fmt.Fprintf(out, msgCheck.in(l)+"\n\n", checkCommand(e))
	lines := testLines(e.test, r.output)
	if len(buildError) > 0 {
		fmt.Fprintln(out, msgBuildFail.in(l))
		lines = buildError
	} else {
		fmt.Fprintln(out, msgTestSays.in(l))
	}
	if len(lines) > maxLines {
		lines = append(lines[:maxLines:maxLines], "    …")
	}
	for _, line := range lines {
		fmt.Fprintln(out, "  "+strings.TrimPrefix(line, "    "))
	}
	fmt.Fprintln(out)
	hints := e.hints
	if !allHints && len(hints) > 1 {
		hints = hints[:1]
	}
	for i, h := range hints {
		fmt.Fprintf(out, msgHint.in(l)+"\n", i+1, len(e.hints), h.in(l))
	}
	if !allHints && len(e.hints) > 1 {
		fmt.Fprintln(out, msgMoreHints.in(l))
	}
	fmt.Fprintln(out)
}

// checkCommand is the go test command that checks one exercise.
func checkCommand(e exercise) string {
	return fmt.Sprintf("go test -tags exercises -run '^%s$' ./%s/", e.test, e.dir())
}

// skipReason is the last line a skipped test printed: why it skipped.
func skipReason(e exercise, r *result) string {
	lines := testLines(e.test, r.output)
	if len(lines) == 0 {
		return string(e.peer)
	}
	reason := strings.TrimSpace(lines[len(lines)-1])
	if _, after, ok := strings.Cut(reason, ": "); ok && strings.HasSuffix(strings.Fields(reason)[0], ":") {
		reason = after // drop the file:line prefix
	}
	return reason
}

// width is how many terminal columns s takes: East Asian wide characters
// take two.
func width(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r >= 0x1100 && r <= 0x115F, r >= 0x2E80 && r <= 0xA4CF,
			r >= 0xAC00 && r <= 0xD7A3, r >= 0xF900 && r <= 0xFAFF,
			r >= 0xFE30 && r <= 0xFE4F, r >= 0xFF00 && r <= 0xFF60,
			r >= 0xFFE0 && r <= 0xFFE6:
			n += 2
		default:
			n++
		}
	}
	return n
}

// pad fills s with spaces to w columns.
func pad(s string, w int) string {
	if n := width(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}
