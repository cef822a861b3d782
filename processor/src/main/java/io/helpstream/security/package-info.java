/**
 * What keeps customers apart beyond the tools' own checks: the identity levels and the rules that move a conversation
 * between them ({@link io.helpstream.security.IdentityRules}), one-time verification codes kept only as a salted hash
 * ({@link io.helpstream.security.VerificationCodes}), the budgets a conversation and a customer spend
 * ({@link io.helpstream.security.Budgets}) and the records of the audit trail
 * ({@link io.helpstream.security.AuditRecords}). Depends on the contract and the turn lifecycle only.
 */
package io.helpstream.security;
