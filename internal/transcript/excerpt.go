// A page that shows code should show the code that is there. An excerpt
// is a fenced block whose info string names the file it was cut from:
//
//	```go file=xmlrpc/serve.go
//	func (s *Server) Serve(ln net.Listener) error {
//	…
//	}
//	```
//
// Its lines must stand, in the same order and one after another, in that
// file (a path relative to the page). A line that holds only "…" (or
// "// …", "# …") leaves lines out: the pieces between such lines must each
// stand in the file, in order. Trailing spaces do not count; indentation
// does, so an excerpt keeps gofmt's tabs.

package transcript

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// An Excerpt is one code block of a page cut from a file of the course.
type Excerpt struct {
	Line   int        // line of the opening fence in the page
	File   string     // the file it was cut from, relative to the page
	Pieces [][]string // runs of lines, each to be found in File, in order
}

// ParseExcerpts reads the excerpts of a page: the fenced blocks whose info
// string has a file= field. Other blocks are passed over.
func ParseExcerpts(r io.Reader) ([]Excerpt, error) {
	var (
		out  []Excerpt
		cur  *Excerpt
		n    int
		open string // the opening fence, while inside any block
		sc   = bufio.NewScanner(r)
	)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), " \t\r")
		trimmed := strings.TrimSpace(line)
		switch {
		case open == "" && strings.HasPrefix(trimmed, "```"):
			open = fence(trimmed)
			if file := infoFile(strings.TrimPrefix(trimmed, open)); file != "" {
				cur = &Excerpt{Line: n, File: file, Pieces: [][]string{nil}}
			}
		case open != "" && trimmed == open:
			if cur != nil {
				out = append(out, cur.trimmed())
			}
			open, cur = "", nil
		case cur != nil && isElision(trimmed):
			cur.Pieces = append(cur.Pieces, nil)
		case cur != nil:
			last := len(cur.Pieces) - 1
			cur.Pieces[last] = append(cur.Pieces[last], line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if cur != nil {
		return nil, fmt.Errorf("line %d: excerpt of %s is never closed", cur.Line, cur.File)
	}
	return out, nil
}

// fence is the run of backticks that opens a block; the same run closes it.
func fence(s string) string {
	i := 0
	for i < len(s) && s[i] == '`' {
		i++
	}
	return s[:i]
}

// infoFile finds file=PATH in a fence's info string, such as "go file=a.go".
func infoFile(info string) string {
	for _, f := range strings.Fields(info) {
		if p, ok := strings.CutPrefix(f, "file="); ok {
			return strings.Trim(p, `"'`)
		}
	}
	return ""
}

func isElision(s string) bool {
	switch s {
	case "…", "// …", "# …", "<!-- … -->":
		return true
	}
	return false
}

// trimmed drops empty pieces, which an elision at either end leaves.
func (e *Excerpt) trimmed() Excerpt {
	out := *e
	out.Pieces = nil
	for _, p := range e.Pieces {
		if len(p) > 0 {
			out.Pieces = append(out.Pieces, p)
		}
	}
	return out
}

// Verify reports whether the excerpt still stands in its file; dir is the
// page's directory. The error names the first line that is not found.
func (e Excerpt) Verify(dir string) error {
	data, err := os.ReadFile(filepath.Join(dir, e.File))
	if err != nil {
		return fmt.Errorf("excerpt of %s: %w", e.File, err)
	}
	lines := strings.Split(string(data), "\n")
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " \t\r")
	}
	from := 0
	for _, piece := range e.Pieces {
		at := indexRun(lines, piece, from)
		if at < 0 {
			return fmt.Errorf("excerpt of %s is no longer in the file: %s",
				e.File, firstAbsent(lines, piece, from))
		}
		from = at + len(piece)
	}
	return nil
}

// indexRun finds run as consecutive lines of lines, at or after from.
func indexRun(lines, run []string, from int) int {
	for i := from; i+len(run) <= len(lines); i++ {
		match := true
		for j, l := range run {
			if lines[i+j] != l {
				match = false
				break
			}
		}
		if match {
			return i
		}
	}
	return -1
}

// firstAbsent says which line of a piece breaks the match, for the error.
func firstAbsent(lines, piece []string, from int) string {
	for k := len(piece); k > 0; k-- {
		if indexRun(lines, piece[:k-1], from) >= 0 {
			return fmt.Sprintf("%q (line %d of the piece) not found after the lines before it", piece[k-1], k)
		}
	}
	return fmt.Sprintf("%q not found", piece[0])
}

// CheckExcerpts verifies every excerpt of the page at path.
func CheckExcerpts(path string) []error {
	f, err := os.Open(path)
	if err != nil {
		return []error{err}
	}
	defer f.Close()
	ex, err := ParseExcerpts(f)
	if err != nil {
		return []error{fmt.Errorf("%s: %w", path, err)}
	}
	var errs []error
	for _, e := range ex {
		if err := e.Verify(filepath.Dir(path)); err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: %w", path, e.Line, err))
		}
	}
	return errs
}
