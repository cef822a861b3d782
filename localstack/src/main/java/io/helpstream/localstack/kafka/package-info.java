/**
 * A real Kafka broker inside this JVM: one KRaft node, its storage and properties, and the guard that keeps a broker
 * fault from ending the JVM. The only place that uses Kafka's server classes, so that the processor depends on
 * kafka-clients and kafka-streams alone.
 */
package io.helpstream.localstack.kafka;
