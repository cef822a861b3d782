/**
 * The LangChain4j agent behind the {@code Agent} port: {@link io.helpstream.agent.Agents} assembles the whole chain
 * once (chat model, fallback to the offline model, ticket events from recorded writes); {@code LangChainAgent} runs a
 * turn as an AI service over the support tools; {@code ModelSettings} and {@code AgentSettings} say how.
 */
package io.helpstream.agent;
