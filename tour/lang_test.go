package main

import (
	"bufio"
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
)

// The locale chooses the tour's language as gettext does: LC_ALL, else
// LC_MESSAGES, else LANG; a value starting with zh means Chinese, any
// other value English, and an empty variable counts as unset.
func TestLanguageComesFromLCALLThenLCMESSAGESThenLANG(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want language
	}{
		{map[string]string{}, english},
		{map[string]string{"LANG": "zh_CN.UTF-8"}, chinese},
		{map[string]string{"LANG": "zh_TW.Big5"}, chinese},
		{map[string]string{"LANG": "zh"}, chinese},
		{map[string]string{"LANG": "en_US.UTF-8"}, english},
		{map[string]string{"LANG": "C.UTF-8"}, english},
		{map[string]string{"LANG": "fr_FR.UTF-8"}, english},
		{map[string]string{"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, chinese},
		{map[string]string{"LC_MESSAGES": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, english},
		{map[string]string{"LC_ALL": "zh_CN.UTF-8", "LC_MESSAGES": "C", "LANG": "C"}, chinese},
		{map[string]string{"LC_ALL": "C", "LC_MESSAGES": "zh_CN.UTF-8", "LANG": "zh_CN.UTF-8"}, english},
		{map[string]string{"LC_ALL": "", "LC_MESSAGES": "", "LANG": "zh_CN.UTF-8"}, chinese},
	} {
		getenv := func(name string) string { return tc.env[name] }
		if got := languageFrom(getenv); got != tc.want {
			t.Errorf("%v: language %s, want %s", tc.env, got, tc.want)
		}
	}
}

// -lang takes en or zh, and refuses anything else rather than guess.
func TestLangFlagTakesEnOrZhOnly(t *testing.T) {
	var l language
	for code, want := range map[string]language{"zh": chinese, "en": english} {
		if err := l.Set(code); err != nil || l != want || l.String() != code {
			t.Errorf("Set(%q): %v, language %s", code, err, l)
		}
	}
	for _, code := range []string{"", "fr", "zh_CN", "ZH", "english"} {
		if err := l.Set(code); err == nil {
			t.Errorf("Set(%q): want an error", code)
		}
	}
}

// A student without a broker is told why, and how to get one, in the
// tour's language.
func TestTourSaysHowToGetABrokerInEachLanguage(t *testing.T) {
	for lang, want := range map[language]string{
		english: "To run it: " + broker.HowTo + ".",
		chinese: "要运行这一课：" + howToZh + "。",
	} {
		var out bytes.Buffer
		g := &guide{out: &out, in: bufio.NewReader(strings.NewReader("")), lang: lang,
			brokerErr: broker.ErrNoBroker}
		g.skipBroker()
		if !strings.Contains(out.String(), want) {
			t.Errorf("%s: want %q in\n%s", lang, want, out.String())
		}
		if said := strings.Contains(out.String(), broker.ErrNoBroker.Error()); said != (lang == english) {
			t.Errorf("%s: the reason is not in the tour's language:\n%s", lang, out.String())
		}
	}
	var out bytes.Buffer
	g := &guide{out: &out, lang: chinese, brokerErr: errors.New("docker: permission denied")}
	g.skipBroker()
	if !strings.Contains(out.String(), "（已跳过：docker: permission denied）") {
		t.Errorf("another error is shown as it is:\n%s", out.String())
	}
}

// An AMQP_URL with several hosts is a cluster: lessons 05 and 07 dial the
// first host, lesson 06 gets them all, and the tour says so in the
// student's language.
func TestClusterAMQPURLGivesTheFirstHostToLessons05And07(t *testing.T) {
	for _, tc := range []struct {
		in, first string
		hosts     int
	}{
		{"amqp://guest:guest@127.0.0.1:5672/", "amqp://guest:guest@127.0.0.1:5672/", 1},
		{"amqp://guest:guest@h1:5672,guest:guest@h2:5673,guest:guest@h3:5674/", "amqp://guest:guest@h1:5672/", 3},
		{"amqp://u:p@h1,u:p@h2/nova?rabbit_quorum_queue=true", "amqp://u:p@h1/nova", 2},
		{"amqp://u:p@h1,u:p@h2", "amqp://u:p@h1", 2},
		{"rabbit://u:p@h1:5672,u:p@h2:5673/?rabbit_quorum_queue=true", "amqp://u:p@h1:5672/", 2},
		{"rabbit://u:p@h1:5672/", "amqp://u:p@h1:5672/", 1},
	} {
		if first, n := firstHost(tc.in); first != tc.first || n != tc.hosts {
			t.Errorf("firstHost(%q) = %q, %d; want %q, %d", tc.in, first, n, tc.first, tc.hosts)
		}
	}
	for _, lang := range []language{english, chinese} {
		var out bytes.Buffer
		t.Setenv("AMQP_URL", "amqp://guest:guest@h1:5672,guest:guest@h2:5673/")
		g := &guide{out: &out, lang: lang}
		if !g.getBroker(t.Context()) {
			t.Fatal("getBroker with AMQP_URL set: false")
		}
		if g.amqpURL != "amqp://guest:guest@h1:5672/" || g.osloURL != "amqp://guest:guest@h1:5672,guest:guest@h2:5673/" {
			t.Errorf("amqpURL %q osloURL %q", g.amqpURL, g.osloURL)
		}
		if want := map[language]string{english: "running on a cluster", chinese: "在集群上运行"}[lang]; !strings.Contains(out.String(), want) {
			t.Errorf("%v: the tour said %q, want it to mention %q", lang, out.String(), want)
		}
	}
}
