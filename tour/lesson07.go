package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"

	"github.com/rpc-course/rpc-from-0-to-1/07-notify/notify"
)

// notifications is the article's last section: a notifier with nova's
// event-type white list, the queues that hold the events, and a tiny
// ceilometer that receives them by priority.
func notifications(ctx context.Context, g *guide) error {
	g.explain(`
		A notification is a cast nobody answers: published to exchange "openstack" with
		routing key <topic>.<priority>, e.g. notifications.info, for whoever listens.
		The notifier has a white list, as nova does: other event types get a warning.`, `
		事件通知就是一次没人应答的 cast：发布到交换机 "openstack"，路由键是 <topic>.<priority>，
		比如 notifications.info，谁订阅谁就能收到。notifier 和 nova 一样有一份白名单：
		不在白名单里的 event type 会打一条 warn 日志。`)
	conn, err := notify.Dial(g.amqpURL)
	if err != nil {
		return err
	}
	defer conn.Close()

	// The white-list warning goes through slog, printed here as the
	// notifier's own log line.
	logs := newSink(g, "    log: ")
	n, err := notify.NewNotifier(conn, notify.NotifierConfig{
		PublisherID:       "compute.host1",
		AllowedEventTypes: []string{"compute.instance.create.start", "compute.instance.create.end"},
		Logger:            slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{ReplaceAttr: dropTime})),
	})
	if err != nil {
		return err
	}
	defer n.Close()
	events := []struct {
		priority  notify.Priority
		eventType string
		payload   map[string]any
	}{
		{notify.PriorityInfo, "compute.instance.create.start", map[string]any{"instance_id": "i-1"}},
		{notify.PriorityInfo, "compute.instance.create.end", map[string]any{"instance_id": "i-1", "state": "active"}},
		{notify.PriorityError, "compute.instance.create.fail", map[string]any{"instance_id": "i-2", "reason": "no valid host"}},
	}
	sent := map[string]int{} // how many notifications each queue should hold
	for _, e := range events {
		g.say("  notifier.%s(ctxt, %q, payload)", strings.ToLower(string(e.priority)), e.eventType)
		if err := n.Notify(ctx, e.priority, e.eventType, e.payload); err != nil {
			return fmt.Errorf("%s: %w", e.eventType, err)
		}
		sent[e.priority.RoutingKey("notifications")]++
	}
	if err := showWaitingQueues(ctx, g, conn, sent); err != nil {
		return err
	}

	out := newSink(g, "    ")
	l, err := notify.NewNotificationListener(conn, notify.ListenerConfig{
		Endpoints: []any{&ceilometer{out: out}},
		Logger:    slog.New(slog.NewTextHandler(logs, nil)),
	})
	if err != nil {
		return err
	}
	g.tell("  a listener starts (a tiny ceilometer) and gets them, by priority:",
		"  启动一个 listener（一个迷你 ceilometer），它按优先级收到这些通知：")
	if err := l.Start(ctx); err != nil {
		return err
	}
	defer l.Stop()
	return out.waitFor("compute.instance.create", len(events), 30*time.Second)
}

// showWaitingQueues shows the queues holding the notifications sent,
// each with the number of messages it should hold, before anyone listens.
func showWaitingQueues(ctx context.Context, g *guide, conn *amqp.Connection, sent map[string]int) error {
	g.explain(`
		Nobody listens yet, and nothing is lost: the notifier declared a queue per routing key.`, `
		现在还没有人在听，但消息一条也没丢：notifier 为每个路由键都声明了一个队列。`)
	for _, q := range []string{"notifications.info", "notifications.error"} {
		st, err := queueHolding(ctx, conn, q, sent[q])
		if err != nil {
			return err
		}
		g.say("    %-22s messages=%d consumers=%d", st.Name, st.Messages, st.Consumers)
	}
	return nil
}

// queueHolding inspects queue name until it holds n messages, or for
// 30 seconds at most: a publish without confirms reaches the queue a
// moment after Notify returns, so the first count can still be short.
func queueHolding(ctx context.Context, conn *amqp.Connection, name string, n int) (notify.QueueState, error) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		st, ok, err := notify.InspectQueue(conn, name)
		if err != nil || !ok {
			return st, fmt.Errorf("inspect %s: ok=%v %v", name, ok, err)
		}
		if st.Messages >= n || time.Now().After(deadline) {
			return st, nil
		}
		select {
		case <-ctx.Done():
			return st, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// ceilometer is a listener endpoint: one method per priority it wants.
type ceilometer struct{ out *sink }

func (c *ceilometer) Info(ctx context.Context, publisherID, eventType string, payload any, md notify.Metadata) error {
	return c.print("INFO", publisherID, eventType, payload)
}

func (c *ceilometer) Error(ctx context.Context, publisherID, eventType string, payload any, md notify.Metadata) error {
	return c.print("ERROR", publisherID, eventType, payload)
}

func (c *ceilometer) print(priority, publisherID, eventType string, payload any) error {
	body, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(c.out, "[%s] %s %s %s\n", priority, publisherID, eventType, body)
	return err
}

// dropTime leaves the time out of a log line, which is all the tour
// needs to show of it.
func dropTime(groups []string, a slog.Attr) slog.Attr {
	if a.Key == slog.TimeKey && len(groups) == 0 {
		return slog.Attr{}
	}
	return a
}
