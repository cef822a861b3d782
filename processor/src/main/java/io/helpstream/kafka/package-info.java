/**
 * Kafka administration and settings for the processor: the Kafka Streams properties ({@code StreamsSettings}) and the
 * creation of the topics helpstream needs ({@code TopicCreator}, {@code TopicSpec}). Topic names and serdes are the
 * contract, in {@code io.helpstream.contract}.
 */
package io.helpstream.kafka;
