// The --client mode (the default): call one method, or list them all.

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"
	"github.com/rpc-course/rpc-from-0-to-1/internal/pyfmt"
)

// runClient writes results, and only results, to stdout; status lines
// go to stderr, as zerorpc-python's command line does, so that
// result=$(zerorpc …) captures the result alone.
func runClient(ctx context.Context, cfg *config, stdout, stderr io.Writer) error {
	addrs := cfg.connect
	if cfg.address != "" {
		addrs = append([]string{cfg.address}, addrs...)
	}
	// One connection per client: a zmq4 DEALER would send each call
	// to every address it is connected to.
	if len(addrs) != 1 || len(cfg.bind) != 0 {
		return errors.New("zerorpc: the Go client connects to exactly one address")
	}
	fmt.Fprintf(stderr, "connecting to %q\n", addrs[0])
	d := zerorpc.Dialer{
		Timeout:   time.Duration(cfg.timeout) * time.Second,
		Heartbeat: time.Duration(cfg.heartbeat) * time.Second,
	}
	c, err := d.Dial(addrs[0])
	if err != nil {
		return fmt.Errorf("zerorpc: %w", err)
	}
	defer c.Close()

	if cfg.command == "" || cfg.inspect {
		return listMethods(ctx, c, cfg, stdout)
	}
	args, err := callArgs(cfg)
	if err != nil {
		return err
	}
	value, items, err := c.Invoke(ctx, cfg.command, args...)
	if err != nil {
		return err
	}
	if items == nil {
		return show(stdout, value, cfg.printJSON)
	}
	// A stream: one item a line, or one JSON array.
	var all []any
	for item, err := range items {
		if err != nil {
			return err
		}
		if cfg.printJSON {
			all = append(all, item)
		} else if err := show(stdout, item, false); err != nil {
			return err
		}
	}
	if !cfg.printJSON {
		return nil
	}
	b := []byte{'['}
	for i, item := range all {
		if i > 0 {
			b = append(b, ',')
		}
		if b, err = pyfmt.AppendJSON(b, item); err != nil {
			return fmt.Errorf("zerorpc: item %d is not JSON: %w", i, err)
		}
	}
	_, err = fmt.Fprintf(stdout, "%s]\n", b)
	return err
}

// show prints one result as Python's zerorpc command does: pprint's
// repr (dict keys sorted) by default, json.dump with -pj, where bytes
// (msgpack's bin) are written as the text they hold.
func show(w io.Writer, v any, asJSON bool) error {
	if !asJSON {
		pprint := pyfmt.Printer{SortKeys: true}
		_, err := fmt.Fprintln(w, pprint.Repr(v))
		return err
	}
	b, err := pyfmt.JSON(v)
	if err != nil {
		return fmt.Errorf("zerorpc: result is not JSON: %w", err)
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

// callArgs sends the parameters as strings, or as JSON values with
// -j (numbers without a fraction become ints, as in Python).
func callArgs(cfg *config) ([]any, error) {
	args := make([]any, len(cfg.params))
	for i, p := range cfg.params {
		if !cfg.json {
			args[i] = p
			continue
		}
		dec := json.NewDecoder(bytes.NewReader([]byte(p)))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("zerorpc: argument %d is not JSON: %w", i+1, err)
		}
		args[i] = jsonNumbers(v)
	}
	return args, nil
}

func jsonNumbers(v any) any {
	switch v := v.(type) {
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return n
		}
		f, _ := v.Float64()
		return f
	case []any:
		for i := range v {
			v[i] = jsonNumbers(v[i])
		}
	case map[string]any:
		for k := range v {
			v[k] = jsonNumbers(v[k])
		}
	}
	return v
}

// A method as the list shows it.
type methodInfo struct {
	name string
	args []string
	doc  string
}

// listMethods asks _zerorpc_inspect and prints one line per
// method: its name (with its arguments under -?) and the first line
// of its doc. With -? and a command, it prints that method's full doc.
func listMethods(ctx context.Context, c *zerorpc.Client, cfg *config, stdout io.Writer) error {
	methods, err := inspect(ctx, c)
	if err != nil {
		return err
	}
	if cfg.command != "" {
		for _, m := range methods {
			if m.name == cfg.command {
				fmt.Fprintf(stdout, "\n%s(%s)\n\n%s\n\n", m.name, strings.Join(m.args, ", "), orUndocumented(m.doc))
				return nil
			}
		}
		return fmt.Errorf("zerorpc: no method %q", cfg.command)
	}
	width := 0
	names := make([]string, len(methods))
	for i, m := range methods {
		names[i] = m.name
		if cfg.inspect {
			names[i] += "(" + strings.Join(m.args, ", ") + ")"
		}
		width = max(width, len(names[i]))
	}
	for i, m := range methods {
		if cfg.inspect {
			fmt.Fprintln(stdout, names[i])
			continue
		}
		doc := orUndocumented(m.doc)
		doc, _, _ = strings.Cut(doc, "\n")
		fmt.Fprintf(stdout, "%-*s %s\n", width, names[i], doc)
	}
	return nil
}

func orUndocumented(doc string) string {
	if doc == "" {
		return "<undocumented>"
	}
	return doc
}

// inspect reads _zerorpc_inspect:
// {"name": N, "methods": {m: {"args": [{"name": a}, …], "doc": D}}}.
func inspect(ctx context.Context, c *zerorpc.Client) ([]methodInfo, error) {
	v, err := c.Call(ctx, "_zerorpc_inspect")
	if err != nil {
		return nil, err
	}
	top, _ := v.(map[string]any)
	detail, _ := top["methods"].(map[string]any)
	var out []methodInfo
	for name, d := range detail {
		m := methodInfo{name: name}
		info, _ := d.(map[string]any)
		m.doc, _ = info["doc"].(string)
		args, _ := info["args"].([]any)
		for _, a := range args {
			arg, _ := a.(map[string]any)
			if n, ok := arg["name"].(string); ok {
				m.args = append(m.args, n)
			}
		}
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, nil
}
