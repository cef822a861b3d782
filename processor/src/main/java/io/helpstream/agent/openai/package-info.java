/**
 * Any OpenAI-compatible chat model behind retries, circuit breaker, bulkhead and rate limiter
 * ({@code ResilientChatModel}); failures are classified ({@code ModelErrorKind}) and an unavailable model surfaces as
 * {@code ModelUnavailableException}, so the turn can fall back.
 */
package io.helpstream.agent.openai;
