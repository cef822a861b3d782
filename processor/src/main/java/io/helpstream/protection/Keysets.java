package io.helpstream.protection;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * Reads a Tink AEAD keyset as an operator gives it: Tink's JSON keyset format (what {@code tinkey create-keyset
 * --out-format json} writes) or its binary format in base64. Errors never include key material.
 */
public final class Keysets {

    static {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Keysets() {
    }

    /**
     * The AEAD of the keyset: its primary key encrypts, every enabled key decrypts.
     *
     * @throws IllegalArgumentException when the text is neither format, or not an AEAD keyset with a primary key
     */
    public static Aead aead(String keyset) {
        KeysetHandle handle = parse(keyset.strip());
        try {
            return handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("is not an AEAD keyset with an enabled primary key ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static KeysetHandle parse(String keyset) {
        try {
            if (keyset.startsWith("{")) {
                return TinkJsonProtoKeysetFormat.parseKeyset(keyset, InsecureSecretKeyAccess.get());
            }
            return TinkProtoKeysetFormat.parseKeyset(Base64.getDecoder().decode(keyset),
                    InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("is not a Tink keyset (JSON, or the binary format in base64): "
                    + e.getClass().getSimpleName());
        }
    }
}
