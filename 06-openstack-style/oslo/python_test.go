package oslo_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/endpoints"
	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
	"github.com/rpc-course/rpc-from-0-to-1/internal/calctest"
	"github.com/rpc-course/rpc-from-0-to-1/internal/pypeer"
)

// pythonURL is the test's vhost as an oslo transport_url.
func (e *env) pythonURL() string {
	u := strings.Replace(e.url, "amqp://", "rabbit://", 1)
	query := e.query
	if e.quorum {
		query = append([]string{"rabbit_quorum_queue=true"}, query...)
	}
	if len(query) > 0 {
		u += "?" + strings.Join(query, "&")
	}
	return u
}

// A real oslo.messaging RPCClient calls, casts and fanout-casts to three
// Go servers: results, re-raised builtin exceptions, RemoteErrors for the
// rest (NoSuchMethod, UnsupportedVersion), call-monitor heartbeats.
func TestPythonClientCallsGoServers(t *testing.T) {
	pypeer.Require(t, "oslo_messaging", "oslo_config")
	pythonClientCallsGoServers(t, newEnv(t))
}

func pythonClientCallsGoServers(t *testing.T, e *env) {
	var recs []*recorder
	for _, name := range []string{"server01", "server02", "server03"} {
		r := &recorder{name: name}
		recs = append(recs, r)
		e.server(name, []any{r, failing{}, endpoints.CalculatorEndpoint{}, whoCalls{}, &slow{D: 2500 * time.Millisecond}},
			oslo.ServerOptions{Executor: oslo.NewPoolExecutor(4)})
	}

	out := pypeer.Run(t, t.Context(), "testdata/py_client.py", e.pythonURL())
	want := []string{
		"CALL test -> 'hello'",
		`CALL test dict -> {"k": [1, 2]}`,
		"CALL add -> 5",
		"CALL server02 -> server02",
		`CALL context -> {"request_id": "req-py", "user": "py"}`,
		"CALL monitored -> 'slow'",
		"RAISED ZeroDivisionError integer division or modulo by zero",
		"RAISED ValueError x must be positive",
		"RAISED TypeError test() missing 1 required keyword argument: 'arg'",
		"REMOTE errorString plain Go error",
		"REMOTE NoSuchMethod Endpoint does not support RPC method reboot",
		"REMOTE UnsupportedVersion Endpoint does not support RPC version 1.9. Attempted method: test",
		"CAST sent",
		"DONE",
	}
	if got := strings.Split(strings.TrimSpace(out), "\n"); !reflect.DeepEqual(got, want) {
		t.Errorf("python client printed:\n%s\nwant:\n%s", out, strings.Join(want, "\n"))
	}

	waitFor(t, "the fanout cast on all three servers", func() bool {
		for _, r := range recs {
			if r.count("py-fanout") != 1 {
				return false
			}
		}
		return true
	})
	waitFor(t, "the cast on exactly one server", func() bool {
		n := 0
		for _, r := range recs {
			n += r.count("py-cast")
		}
		return n == 1
	})
}

// The Go client calls and casts to a real oslo.messaging RPC server.
func TestGoClientCallsPythonServer(t *testing.T) {
	pypeer.Require(t, "oslo_messaging", "oslo_config")
	goClientCallsPythonServer(t, newEnv(t))
}

func goClientCallsPythonServer(t *testing.T, e *env) {
	py := pypeer.Start(t, "testdata/py_server.py", e.pythonURL())
	py.WaitLine(t, "READY", time.Minute)

	tr := e.transport()
	c := oslo.NewRPCClient(tr, oslo.Target{Topic: "pytest"}, oslo.ClientOptions{Timeout: 20 * time.Second})
	defer c.Close()
	ctx := t.Context()

	var s string
	if err := c.Call(ctx, "test", oslo.Args{"arg": "hello"}, &s); err != nil || s != "hello" {
		t.Errorf("test(arg=hello) = %q, %v", s, err)
	}
	var m map[string]any
	if err := c.Prepare(oslo.Prepare{Server: "py1"}).Call(ctx, "test", oslo.Args{"arg": map[string]any{"k": []int{1, 2}}}, &m); err != nil {
		t.Fatal(err)
	}
	if got, _ := json.Marshal(m); string(got) != `{"k":[1,2]}` {
		t.Errorf("test(arg={k: [1, 2]}) = %s", got)
	}

	t.Run("calculator", func(t *testing.T) { calctest.Run(t, endpoints.CalculatorClient{RPC: c}) })

	// Python exceptions arrive as *RemoteError with oslo's failure fields.
	var re *oslo.RemoteError
	err := c.Call(ctx, "fail", nil, nil)
	if !errors.As(err, &re) || re.Class != "ValueError" || re.Module != "builtins" || re.Message != "python says no" {
		t.Errorf("fail(): %v", err)
	} else if len(re.Traceback) == 0 || !strings.HasPrefix(re.Traceback[0], "Traceback") || len(re.Args) != 1 {
		t.Errorf("fail(): traceback %q args %v", re.Traceback, re.Args)
	}
	remote(t, c.Call(ctx, "custom", nil, nil), "PythonFailure", "__main__", "custom python failure")
	remote(t, c.Call(ctx, "test", nil, nil), "TypeError", "builtins", "missing 1 required positional argument: 'arg'")
	remote(t, c.Call(ctx, "reboot", nil, nil), "NoSuchMethod", "oslo_messaging.rpc.dispatcher", "RPC method reboot")
	remote(t, c.Prepare(oslo.Prepare{Version: "1.9"}).Call(ctx, "test", oslo.Args{"arg": 1}, nil),
		"UnsupportedVersion", "oslo_messaging.rpc.dispatcher", "RPC version 1.9")

	// The typed context reaches Python as _context_* fields.
	typed := oslo.NewRPCClient(tr, oslo.Target{Topic: "pytest"}, oslo.ClientOptions{
		Timeout: 20 * time.Second, Serializer: oslo.UserContextSerializer{}})
	defer typed.Close()
	var pyctx map[string]any
	uctx := oslo.WithUserContext(ctx, &oslo.UserContext{UserID: "u9", RequestID: "req-go"})
	if err := typed.Call(uctx, "context", nil, &pyctx); err != nil || pyctx["user_id"] != "u9" || pyctx["request_id"] != "req-go" {
		t.Errorf("context() = %v, %v", pyctx, err)
	}

	// Call monitoring against Python's heartbeats.
	mon := c.Prepare(oslo.Prepare{CallMonitorTimeout: 2 * time.Second})
	if err := mon.Call(ctx, "nap", oslo.Args{"arg": "slow"}, &s); err != nil || s != "slow" {
		t.Errorf("monitored nap: %q, %v", s, err)
	}

	// Casts, plain and fanout.
	if err := c.Cast(ctx, "record", oslo.Args{"arg": "go-cast"}); err != nil {
		t.Fatal(err)
	}
	py.WaitLine(t, "CAST go-cast", 30*time.Second)
	if err := c.Prepare(oslo.Prepare{Fanout: true}).Cast(ctx, "record", oslo.Args{"arg": "go-fanout"}); err != nil {
		t.Fatal(err)
	}
	py.WaitLine(t, "CAST go-fanout", 30*time.Second)
}
