package main

import "path"

// level is how hard an exercise is, from warm-up to stretch.
type level int

const (
	warmUp level = iota
	core
	stretch
)

// peer is what an exercise's test talks to besides Go.
type peer string

const (
	noPeer       peer = ""
	pythonPeer   peer = "Python"
	brokerPeer   peer = "RabbitMQ"
	pyBrokerPeer peer = "RabbitMQ + Python"
)

// exercise is one task: a file to edit and the test that checks it.
type exercise struct {
	id     string // lesson.number, e.g. "02.1"
	lesson int
	title  text
	level  level
	file   string // the file the student edits, from the module root
	test   string // the test function that checks it
	peer   peer
	hints  []text
}

// dir is the exercise's package directory, from the module root.
func (e exercise) dir() string { return path.Dir(e.file) }

// lessonTitles names each lesson.
var lessonTitles = map[int]text{
	1: {"REST vs RPC", "REST 与 RPC"},
	2: {"XML-RPC", "XML-RPC"},
	3: {"JSON-RPC", "JSON-RPC"},
	4: {"zerorpc", "zerorpc"},
	5: {"AMQP basics", "AMQP 基础"},
	6: {"RPC the OpenStack way", "OpenStack 风格的 RPC"},
	7: {"Notifications", "事件通知"},
}

// exercises lists every exercise in course order: by lesson, and within
// a lesson from warm-up to stretch.
var exercises = []exercise{
	{
		id: "01.1", lesson: 1, level: warmUp,
		title: text{"Call Calculator.Add over net/rpc", "用 net/rpc 调用 Calculator.Add"},
		file:  "01-rest-vs-rpc/exercises/rpcadd.go", test: "TestRPCAddCallsTheCalculator",
		hints: []text{
			{"One line does it: client.Call(\"Calculator.Add\", restrpc.Args{X: x, Y: y}, &sum).",
				"一行即可：client.Call(\"Calculator.Add\", restrpc.Args{X: x, Y: y}, &sum)。"},
			{"The reply must be a pointer: net/rpc decodes the answer into it.",
				"reply 必须是指针：net/rpc 把结果解码到它指向的变量里。"},
		},
	},
	{
		id: "01.2", lesson: 1, level: core,
		title: text{"Create a calculation over REST", "用 REST 创建一个计算资源"},
		file:  "01-rest-vs-rpc/exercises/restcreate.go", test: "TestCreateCalculationPostsAResourceAndFollowsItsLocation",
		hints: []text{
			{"Send only operation, x and y: the server refuses fields it does not know (id, result).",
				"只发送 operation、x 和 y：服务器拒绝它不认识的字段（id、result）。"},
			{"http.NewRequestWithContext(ctx, \"POST\", baseURL+\"/calculations\", body), then set Content-Type: application/json.",
				"http.NewRequestWithContext(ctx, \"POST\", baseURL+\"/calculations\", body)，再设置 Content-Type: application/json。"},
			{"Location is a path like /calculations/1: url.Parse(baseURL) then base.Parse(location).",
				"Location 是 /calculations/1 这样的路径：先 url.Parse(baseURL)，再 base.Parse(location)。"},
		},
	},
	{
		id: "01.3", lesson: 1, level: core,
		title: text{"Add a Power method to the RPC service", "给 RPC 服务加一个 Power 方法"},
		file:  "01-rest-vs-rpc/exercises/power.go", test: "TestPowerIsOneMoreMethodOnTheSameService",
		hints: []text{
			{"Start with p := 1 and multiply by args.X, args.Y times; then *reply = p.",
				"从 p := 1 开始，乘 args.Y 次 args.X，然后 *reply = p。"},
			{"Check args.Y < 0 first and return an error: net/rpc sends its text to the caller.",
				"先检查 args.Y < 0 并返回错误：net/rpc 会把错误文本发给调用方。"},
		},
	},
	{
		id: "01.4", lesson: 1, level: stretch,
		title: text{"Dial net/rpc over HTTP by hand", "手写 net/rpc 的 HTTP 拨号"},
		file:  "01-rest-vs-rpc/exercises/rpcoverhttp.go", test: "TestDialHTTPSpeaksGobAfterOneConnect",
		hints: []text{
			{"fmt.Fprintf(conn, \"CONNECT %s HTTP/1.0\\n\\n\", rpc.DefaultRPCPath) sends the request.",
				"fmt.Fprintf(conn, \"CONNECT %s HTTP/1.0\\n\\n\", rpc.DefaultRPCPath) 发送请求。"},
			{"http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: \"CONNECT\"}) reads the answer; then rpc.NewClient(conn).",
				"http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: \"CONNECT\"}) 读取应答；然后 rpc.NewClient(conn)。"},
			{"Close the connection on every error path, and refuse any status but 200.",
				"每条出错路径都要关闭连接；状态码不是 200 就报错。"},
		},
	},
}
