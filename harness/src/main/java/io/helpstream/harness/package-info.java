/**
 * The crash test: helpstream's runnable jar as a child process (launched by the local stack), SIGKILLed and restarted
 * while a planned workload flows; afterwards every guarantee is checked from the committed topics and the database
 * ({@code DeliveryCheck}, {@code TicketCheck}, {@code StateCheck}). The chaos test ({@code ChaosRun}): a fleet of such
 * processes with a scripted model served over HTTP ({@code ScriptedModel}, {@code SupportScript}), killed, restarted,
 * scaled and frozen ({@code Disruptor}); tickets, events and replies checked against each other
 * ({@code ConsistencyCheck}). See RELIABILITY.md.
 */
package io.helpstream.harness;
