/**
 * The customer chat page's backend, the reference web gateway: conversations it opened, each under a random id and
 * the email typed on the page ({@link io.helpstream.webchat.ChatConversations}); customer messages written to
 * {@code support.customer-messages} with that email as the gateway-asserted one, and the replies of
 * {@code support.agent-replies} pushed to the page of their conversation ({@link io.helpstream.webchat.WebChat}).
 */
package io.helpstream.webchat;
