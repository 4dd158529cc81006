// Every page has a Chinese edition beside it (README.md and README.zh.md).
// Both show the same commands with the same output, so the commands run
// once: the editions' console blocks must be the same, block for block,
// and the page's excerpts and figures are checked in every edition.

package transcript

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Editions lists a page and the editions beside it that exist: for
// "README.md", "README.md" and "README.zh.md".
func Editions(page string) []string {
	out := []string{page}
	zh := strings.TrimSuffix(page, ".md") + ".zh.md"
	if _, err := os.Stat(zh); err == nil && zh != page {
		out = append(out, zh)
	}
	return out
}

// sameConsoles reports where an edition's console blocks differ from the
// first edition's: the commands and the output they promise must match.
func sameConsoles(editions []string) []error {
	var (
		first []Block
		errs  []error
	)
	for i, page := range editions {
		f, err := os.Open(page)
		if err != nil {
			return []error{err}
		}
		blocks, err := Parse(f)
		f.Close()
		if err != nil {
			return []error{fmt.Errorf("%s: %w", page, err)}
		}
		if i == 0 {
			first = blocks
			continue
		}
		if len(blocks) != len(first) {
			errs = append(errs, fmt.Errorf("%s has %d console blocks, %s has %d: the editions must show the same commands",
				page, len(blocks), editions[0], len(first)))
			continue
		}
		for j := range blocks {
			if !sameCommands(blocks[j].Commands, first[j].Commands) {
				errs = append(errs, fmt.Errorf("%s:%d: this console block differs from %s:%d: the editions must show the same commands and output",
					page, blocks[j].Line, editions[0], first[j].Line))
			}
		}
	}
	return errs
}

func sameCommands(a, b []Command) bool {
	return slices.EqualFunc(a, b, func(x, y Command) bool {
		return x.Shell == y.Shell && x.Background == y.Background && slices.Equal(x.Expect, y.Expect)
	})
}

// CheckPage checks what needs no command run: the editions' console blocks
// agree, and every excerpt and figure of every edition is true. Figures
// are read against the benchmark's results at resultsPath.
func CheckPage(page, resultsPath string) []error {
	editions := Editions(page)
	errs := sameConsoles(editions)
	var res *Results
	for _, p := range editions {
		errs = append(errs, CheckExcerpts(p)...)
		data, err := os.ReadFile(p)
		if err != nil || !figureRef.Match(data) {
			continue
		}
		if res == nil {
			if res, err = LoadResults(resultsPath); err != nil {
				return append(errs, err)
			}
		}
		errs = append(errs, CheckFigures(p, res)...)
	}
	return errs
}

// resultsFile is the benchmark's results in the module.
func resultsFile(root string) string {
	return filepath.Join(root, "bench", "results", "results.json")
}
