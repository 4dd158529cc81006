package exercises

import (
	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/calc"
	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"
)

// Caculate is the article's caculate service (embedded: hello, add,
// multiply, subtract and divide are its own) with the methods the
// exercises add: power (power.go) and countdown (countdown.go).
type Caculate struct {
	calc.Caculate
}

// NewServer returns a zerorpc server named caculate with [Caculate]
// registered: every exported method becomes a remote one, Power as
// power.
func NewServer() (*zerorpc.Server, error) {
	s := &zerorpc.Server{Name: "caculate"}
	if err := s.Register(Caculate{}); err != nil {
		return nil, err
	}
	return s, nil
}
