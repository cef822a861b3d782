/**
 * helpstream, running: {@link io.helpstream.app.Application} finds or starts what it needs (Kafka, PostgreSQL, Redis),
 * wires every port to its adapter and starts the topology. This module owns the wiring, not the logic.
 */
package io.helpstream.app;
