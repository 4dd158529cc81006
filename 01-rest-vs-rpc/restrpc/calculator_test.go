package restrpc

import (
	"errors"
	"math"
	"testing"
)

func TestCalculateFollowsPython(t *testing.T) {
	tests := []struct {
		op   string
		x, y int
		want int
	}{
		{OpAdd, 2, 3, 5},
		{OpSubtract, 2, 3, 1},
		{OpSubtract, 3, 2, 1},
		{OpMultiply, 2, 3, 6},
		{OpDivide, 2, 3, 0},
		{OpDivide, -7, 2, -4},
		{OpDivide, 7, -2, -4},
		{OpDivide, -7, -2, 3},
		{OpDivide, -8, 2, -4},
		{OpDivide, math.MinInt, -1, math.MinInt}, // wraps, no panic
	}
	for _, tt := range tests {
		got, err := Calculate(tt.op, tt.x, tt.y)
		if err != nil || got != tt.want {
			t.Errorf("Calculate(%q, %d, %d) = %d, %v; want %d",
				tt.op, tt.x, tt.y, got, err, tt.want)
		}
	}
}

func TestCalculateReturnsErrorValues(t *testing.T) {
	if _, err := Calculate(OpDivide, 1, 0); !errors.Is(err, ErrDivisionByZero) {
		t.Errorf("divide(1, 0) error = %v, want ErrDivisionByZero", err)
	}
	_, err := Calculate("power", 2, 3)
	var unknown *UnknownOperationError
	if !errors.As(err, &unknown) || unknown.Operation != "power" {
		t.Errorf("power(2, 3) error = %v, want *UnknownOperationError", err)
	}
}

// FuzzFloorDiv checks Python's rule for // and % together:
// x == q*y + r, with r between 0 and y (same sign as y).
func FuzzFloorDiv(f *testing.F) {
	f.Add(2, 3)
	f.Add(-7, 2)
	f.Add(7, -2)
	f.Add(0, 5)
	f.Fuzz(func(t *testing.T, x, y int) {
		if y == 0 || (x == math.MinInt && y == -1) {
			return
		}
		q := floorDiv(x, y)
		r := x - q*y
		if y > 0 && (r < 0 || r >= y) || y < 0 && (r > 0 || r <= y) {
			t.Errorf("floorDiv(%d, %d) = %d leaves remainder %d", x, y, q, r)
		}
	})
}
