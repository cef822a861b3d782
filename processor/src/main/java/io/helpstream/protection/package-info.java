/**
 * Protection of the customer data helpstream keeps: the optional encryption of stored values with a Tink AEAD keyset
 * ({@link io.helpstream.protection.ValueCipher}, {@link io.helpstream.protection.Keysets}), what a dead letter keeps
 * of its payload ({@link io.helpstream.protection.DeadLetterPolicy}) and what of a failure may be shown in logs and
 * dead-letter reasons ({@link io.helpstream.protection.Redaction}). Depends on no other helpstream package.
 */
package io.helpstream.protection;
