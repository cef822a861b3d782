/**
 * The support domain: customers, tickets and FAQ entries, the {@link io.helpstream.tickets.SupportRepository} port the
 * tools talk to (PostgreSQL in {@code postgres}, a cache in {@code cache}), the outcomes of its idempotent writes and
 * the one place ticket events are built ({@link io.helpstream.tickets.TicketEvents}).
 */
package io.helpstream.tickets;
