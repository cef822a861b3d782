package io.helpstream.contract;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Objects;

/**
 * How helpstream encrypts a stored value (a conversation store's record, a dead letter's payload) when encryption is
 * configured: the marker {@code E1 01}, then the AEAD ciphertext (Tink's output: a 5-byte key id prefix, then the
 * ciphertext) of the plain value. Plain values are Avro single-object encoded and start with {@code C3 01}, so the
 * two are told apart by their first bytes, and a deployment that turns encryption on still reads what it stored
 * before.
 *
 * <p>The associated data binds a ciphertext to where it belongs, {@code "helpstream:" + store + NUL + key}: a value
 * copied under another key (another conversation, another sequence number) or into another store does not decrypt.
 */
public final class SealedValues {

    /** The first bytes of an encrypted value: a marker and the format version. */
    static final byte[] MARKER = {(byte) 0xE1, 0x01};

    /** Dead letters are bound to their record key under this name, as store records are to their store's name. */
    public static final String DEAD_LETTERS = "dead-letters";

    /** Decrypts what an AEAD encrypted with the same associated data; Tink's {@code Aead::decrypt} is one. */
    @FunctionalInterface
    public interface Decryption {
        byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException;
    }

    /** Encrypts with associated data; Tink's {@code Aead::encrypt} is one. */
    @FunctionalInterface
    public interface Encryption {
        byte[] encrypt(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException;
    }

    private SealedValues() {
    }

    /** True when the value is encrypted (starts with the marker). */
    public static boolean sealed(byte[] value) {
        return value != null && value.length > MARKER.length && value[0] == MARKER[0] && value[1] == MARKER[1];
    }

    /** What binds a value to its place: {@code "helpstream:" + store + NUL + key} ({@code key} may be null). */
    public static byte[] associatedData(String store, byte[] key) {
        Objects.requireNonNull(store, "store");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("helpstream:" + store).getBytes(StandardCharsets.UTF_8));
        out.write(0);
        if (key != null) {
            out.writeBytes(key);
        }
        return out.toByteArray();
    }

    /** The value encrypted for {@code store} under {@code key}, with the marker in front. */
    public static byte[] seal(byte[] plain, String store, byte[] key, Encryption encryption)
            throws GeneralSecurityException {
        byte[] ciphertext = encryption.encrypt(plain, associatedData(store, key));
        byte[] sealed = Arrays.copyOf(MARKER, MARKER.length + ciphertext.length);
        System.arraycopy(ciphertext, 0, sealed, MARKER.length, ciphertext.length);
        return sealed;
    }

    /**
     * The plain value: decrypted when {@link #sealed sealed}, else the value itself (a record stored before encryption
     * was turned on).
     *
     * @param decryption null when no key is configured: a sealed value then fails
     * @throws GeneralSecurityException when a sealed value cannot be decrypted (no key, another key, or it was
     *                                  written for another store or key); the message names neither key nor value
     */
    public static byte[] open(byte[] value, String store, byte[] key, Decryption decryption)
            throws GeneralSecurityException {
        if (!sealed(value)) {
            return value;
        }
        if (decryption == null) {
            throw new GeneralSecurityException("the value is encrypted and no keyset is configured to decrypt it");
        }
        return decryption.decrypt(Arrays.copyOfRange(value, MARKER.length, value.length),
                associatedData(store, key));
    }
}
