package io.helpstream.protection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import io.helpstream.contract.SealedValues;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class ValueCipherTest {

    private static final byte[] KEY = "c1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VALUE = "jane@example.com wrote this".getBytes(StandardCharsets.UTF_8);

    @Test
    void should_seal_a_value_so_that_it_holds_no_plain_text_and_opens_where_it_was_written() {
        ValueCipher cipher = TestKeysets.cipher(TestKeysets.fresh());

        byte[] sealed = cipher.seal("conversation-meta", KEY, VALUE);

        assertThat(SealedValues.sealed(sealed)).isTrue();
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("jane");
        assertThat(sealed).hasSize(VALUE.length + cipher.overhead());
        assertThat(cipher.open("conversation-meta", KEY, sealed)).isEqualTo(VALUE);
    }

    @Test
    void should_refuse_a_value_moved_to_another_key_or_store() {
        ValueCipher cipher = TestKeysets.cipher(TestKeysets.fresh());
        byte[] sealed = cipher.seal("conversation-meta", KEY, VALUE);

        assertThatThrownBy(() -> cipher.open("conversation-meta", "c2".getBytes(StandardCharsets.UTF_8), sealed))
                .isInstanceOf(SerializationException.class).hasMessageNotContaining("jane");
        assertThatThrownBy(() -> cipher.open("conversation-history", KEY, sealed))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void should_read_a_plain_value_stored_before_encryption_was_on() {
        ValueCipher cipher = TestKeysets.cipher(TestKeysets.fresh());
        byte[] plain = {(byte) 0xC3, 0x01, 1, 2, 3};

        assertThat(cipher.open("conversation-meta", KEY, plain)).isEqualTo(plain);
        assertThat(ValueCipher.none().open("conversation-meta", KEY, plain)).isEqualTo(plain);
    }

    @Test
    void should_read_values_of_the_old_primary_after_rotation_and_write_with_the_new_one() throws Exception {
        KeysetHandle old = TestKeysets.fresh();
        KeysetHandle rotated = TestKeysets.rotated(old);
        byte[] underOld = TestKeysets.cipher(old).seal("conversation-pending", KEY, VALUE);

        ValueCipher cipher = TestKeysets.cipher(rotated);
        byte[] underNew = cipher.seal("conversation-pending", KEY, VALUE);

        assertThat(cipher.open("conversation-pending", KEY, underOld)).isEqualTo(VALUE);
        assertThat(keyId(underNew)).isEqualTo(rotated.getPrimary().getId()).isNotEqualTo(old.getPrimary().getId());
        assertThatThrownBy(() -> TestKeysets.cipher(old).open("conversation-pending", KEY, underNew))
                .as("a value of the new primary needs the new key").isInstanceOf(SerializationException.class);
    }

    @Test
    void should_not_read_an_encrypted_value_without_its_key() {
        byte[] sealed = TestKeysets.cipher(TestKeysets.fresh()).seal("conversation-meta", KEY, VALUE);

        assertThatThrownBy(() -> TestKeysets.cipher(TestKeysets.fresh()).open("conversation-meta", KEY, sealed))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> ValueCipher.none().open("conversation-meta", KEY, sealed))
                .isInstanceOf(SerializationException.class).hasMessageContaining("no keyset");
    }

    @Test
    void should_read_a_keyset_in_json_or_in_base64_and_name_no_key_material_when_it_cannot() throws Exception {
        KeysetHandle keyset = TestKeysets.fresh();
        String base64 = Base64.getEncoder().encodeToString(
                TinkProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get()));
        byte[] sealed = TestKeysets.cipher(keyset).seal("s", KEY, VALUE);

        assertThat(ValueCipher.of(Keysets.aead(base64)).open("s", KEY, sealed)).isEqualTo(VALUE);
        String broken = TestKeysets.json(keyset).replace("\"primaryKeyId\"", "\"primary\"").substring(0, 80);
        assertThatThrownBy(() -> Keysets.aead(broken)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("is not a Tink keyset").hasMessageNotContaining(broken.substring(20, 40));
        assertThatThrownBy(() -> Keysets.aead("bm90IGEga2V5c2V0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("is not a Tink keyset");
    }

    /** The Tink output prefix after the marker: 0x01 and the 4-byte id of the key that encrypted. */
    private static int keyId(byte[] sealed) throws GeneralSecurityException {
        assertThat(sealed[2]).isEqualTo((byte) 0x01);
        return java.nio.ByteBuffer.wrap(sealed, 3, 4).getInt();
    }
}
