/**
 * Kafka as the pages see it: a topic followed live by one consumer of its own
 * ({@link io.helpstream.live.CommittedFeed}, {@code read_committed}, every partition, no consumer group), records
 * written with an idempotent producer ({@link io.helpstream.live.TopicWriter}), and the subscribers a record is pushed
 * to
 * ({@link io.helpstream.live.Subscribers}).
 */
package io.helpstream.live;
