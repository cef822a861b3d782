/**
 * The crash test: helpstream's runnable jar as a child process (launched by the local stack), SIGKILLed and restarted
 * while a planned workload flows; afterwards every guarantee is checked from the committed topics and the database
 * ({@code DeliveryCheck}, {@code TicketCheck}, {@code StateCheck}). See RELIABILITY.md.
 */
package io.helpstream.harness;
