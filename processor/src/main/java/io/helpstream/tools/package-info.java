/**
 * The tools the model may call, one small class per tool group, and the {@code TurnContext} every call of a turn
 * shares (passed with LangChain4j's {@code InvocationParameters}). Tools are stateless and talk to the support
 * domain through the {@code SupportRepository} port only.
 */
package io.helpstream.tools;
