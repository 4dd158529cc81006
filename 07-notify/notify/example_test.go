package notify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"os/signal"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/07-notify/notify"
)

// Sending an event, as nova-compute does after booting an instance.
// (Needs a broker, so it is compiled but not run.)
func ExampleNotifier() {
	conn, err := notify.Dial("rabbit://guest:guest@127.0.0.1:5672/")
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	n, err := notify.NewNotifier(conn, notify.NotifierConfig{PublisherID: "compute.host1"})
	if err != nil {
		log.Fatal(err)
	}
	defer n.Close()
	ctx := notify.WithRequestContext(context.Background(), notify.RequestContext{
		{Key: "request_id", Value: "req-1"},
	})
	err = n.Info(ctx, "compute.instance.create.end",
		map[string]any{"instance_id": "i-1", "state": "active"})
	if err != nil {
		log.Fatal(err)
	}
}

// meter is an endpoint: it handles INFO and ERROR notifications.
type meter struct{}

func (meter) Info(ctx context.Context, publisherID, eventType string, payload any, md notify.Metadata) error {
	fmt.Println("info:", publisherID, eventType, payload)
	return nil
}

func (meter) Error(ctx context.Context, publisherID, eventType string, payload any, md notify.Metadata) error {
	fmt.Println("error:", publisherID, eventType, payload)
	return nil
}

// Receiving events until Ctrl-C, as ceilometer does.
func ExampleNotificationListener() {
	conn, err := notify.Dial(os.Getenv("AMQP_URL"))
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	l, err := notify.NewNotificationListener(conn, notify.ListenerConfig{
		Endpoints: []any{meter{}},
	})
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := l.Run(ctx); err != nil {
		log.Fatal(err)
	}
}

// What oslo's messagingv2 driver puts on the wire.
func ExampleMessage_Encode() {
	m := notify.Message{
		MessageID:   "5bccbc1a-3eba-4acf-a1f6-1af636157ac7",
		PublisherID: "compute.host1",
		EventType:   "compute.instance.create.end",
		Priority:    notify.PriorityInfo,
		Payload:     json.RawMessage(`{"instance_id":"i-1"}`),
		Timestamp:   "2026-11-21 07:40:25.506721",
		UniqueID:    "e851f642b0a1445688e6ef661c20b0c3",
		Context:     notify.RequestContext{{Key: "user_id", Value: "u1"}},
	}
	body, _ := m.Encode(notify.DriverMessaging)
	fmt.Println(string(body))
	// Output:
	// {"message_id": "5bccbc1a-3eba-4acf-a1f6-1af636157ac7", "publisher_id": "compute.host1", "event_type": "compute.instance.create.end", "priority": "INFO", "payload": {"instance_id": "i-1"}, "timestamp": "2026-11-21 07:40:25.506721", "_unique_id": "e851f642b0a1445688e6ef661c20b0c3", "_context_user_id": "u1"}
}

func ExampleFormatTimestamp() {
	fmt.Println(notify.FormatTimestamp(mustParse("2026-11-21 07:40:25.506721")))
	fmt.Println(notify.FormatTimestamp(mustParse("2026-11-21 07:40:25")))
	// Output:
	// 2026-11-21 07:40:25.506721
	// 2026-11-21 07:40:25
}

func mustParse(s string) time.Time {
	t, err := notify.ParseTimestamp(s)
	if err != nil {
		panic(err)
	}
	return t
}
