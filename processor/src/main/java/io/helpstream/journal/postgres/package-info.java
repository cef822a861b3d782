/**
 * The turn journal in PostgreSQL ({@code turn_journal}), next to the idempotency records of the same writes: a step is
 * recorded in a transaction that first checks the turn's fence, so an earlier owner of the task records nothing once
 * a newer one claimed it.
 */
package io.helpstream.journal.postgres;
