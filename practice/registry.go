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
	{
		id: "02.1", lesson: 2, level: warmUp, peer: pythonPeer,
		title: text{"Two calls in one request: system.multicall", "一次请求两个调用：system.multicall"},
		file:  "02-xmlrpc/exercises/multicall.go", test: "TestAddAndMultiplyAsksThePythonServerOnce",
		hints: []text{
			{"c.Multicall(ctx, xmlrpc.MulticallEntry{Method: \"add\", Params: []any{x, y}}, …) sends both at once.",
				"c.Multicall(ctx, xmlrpc.MulticallEntry{Method: \"add\", Params: []any{x, y}}, …) 一次发出两个调用。"},
			{"Each result has a Value or a Fault; xmlrpc.Unmarshal(r.Value, &n) turns a Value into an int.",
				"每个结果要么有 Value，要么有 Fault；xmlrpc.Unmarshal(r.Value, &n) 把 Value 转成 int。"},
		},
	},
	{
		id: "02.2", lesson: 2, level: core, peer: pythonPeer,
		title: text{"Add power, with help for system.methodHelp", "加上 power 方法，并为 system.methodHelp 写帮助"},
		file:  "02-xmlrpc/exercises/methodhelp.go", test: "TestPowerIsListedExplainedAndCallableFromPython",
		hints: []text{
			{"s.RegisterFunction(\"power\", Power) publishes it; system.listMethods then lists it by itself.",
				"s.RegisterFunction(\"power\", Power) 发布方法；system.listMethods 会自动列出它。"},
			{"s.SetHelp(\"power\", \"power(x, y) returns …\") is what system.methodHelp('power') answers.",
				"s.SetHelp(\"power\", \"power(x, y) returns …\") 就是 system.methodHelp('power') 的回答。"},
		},
	},
	{
		id: "02.3", lesson: 2, level: core, peer: pythonPeer,
		title: text{"Give divide a fault code of its own", "给 divide 一个专属的 fault code"},
		file:  "02-xmlrpc/exercises/faultcode.go", test: "TestDivideByZeroIsAFaultWithItsOwnCode",
		hints: []text{
			{"if y == 0 { return 0, &xmlrpc.Fault{Code: DivisionByZero, String: \"division by zero\"} }",
				"if y == 0 { return 0, &xmlrpc.Fault{Code: DivisionByZero, String: \"division by zero\"} }"},
		},
	},
	{
		id: "02.4", lesson: 2, level: stretch, peer: pythonPeer,
		title: text{"Accept gzip request bodies, safe from a zip bomb", "接受 gzip 请求体，并防住 zip 炸弹"},
		file:  "02-xmlrpc/exercises/gzip.go", test: "TestGunzipAcceptsPythonsGzipBodiesAndRefusesABomb",
		hints: []text{
			{"gzip.NewReader(r.Body) fails at once on a body that is not gzip: answer 400.",
				"gzip.NewReader(r.Body) 遇到不是 gzip 的请求体会立刻出错：返回 400。"},
			{"io.ReadAll(io.LimitReader(zr, MaxInflated+1)): more than MaxInflated bytes means too big, 413.",
				"io.ReadAll(io.LimitReader(zr, MaxInflated+1))：读到超过 MaxInflated 字节就是太大，返回 413。"},
			{"r2 := r.Clone(r.Context()); set r2.Body, r2.ContentLength, delete Content-Encoding; next.ServeHTTP(w, r2).",
				"r2 := r.Clone(r.Context())；设置 r2.Body、r2.ContentLength，删掉 Content-Encoding；next.ServeHTTP(w, r2)。"},
		},
	},
	{
		id: "03.1", lesson: 3, level: warmUp, peer: pythonPeer,
		title: text{"Call the article's jsonrpclib server from Go", "从 Go 调用文章里的 jsonrpclib 服务器"},
		file:  "03-jsonrpc/exercises/add.go", test: "TestAddCallsTheArticlesPythonServer",
		hints: []text{
			{"c.Call(ctx, \"add\", []int{x, y}, &sum): params by position are a slice.",
				"c.Call(ctx, \"add\", []int{x, y}, &sum)：按位置传参就是一个切片。"},
		},
	},
	{
		id: "03.2", lesson: 3, level: core, peer: pythonPeer,
		title: text{"Send a batch with a notification and count the replies", "发送带通知的批量请求，数一数应答"},
		file:  "03-jsonrpc/exercises/batch.go", test: "TestSendBatchGetsTwoRepliesForThreeRequests",
		hints: []text{
			{"A notification is a request without the \"id\" member: not id null, no id at all.",
				"通知就是没有 \"id\" 成员的请求：不是 id 为 null，而是根本没有 id。"},
			{"Write the array as a string constant, POST it, and decode the body into []json.RawMessage.",
				"把数组写成字符串常量，POST 出去，再把应答体解码到 []json.RawMessage。"},
		},
	},
	{
		id: "03.3", lesson: 3, level: core, peer: pythonPeer,
		title: text{"Accept params by position and by name", "同时接受按位置和按名字传参"},
		file:  "03-jsonrpc/exercises/byname.go", test: "TestPowerServerTakesParamsByPositionAndByName",
		hints: []text{
			{"s.RegisterFunction(\"power\", Power, \"base\", \"exp\"): the names come after the function, in order.",
				"s.RegisterFunction(\"power\", Power, \"base\", \"exp\")：参数名跟在函数后面，按顺序。"},
		},
	},
	{
		id: "03.4", lesson: 3, level: stretch, peer: pythonPeer,
		title: text{"Write a JSON-RPC 2.0 server by hand", "手写一个 JSON-RPC 2.0 服务器"},
		file:  "03-jsonrpc/exercises/byhand.go", test: "TestAddHandlerFollowsTheSpecificationForOneRequest",
		hints: []text{
			{"Decode into struct { JSONRPC, Method string; Params, ID json.RawMessage } with json tags; ID nil means a notification.",
				"解码到 struct { JSONRPC, Method string; Params, ID json.RawMessage }（带 json 标签）；ID 为 nil 就是通知。"},
			{"Echo the id back as the same raw bytes: the client matches replies by it.",
				"原样返回 id 的字节：客户端靠它匹配应答。"},
			{"A result of 0 is still a result: do not let omitempty drop it (use json.RawMessage).",
				"结果为 0 也是结果：别让 omitempty 把它丢掉（用 json.RawMessage）。"},
		},
	},
	{
		id: "04.1", lesson: 4, level: warmUp, peer: pythonPeer,
		title: text{"Call a Python zerorpc server from Go", "从 Go 调用 Python 的 zerorpc 服务器"},
		file:  "04-zerorpc/exercises/add.go", test: "TestAddCallsAPythonZerorpcServer",
		hints: []text{
			{"c.CallInto(ctx, &sum, \"add\", x, y): the result first, then the method and its args.",
				"c.CallInto(ctx, &sum, \"add\", x, y)：先放结果指针，再放方法名和参数。"},
		},
	},
	{
		id: "04.2", lesson: 4, level: core,
		title: text{"Add a method to the server and call it from the Go CLI", "给服务器加一个方法，并用 Go 命令行调用它"},
		file:  "04-zerorpc/exercises/power.go", test: "TestPowerAnswersTheCommandLine",
		hints: []text{
			{"Register turns every exported method into a remote one: Power is called as power.",
				"Register 会把每个导出方法变成远程方法：Power 以 power 的名字被调用。"},
			{"return 0, &zerorpc.RemoteError{Name: \"ValueError\", Message: \"negative exponent\"} for y < 0.",
				"y < 0 时 return 0, &zerorpc.RemoteError{Name: \"ValueError\", Message: \"negative exponent\"}。"},
			{"Try it by hand: go run ./04-zerorpc/cli --server --bind tcp://127.0.0.1:4242 caculate serves the lesson's calculator; your test serves exercises.NewServer.",
				"手动试试：go run ./04-zerorpc/cli --server --bind tcp://127.0.0.1:4242 caculate 运行本课的计算器；测试运行的是 exercises.NewServer。"},
		},
	},
	{
		id: "04.3", lesson: 4, level: core,
		title: text{"Stream a countdown", "流式返回倒计时"},
		file:  "04-zerorpc/exercises/countdown.go", test: "TestCountdownStreamsOneItemAtATime",
		hints: []text{
			{"for i := n; i > 0; i-- { if !yield(i) { return } }",
				"for i := n; i > 0; i-- { if !yield(i) { return } }"},
		},
	},
	{
		id: "04.4", lesson: 4, level: stretch,
		title: text{"Encode a request event byte for byte as Python", "逐字节按 Python 的方式编码请求事件"},
		file:  "04-zerorpc/exercises/event.go", test: "TestEncodeRequestWritesPythonsBytes",
		hints: []text{
			{"enc.EncodeArrayLen(3), then enc.EncodeMapLen(2) and the two keys in order, never a Go map.",
				"enc.EncodeArrayLen(3)，然后 enc.EncodeMapLen(2)，按顺序写两个键，不要用 Go 的 map。"},
			{"The id is bin: enc.EncodeBytes(id), not EncodeString.",
				"id 是 bin 类型：用 enc.EncodeBytes(id)，不是 EncodeString。"},
			{"enc.UseCompactInts(true) before enc.Encode(args) makes 2 one byte, like Python.",
				"在 enc.Encode(args) 之前调用 enc.UseCompactInts(true)，让 2 只占一个字节，与 Python 相同。"},
		},
	},
	{
		id: "05.1", lesson: 5, level: warmUp, peer: pyBrokerPeer,
		title: text{"Produce Hello World! for the article's pika consumer", "为文章里的 pika 消费者发送 Hello World!"},
		file:  "05-amqp-basics/exercises/produce.go", test: "TestProduceReachesTheArticlesPikaConsumer",
		hints: []text{
			{"ch.QueueDeclare(queue, false, false, false, false, nil): durable false, as pika's default.",
				"ch.QueueDeclare(queue, false, false, false, false, nil)：不持久，与 pika 的默认一致。"},
			{"The default exchange is \"\", and its routing key is the queue's name.",
				"默认交换机的名字是 \"\"，路由键就是队列名。"},
		},
	},
	{
		id: "05.2", lesson: 5, level: core, peer: brokerPeer,
		title: text{"A consumer that loses no message when it crashes (ack after work)", "崩溃也不丢消息的消费者（处理完再 ack）"},
		file:  "05-amqp-basics/exercises/ackafterwork.go", test: "TestHandleOneLosesNoMessageWhenWorkFails",
		hints: []text{
			{"Turn autoAck off in ConsumeWithContext: the broker then keeps the message until you ack it.",
				"在 ConsumeWithContext 里关掉 autoAck：这样 broker 会一直保留消息，直到你 ack。"},
			{"Call d.Ack(false) only after work returned nil; on an error, d.Nack(false, true) puts it back.",
				"只在 work 返回 nil 之后调用 d.Ack(false)；出错时 d.Nack(false, true) 把它放回队列。"},
		},
	},
	{
		id: "05.3", lesson: 5, level: core, peer: brokerPeer,
		title: text{"Route logs with a topic exchange", "用 topic 交换机路由日志"},
		file:  "05-amqp-basics/exercises/topic.go", test: "TestLogBindingsRouteEachKeyToTheRightQueues",
		hints: []text{
			{"* matches exactly one word, # zero or more: which one lets errors take app.db.error?",
				"* 恰好匹配一个单词，# 匹配零个或多个：哪一个能让 errors 收到 app.db.error？"},
			{"kern.# would also take kern.disk.warning; the kernel queue wants two words only.",
				"kern.# 也会收到 kern.disk.warning；kernel 队列只要两个单词的键。"},
		},
	},
	{
		id: "05.4", lesson: 5, level: stretch, peer: brokerPeer,
		title: text{"Learn that a message was unroutable (mandatory + return)", "得知消息无法路由（mandatory + return）"},
		file:  "05-amqp-basics/exercises/mandatory.go", test: "TestPublishOrReturnTellsAnUnroutableMessage",
		hints: []text{
			{"ch.Confirm(false), then returns := ch.NotifyReturn(make(chan amqp.Return, 1)) before you publish.",
				"先 ch.Confirm(false)，再在发布之前 returns := ch.NotifyReturn(make(chan amqp.Return, 1))。"},
			{"Publish with mandatory true; after dc.WaitContext, a select with a default case reads returns without blocking.",
				"以 mandatory 为 true 发布；dc.WaitContext 之后，用带 default 的 select 非阻塞地读 returns。"},
		},
	},
	{
		id: "06.1", lesson: 6, level: warmUp, peer: brokerPeer,
		title: text{"Call the calculator through the broker", "经由 broker 调用计算器"},
		file:  "06-openstack-style/exercises/add.go", test: "TestAddCallsTheCalculatorThroughTheBroker",
		hints: []text{
			{"Arguments go by keyword: client.Call(ctx, \"add\", oslo.Args{\"x\": x, \"y\": y}, &sum).",
				"参数按关键字传递：client.Call(ctx, \"add\", oslo.Args{\"x\": x, \"y\": y}, &sum)。"},
		},
	},
	{
		id: "06.2", lesson: 6, level: core, peer: pyBrokerPeer,
		title: text{"Add a version 2.0 endpoint so the article's own client call succeeds", "加一个 2.0 版的 endpoint，让文章自己的客户端调用成功"},
		file:  "06-openstack-style/exercises/version.go", test: "TestTheArticlesVersion2ClientGetsAnAnswer",
		hints: []text{
			{"The client asks for 2.0; an endpoint without a Target is 1.0, and 1 ≠ 2.",
				"客户端要求 2.0；没有 Target 的 endpoint 是 1.0，而 1 ≠ 2。"},
			{"return oslo.Target{Version: \"2.0\"} (the namespace stays empty).",
				"return oslo.Target{Version: \"2.0\"}（namespace 保持为空）。"},
		},
	},
	{
		id: "06.3", lesson: 6, level: core, peer: brokerPeer,
		title: text{"Cast to every server of a topic (fanout)", "向一个 topic 的所有服务器广播（fanout）"},
		file:  "06-openstack-style/exercises/fanout.go", test: "TestBroadcastReachesEveryServerOfTheTopic",
		hints: []text{
			{"client.Prepare(oslo.Prepare{Fanout: true}) returns a client whose casts go to every server.",
				"client.Prepare(oslo.Prepare{Fanout: true}) 返回的客户端会把 cast 发给每一台服务器。"},
			{"A cast has no answer, so the method and args are all: Cast(ctx, \"test\", oslo.Args{\"arg\": arg}).",
				"cast 没有返回值，只需方法名和参数：Cast(ctx, \"test\", oslo.Args{\"arg\": arg})。"},
		},
	},
	{
		id: "06.4", lesson: 6, level: stretch, peer: pyBrokerPeer,
		title: text{"Refuse a caller with the exception Python expects", "用 Python 期望的异常拒绝调用者"},
		file:  "06-openstack-style/exercises/admin.go", test: "TestRebootServesAdminsAndRaisesPermissionErrorForOthers",
		hints: []text{
			{"rc := oslo.RequestContextFrom(ctx); roles, _ := rc[\"roles\"].([]any).",
				"rc := oslo.RequestContextFrom(ctx)；roles, _ := rc[\"roles\"].([]any)。"},
			{"oslo.Builtin(\"PermissionError\", \"%v is not an admin\", rc[\"user\"]) makes Python raise a real PermissionError.",
				"oslo.Builtin(\"PermissionError\", \"%v is not an admin\", rc[\"user\"]) 会让 Python 抛出真正的 PermissionError。"},
		},
	},
	{
		id: "07.1", lesson: 7, level: warmUp, peer: pyBrokerPeer,
		title: text{"Notify that an instance was created, to oslo.messaging's listener", "通知 oslo.messaging 的监听者：实例已创建"},
		file:  "07-notify/exercises/notify.go", test: "TestNotifyCreatedReachesOsloMessagingsListener",
		hints: []text{
			{"n.Info(ctx, \"compute.instance.create.end\", map[string]any{\"instance_id\": instanceID})",
				"n.Info(ctx, \"compute.instance.create.end\", map[string]any{\"instance_id\": instanceID})"},
		},
	},
	{
		id: "07.2", lesson: 7, level: core, peer: brokerPeer,
		title: text{"Let an endpoint take only the events it wants (filter rule)", "让 endpoint 只接收它想要的事件（filter rule）"},
		file:  "07-notify/exercises/filter.go", test: "TestCreateWatcherGetsOnlyCreateEvents",
		hints: []text{
			{"notify.NewFilter(notify.FilterRule{EventType: `compute\\.instance\\.create\\.`}) — compile it once, in a package variable.",
				"notify.NewFilter(notify.FilterRule{EventType: `compute\\.instance\\.create\\.`})——在包级变量里编译一次即可。"},
			{"The match is anchored at the start only (re.match), so the pattern need not cover the end.",
				"匹配只锚定开头（re.match），所以模式不必写到结尾。"},
		},
	},
	{
		id: "07.3", lesson: 7, level: core, peer: brokerPeer,
		title: text{"Make the notification listener requeue what it cannot handle", "让通知监听者把处理不了的通知放回队列"},
		file:  "07-notify/exercises/requeue.go", test: "TestRetryOnceGetsTheNotificationBack",
		hints: []text{
			{"if e.try(md.MessageID) == 1 { return notify.ErrRequeue }",
				"if e.try(md.MessageID) == 1 { return notify.ErrRequeue }"},
			{"ErrRequeue works only if the listener allows it: AllowRequeue: true in notify.ListenerConfig.",
				"只有监听者允许时 ErrRequeue 才有效：在 notify.ListenerConfig 里设置 AllowRequeue: true。"},
		},
	},
	{
		id: "07.4", lesson: 7, level: stretch, peer: pyBrokerPeer,
		title: text{"Audit who caused Python's ERROR and CRITICAL events", "审计 Python 发出的 ERROR 与 CRITICAL 事件是谁引起的"},
		file:  "07-notify/exercises/audit.go", test: "TestAuditorRecordsWhoCausedPythonsSeriousNotifications",
		hints: []text{
			{"user, _ := notify.RequestContextFrom(ctx).Get(\"user_id\")",
				"user, _ := notify.RequestContextFrom(ctx).Get(\"user_id\")"},
			{"An endpoint hears a priority only if it has that method: add Critical with the same signature as Error.",
				"endpoint 只接收它有对应方法的优先级：加一个与 Error 签名相同的 Critical 方法。"},
		},
	},
}
