/**
 * The support domain: customers, tickets, FAQ entries, the {@link io.helpstream.tickets.SupportRepository} port every
 * tool talks to, and the ticket events a write causes. Adapters live in the sub-packages: {@code postgres} (the
 * database) and {@code cache} (Redis, as a decorator of the port).
 */
package io.helpstream.tickets;
