// In REST the status code is the first thing an error says; the body
// says the rest. We use the "problem details" format of RFC 9457, a
// small JSON object with its own media type, so a client can read any
// error the same way.

package restrpc

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// ProblemContentType is the media type of an error body.
const ProblemContentType = "application/problem+json"

// Problem is an RFC 9457 problem: the REST error a client receives.
// Use [errors.As] to get it from a [RESTClient] error.
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
}

func (p *Problem) Error() string {
	if p.Detail == "" {
		return fmt.Sprintf("rest: %d %s", p.Status, p.Title)
	}
	return fmt.Sprintf("rest: %d %s: %s", p.Status, p.Title, p.Detail)
}

// writeProblem answers with status and a problem body. about:blank
// as the type means "nothing more than the status code says".
func writeProblem(w http.ResponseWriter, status int, detail string) {
	body, _ := json.Marshal(Problem{
		Type:   "about:blank",
		Title:  http.StatusText(status),
		Status: status,
		Detail: detail,
	})
	w.Header().Set("Content-Type", ProblemContentType)
	w.WriteHeader(status)
	w.Write(body)
}
