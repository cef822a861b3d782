/**
 * The stream topology and the conversation state: {@link io.helpstream.conversation.ConversationTopology} builds the
 * whole topology from a {@code StreamsBuilder}; {@code ConversationProcessor} owns the conversation store, starts
 * turns and applies their outcomes on the stream thread; {@code Conversations} holds the pure state rules.
 */
package io.helpstream.conversation;
