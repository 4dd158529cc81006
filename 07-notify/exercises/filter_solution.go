//go:build solutions

package exercises

import "github.com/rpc-course/rpc-from-0-to-1/07-notify/notify"

// createFilter matches compute.instance.create.start and .end only.
var createFilter = mustFilter(notify.FilterRule{EventType: `compute\.instance\.create\.`})

// FilterRule is the endpoint's filter, oslo's filter_rule attribute.
func (CreateWatcher) FilterRule() *notify.Filter { return createFilter }

// mustFilter compiles a rule known to be valid.
func mustFilter(r notify.FilterRule) *notify.Filter {
	f, err := notify.NewFilter(r)
	if err != nil {
		panic(err)
	}
	return f
}
