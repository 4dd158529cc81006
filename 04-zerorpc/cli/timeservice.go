// The time service: what zerorpc --server … time exposes in
// Python is the standard time module. We serve its two most famous
// functions, strftime with Python's (C's) % directives, and
// time.

package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"
)

// newTimeServer registers the time service with explicit names, since strftime
// is not a Go method name.
func newTimeServer() (*zerorpc.Server, error) {
	s := &zerorpc.Server{Name: "time"}
	err := s.RegisterFunc("strftime", func(format string) string {
		return strftime(format, time.Now())
	}, zerorpc.Doc{
		Text: "strftime(format[, tuple]) -> string\n\n" +
			"Convert the current local time to a string as specified by the format argument.",
		Args: []string{"format"},
	})
	if err != nil {
		return nil, err
	}
	err = s.RegisterFunc("time", func() float64 {
		return float64(time.Now().UnixNano()) / 1e9
	}, zerorpc.Doc{
		Text: "time() -> floating point number\n\n" +
			"Return the current time in seconds since the Epoch.",
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// strftime formats t like C's strftime in the C locale, which is
// what Python's time.strftime calls. An unknown directive is copied
// as is, as glibc does.
func strftime(format string, t time.Time) string {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 == len(format) {
			b.WriteByte(c)
			continue
		}
		i++
		d := format[i]
		if s, ok := directive(d, t); ok {
			b.WriteString(s)
		} else {
			b.WriteByte('%')
			b.WriteByte(d)
		}
	}
	return b.String()
}

func directive(d byte, t time.Time) (string, bool) {
	two := func(n int) string { return fmt.Sprintf("%02d", n) }
	hour12 := t.Hour() % 12
	if hour12 == 0 {
		hour12 = 12
	}
	switch d {
	case 'a':
		return t.Format("Mon"), true
	case 'A':
		return t.Format("Monday"), true
	case 'b', 'h':
		return t.Format("Jan"), true
	case 'B':
		return t.Format("January"), true
	case 'c':
		return t.Format("Mon Jan _2 15:04:05 2006"), true
	case 'C':
		return two(t.Year() / 100), true
	case 'd':
		return two(t.Day()), true
	case 'D', 'x':
		return t.Format("01/02/06"), true
	case 'e':
		return fmt.Sprintf("%2d", t.Day()), true
	case 'F':
		return t.Format("2006-01-02"), true
	case 'G':
		y, _ := t.ISOWeek()
		return strconv.Itoa(y), true
	case 'g':
		y, _ := t.ISOWeek()
		return two(y % 100), true
	case 'H':
		return two(t.Hour()), true
	case 'I':
		return two(hour12), true
	case 'j':
		return fmt.Sprintf("%03d", t.YearDay()), true
	case 'k':
		return fmt.Sprintf("%2d", t.Hour()), true
	case 'l':
		return fmt.Sprintf("%2d", hour12), true
	case 'm':
		return two(int(t.Month())), true
	case 'M':
		return two(t.Minute()), true
	case 'n':
		return "\n", true
	case 'p':
		return t.Format("PM"), true
	case 'r':
		return t.Format("03:04:05 PM"), true
	case 'R':
		return t.Format("15:04"), true
	case 's':
		return strconv.FormatInt(t.Unix(), 10), true
	case 'S':
		return two(t.Second()), true
	case 't':
		return "\t", true
	case 'T', 'X':
		return t.Format("15:04:05"), true
	case 'u':
		return strconv.Itoa((int(t.Weekday())+6)%7 + 1), true
	case 'U':
		return two((t.YearDay() + 6 - int(t.Weekday())) / 7), true
	case 'V':
		_, w := t.ISOWeek()
		return two(w), true
	case 'w':
		return strconv.Itoa(int(t.Weekday())), true
	case 'W':
		return two((t.YearDay() + 6 - (int(t.Weekday())+6)%7) / 7), true
	case 'y':
		return two(t.Year() % 100), true
	case 'Y':
		return strconv.Itoa(t.Year()), true
	case 'z':
		return t.Format("-0700"), true
	case 'Z':
		return t.Format("MST"), true
	case '%':
		return "%", true
	}
	return "", false
}
