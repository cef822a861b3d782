/**
 * The built-in chat model: deterministic, no network. It reads the customer message for intents, asks for the tools a
 * language model would, and writes the answer from the tools' structured results.
 */
package io.helpstream.agent.offline;
