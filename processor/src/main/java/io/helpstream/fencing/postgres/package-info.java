/**
 * The fences in PostgreSQL: one row per task holding its current epoch ({@code task_fences}). A claim raises it; every
 * write of a turn first takes a shared lock on the row and compares
 * ({@link io.helpstream.fencing.postgres.FenceCheck}), so a claim waits for the writes already running under the old
 * epoch and refuses every one that comes after.
 */
package io.helpstream.fencing.postgres;
