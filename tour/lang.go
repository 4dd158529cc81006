package main

import (
	"errors"
	"strings"
)

// A language is one the tour speaks. Only the tour's own words change
// with it: program output, identifiers, commands and the bytes on the
// wire read the same in both.
type language int

const (
	english language = iota
	chinese
)

// languageFrom picks the tour's language from the locale, as gettext
// does: the first of LC_ALL, LC_MESSAGES and LANG that is set decides. A
// value starting with zh (zh_CN.UTF-8, zh_TW, zh) means Chinese; any
// other value, or none, means English.
func languageFrom(getenv func(string) string) language {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			if strings.HasPrefix(v, "zh") {
				return chinese
			}
			return english
		}
	}
	return english
}

// String returns the language's code, en or zh; with [language.Set] it
// makes a language a flag.Value.
func (l language) String() string {
	if l == chinese {
		return "zh"
	}
	return "en"
}

// Set sets the language from its code, en or zh.
func (l *language) Set(code string) error {
	switch code {
	case "en":
		*l = english
	case "zh":
		*l = chinese
	default:
		return errors.New("the tour speaks en or zh")
	}
	return nil
}

// A text is something the tour says, in both its languages.
type text struct{ en, zh string }

// in returns the text in language l.
func (t text) in(l language) string {
	if l == chinese {
		return t.zh
	}
	return t.en
}
