package endpoints

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sync"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
)

// TestEndpoint is the article's TestEndpoint: test(ctx, arg) returns
// arg. It also prints each call, so a terminal shows which server ran it.
type TestEndpoint struct {
	Name string    // the server's name, for the printed line
	Out  io.Writer // where to print; nil prints nothing

	mu sync.Mutex
}

// TestArgs are the keyword arguments of test: one, named arg.
type TestArgs struct {
	Arg any `json:"arg"`
}

// Test returns arg. When the server's serializer gave it a caller (a
// [oslo.UserContext] with a user id), the printed line says who called.
func (e *TestEndpoint) Test(ctx context.Context, args TestArgs) (any, error) {
	if uc := oslo.UserContextFrom(ctx); uc != nil && uc.UserID != "" {
		e.printf("%s: test(arg=%s) for user %s, project %s\n", e.Name, show(args.Arg), uc.UserID, uc.ProjectID)
		return args.Arg, nil
	}
	e.printf("%s: test(arg=%s)\n", e.Name, show(args.Arg))
	return args.Arg, nil
}

func (e *TestEndpoint) printf(format string, a ...any) {
	if e.Out == nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	fmt.Fprintf(e.Out, format, a...)
}

// Stopper is what [ServerControlEndpoint] needs of a server.
type Stopper interface{ Stop() }

// ServerControlEndpoint is the article's control endpoint: in namespace
// control, version 2.0, its stop stops the server it belongs to. A
// client reaches it only with Namespace: "control" and a 2.x version.
type ServerControlEndpoint struct {
	Server Stopper // set after the server is made (it needs its endpoints first)
	Name   string
	Out    io.Writer
}

// Target declares the namespace and version, like the Python class's
// target attribute.
func (e *ServerControlEndpoint) Target() oslo.Target {
	return oslo.Target{Namespace: "control", Version: "2.0"}
}

func (e *ServerControlEndpoint) Stop(ctx context.Context) error {
	if e.Out != nil {
		fmt.Fprintf(e.Out, "%s: stop requested\n", e.Name)
	}
	if e.Server != nil {
		e.Server.Stop()
	}
	return nil
}

// InfoEndpoint (ours, not the article's) answers whoami with the
// server's name, so a client can see which server took a call.
type InfoEndpoint struct{ Name string }

func (e *InfoEndpoint) Whoami(ctx context.Context) (string, error) {
	return e.Name, nil
}

// show prints a JSON value the way the client does.
func show(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(data)
}
