//go:build exercises

package exercises_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/01-rest-vs-rpc/exercises"
	"github.com/rpc-course/rpc-from-0-to-1/01-rest-vs-rpc/restrpc"
)

func TestCreateCalculationPostsAResourceAndFollowsItsLocation(t *testing.T) {
	base := "http://" + serve(t, restrpc.REST)
	hc := &http.Client{}

	loc, result, err := exercises.CreateCalculation(t.Context(), hc, base, "add", 2, 3)
	if err != nil {
		t.Fatalf("CreateCalculation(add, 2, 3) returned the error %q.\n"+
			"Look at restcreate.go: POST JSON to %s/calculations and expect 201 Created.", err, base)
	}
	if result != 5 {
		t.Errorf("CreateCalculation(add, 2, 3) result = %d; want 5 (decode the body's \"result\")", result)
	}
	if !strings.HasPrefix(loc, base+"/calculations/") {
		t.Fatalf("location = %q; want a URL under %s/calculations/ "+
			"(read the Location header and resolve it against baseURL)", loc, base)
	}

	// The resource is there: a GET of its location reads it back.
	resp, err := hc.Get(loc)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var c restrpc.Calculation
	if resp.StatusCode != http.StatusOK || json.NewDecoder(resp.Body).Decode(&c) != nil {
		t.Fatalf("GET %s: %s; want 200 and the calculation", loc, resp.Status)
	}
	if c.Operation != "add" || c.X != 2 || c.Y != 3 || c.Result != 5 {
		t.Errorf("GET %s = %+v; want add 2 3 = 5", loc, c)
	}

	// A bad request is an error, not a zero result.
	if _, _, err := exercises.CreateCalculation(t.Context(), hc, base, "divide", 1, 0); err == nil {
		t.Errorf("CreateCalculation(divide, 1, 0) returned no error; the server answers %s, "+
			"so check the status code", "a 4xx problem")
	}
}
