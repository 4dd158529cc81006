//go:build exercises

package exercises_test

import (
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/endpoints"
	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/exercises"
	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
)

func TestAddCallsTheCalculatorThroughTheBroker(t *testing.T) {
	tr, _ := transport(t)
	serve(t, tr, oslo.Target{Topic: "calc", Server: "calc1"}, endpoints.CalculatorEndpoint{})
	c := client(t, tr, "calc")
	for _, tc := range []struct{ x, y, want int }{{2, 3, 5}, {40, 2, 42}} {
		got, err := exercises.Add(t.Context(), c, tc.x, tc.y)
		if err != nil {
			t.Fatalf("Add(%d, %d) returned the error %q; want %d.\n"+
				"Look at add.go: client.Call(ctx, \"add\", oslo.Args{\"x\": x, \"y\": y}, &sum).", tc.x, tc.y, err, tc.want)
		}
		if got != tc.want {
			t.Fatalf("Add(%d, %d) = %d; want %d", tc.x, tc.y, got, tc.want)
		}
	}
}
