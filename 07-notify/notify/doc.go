// Package notify speaks oslo.messaging's notification API over
// RabbitMQ: a [Notifier] that publishes events the way an OpenStack
// service (nova, cinder, …) does, and a [NotificationListener] that
// receives them the way ceilometer does.
//
// A notification is a fire-and-forget event: nobody replies. The
// notifier publishes it to the topic exchange openstack with the
// routing key <topic>.<priority> (notifications.info), and it
// declares a queue of that name so events wait until a listener
// comes. A listener binds one queue per priority its endpoints
// handle, or one queue per pool, and calls the endpoint method named
// after the priority (Info, Error, …).
//
// The wire format is the one oslo.messaging 14 writes (driver
// messagingv2):
//
//	{"oslo.version": "2.0", "oslo.message": "<JSON text>"}
//
// where the inner text holds message_id, publisher_id,
// event_type, priority, payload, timestamp, _unique_id and
// the request context flattened into _context_<key> entries. The
// older driver messaging sends the inner dict without the envelope.
//
// Channels: the notifier owns one AMQP channel (guarded by a mutex,
// so it may be shared by goroutines); a listener owns another one. A
// connection may carry both. Neither reconnects: when the channel
// dies the error comes back to the caller, who decides.
package notify
