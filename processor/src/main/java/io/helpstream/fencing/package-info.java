/**
 * Who may write for a stream task: each new owner of a task (another instance, or a later life of the task in this
 * one) claims the next epoch of the task's {@link io.helpstream.fencing.Fence} before it starts any turn; every turn
 * carries the fence it was started under, and every write made for it is refused once a newer owner claimed the task.
 * {@link io.helpstream.fencing.TaskFences} is the port, {@code fencing.postgres} its adapter, whose check runs inside
 * each write's own transaction.
 */
package io.helpstream.fencing;
