// RPC is oriented to methods: the server publishes a service whose
// methods a client calls by name, Calculator.Add, as if they were
// local. Go's net/rpc does this over any connection, with a pluggable
// codec: gob (Go's own binary format) by default, or JSON-RPC 1.0 from
// net/rpc/jsonrpc. The service code is the same for both.

package restrpc

import "net/rpc"

// ServiceName is the name clients put before the method:
// "Calculator.Add".
const ServiceName = "Calculator"

// Args carries the two operands. Client and server share this type:
// the RPC client must know the server's method names *and* their
// argument types (the article's "usage" difference). The JSON tags only
// matter for JSON-RPC; gob uses the field names.
type Args struct {
	X int `json:"x"`
	Y int `json:"y"`
}

// CalculatorService is the receiver net/rpc publishes. Every method
// has the one shape net/rpc accepts: exported, an argument, a
// pointer for the reply, and an error result. A returned error
// reaches the client as its text (an [rpc.ServerError]).
type CalculatorService struct{}

// Add is Calculator.Add: x + y.
func (CalculatorService) Add(args Args, reply *int) error {
	return calculateInto(OpAdd, args, reply)
}

// Subtract is Calculator.Subtract: the absolute difference.
func (CalculatorService) Subtract(args Args, reply *int) error {
	return calculateInto(OpSubtract, args, reply)
}

// Multiply is Calculator.Multiply: x * y.
func (CalculatorService) Multiply(args Args, reply *int) error {
	return calculateInto(OpMultiply, args, reply)
}

// Divide is Calculator.Divide: Python's floor division x // y.
func (CalculatorService) Divide(args Args, reply *int) error {
	return calculateInto(OpDivide, args, reply)
}

func calculateInto(op string, args Args, reply *int) error {
	r, err := Calculate(op, args.X, args.Y)
	if err != nil {
		return err
	}
	*reply = r
	return nil
}

// NewRPCServer returns a net/rpc server with the calculator
// registered as "Calculator". [Server] serves it on each connection
// through a codec that applies its limits; [rpc.Server.ServeConn] (gob)
// or ServeCodec(jsonrpc.NewServerCodec(conn)) (JSON-RPC) would serve it
// with none.
func NewRPCServer() *rpc.Server {
	s := rpc.NewServer()
	// Register fails only for a receiver with no suitable methods,
	// which [CalculatorService] is not; a test keeps it that way.
	_ = s.RegisterName(ServiceName, CalculatorService{})
	return s
}
