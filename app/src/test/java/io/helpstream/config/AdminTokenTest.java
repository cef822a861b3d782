package io.helpstream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AdminTokenTest {

    private final AdminToken token = new AdminToken("s3cret-token-of-twenty-four");

    @Test
    void should_admit_only_the_bearer_of_the_very_token() {
        assertThat(token.admits("Bearer s3cret-token-of-twenty-four")).isTrue();
        assertThat(token.admits("bearer s3cret-token-of-twenty-four")).isTrue();
        assertThat(token.admits("Bearer s3cret-token-of-twenty-fou")).isFalse();
        assertThat(token.admits("Bearer s3cret-token-of-twenty-four!")).isFalse();
        assertThat(token.admits("Basic s3cret-token-of-twenty-four")).isFalse();
        assertThat(token.admits("s3cret-token-of-twenty-four")).isFalse();
        assertThat(token.admits("")).isFalse();
        assertThat(token.admits(null)).isFalse();
    }

    @Test
    void should_match_only_the_very_token_typed_into_the_sign_in_page() {
        assertThat(token.matches("s3cret-token-of-twenty-four")).isTrue();
        assertThat(token.matches(" s3cret-token-of-twenty-four\n")).isTrue();
        assertThat(token.matches("s3cret-token-of-twenty-fou")).isFalse();
        assertThat(token.matches("S3CRET-TOKEN-OF-TWENTY-FOUR")).isFalse();
        assertThat(token.matches("Bearer s3cret-token-of-twenty-four")).isFalse();
        assertThat(token.matches("")).isFalse();
        assertThat(token.matches(null)).isFalse();
    }

    @Test
    void should_refuse_a_short_token_without_quoting_it() {
        assertThatThrownBy(() -> new AdminToken("short")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("short");
    }

    @Test
    void should_not_show_the_token_in_its_string() {
        assertThat(token.toString()).doesNotContain("s3cret");
    }
}
