/**
 * The human-agent desk's backend: the open handoffs as {@code support.handoffs} tells them
 * ({@link io.helpstream.desk.HandoffView}, bounded), the agents signed in ({@link io.helpstream.desk.DeskSessions}),
 * and what they do, written to {@code support.agent-actions} ({@link io.helpstream.desk.Desk#act}). The pages and
 * their endpoints are in {@code io.helpstream.ops}.
 */
package io.helpstream.desk;
