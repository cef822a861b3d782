package io.helpstream.protection;

import com.google.crypto.tink.Aead;
import io.helpstream.contract.SealedValues;
import java.security.GeneralSecurityException;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Encrypts and decrypts stored values in the {@link SealedValues} format, or leaves them plain when no keyset is
 * configured. Each value is bound to its store (or topic) and key by the associated data, so it decrypts only where it
 * was written. Values stored plain (before encryption was turned on) are read as they are.
 */
public final class ValueCipher {

    private static final ValueCipher NONE = new ValueCipher(null);

    private final Aead aead;
    private final int overhead;

    private ValueCipher(Aead aead) {
        this.aead = aead;
        this.overhead = aead == null ? 0 : measureOverhead(aead);
    }

    /** No encryption: values are written plain; an encrypted one found in a store cannot be read. */
    public static ValueCipher none() {
        return NONE;
    }

    /** Encryption with the keyset's primary key; every key of the keyset decrypts. */
    public static ValueCipher of(Aead aead) {
        return new ValueCipher(Objects.requireNonNull(aead, "aead"));
    }

    public boolean enabled() {
        return aead != null;
    }

    /** Bytes encryption adds to a value (marker, key id, nonce, tag), for the record size limit. */
    public int overhead() {
        return overhead;
    }

    /** The value as it is to be stored in {@code store} under {@code key}: encrypted when enabled, else itself. */
    public byte[] seal(String store, byte[] key, byte[] plain) {
        if (aead == null) {
            return plain;
        }
        try {
            return SealedValues.seal(plain, store, key, aead::encrypt);
        } catch (GeneralSecurityException e) {
            throw new SerializationException("cannot encrypt a value for " + store, e);
        }
    }

    /**
     * The plain value of what {@code store} holds under {@code key}.
     *
     * @throws SerializationException when it is encrypted and cannot be decrypted (no keyset, a keyset without its
     *                                key, or a value moved from another key or store)
     */
    public byte[] open(String store, byte[] key, byte[] stored) {
        try {
            return SealedValues.open(stored, store, key, aead == null ? null : aead::decrypt);
        } catch (GeneralSecurityException e) {
            // Tink's messages name no key material and no plaintext.
            throw new SerializationException("cannot decrypt a value of " + store + " (" + e.getMessage()
                    + "): no keyset, a key the keyset does not hold, written for another key, or damaged", e);
        }
    }

    /** The decryption the contract's readers take ({@code StoredConversations}); null when not enabled. */
    public SealedValues.Decryption decryption() {
        return aead == null ? null : aead::decrypt;
    }

    private static int measureOverhead(Aead aead) {
        try {
            return SealedValues.seal(new byte[0], "overhead", new byte[0], aead::encrypt).length;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the keyset cannot encrypt: " + e.getClass().getSimpleName(), e);
        }
    }
}
