// gRPC as the modern reference: google.golang.org/grpc with a protobuf
// message (the service is in grpcpb/calculator.proto). One HTTP/2
// connection carries every call, as the lessons' net/rpc and zerorpc
// clients carry theirs on one connection.

package main

import (
	"context"
	"fmt"
	"net"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/rpc-course/rpc-from-0-to-1/bench/grpcpb"
)

// grpcMaxMessage lets the sweep's 1 MB payloads through (gRPC's
// default limit on a received message is 4 MiB; XML-RPC's and JSON's
// renderings of them are bigger, protobuf's are not, but the same
// limit on every system keeps the servers alike).
const grpcMaxMessage = 64 << 20

// calculatorService answers Add and Echo.
type calculatorService struct {
	grpcpb.UnimplementedCalculatorServer
}

func (calculatorService) Add(_ context.Context, r *grpcpb.AddRequest) (*grpcpb.AddReply, error) {
	return &grpcpb.AddReply{Result: r.GetX() + r.GetY()}, nil
}

func (calculatorService) Echo(_ context.Context, p *grpcpb.Payload) (*grpcpb.Payload, error) {
	return p, nil
}

// startGRPC serves the calculator on a free loopback port.
func startGRPC(context.Context, string) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	s := grpc.NewServer(grpc.MaxRecvMsgSize(grpcMaxMessage), grpc.MaxSendMsgSize(grpcMaxMessage))
	grpcpb.RegisterCalculatorServer(s, calculatorService{})
	go s.Serve(ln)
	return ln.Addr().String(), s.Stop, nil
}

// grpcClient is one client connection shared by every caller.
type grpcClient struct {
	conn *grpc.ClientConn
	c    grpcpb.CalculatorClient
}

func newGRPCClient(addr string) (*grpcClient, error) {
	conn, err := grpc.NewClient(addr,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(grpcMaxMessage), grpc.MaxCallSendMsgSize(grpcMaxMessage)))
	if err != nil {
		return nil, fmt.Errorf("grpc client: %w", err)
	}
	return &grpcClient{conn: conn, c: grpcpb.NewCalculatorClient(conn)}, nil
}

func dialGRPC(_ context.Context, _ *env, addr string) (Client, error) {
	return newGRPCClient(addr)
}

func (c *grpcClient) Add(ctx context.Context, x, y int) (int, error) {
	r, err := c.c.Add(ctx, &grpcpb.AddRequest{X: int64(x), Y: int64(y)})
	if err != nil {
		return 0, err
	}
	return checkSum(int(r.GetResult()), nil)
}

func (c *grpcClient) Close() error { return c.conn.Close() }
