/**
 * Talking to helpstream from outside, as a chat gateway does: the customer messages it sends, the producer and
 * consumer settings that keep them ordered and read only committed output, and {@link
 * io.helpstream.client.GatewayClient} that sends and reads back. Needs only kafka-clients and the contracts.
 */
package io.helpstream.client;
