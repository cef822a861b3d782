/**
 * Tracing with the OpenTelemetry API: the tracer helpstream's spans are made with, and the W3C {@code traceparent}
 * of Kafka records read and written. The application chooses the SDK and its exporter; without one every span is a
 * no-op, and a gateway's trace id still travels from its message to the reply.
 */
package io.helpstream.telemetry;
