package io.helpstream.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SafeTextTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
            "a NUL byte|my\u0000 order|my order",
            "a bell and a backspace|a\u0007b\u0008c|abc",
            "an ANSI colour|\u001B[31mred\u001B[0m text|red text",
            "a cursor move that could overwrite a line|ok\u001B[2K\u001B[1Gforged|okforged",
            "an OSC window title ended by BEL|\u001B]0;pwned\u0007hello|hello",
            "an OSC hyperlink ended by ST|\u001B]8;;http://evil\u001B\\link\u001B]8;;\u001B\\|link",
            "an unterminated CSI at the end|text\u001B[|text",
            "a C1 CSI|a\u009B31mb|ab",
            "a right-to-left override|invoice\u202Efdp.exe|invoicefdp.exe",
            "bidi isolates|a\u2066b\u2069c|abc",
            "a zero-width no-break space|\uFEFFhello|hello",
            "DEL|a\u007Fb|ab"
    })
    void should_remove_what_could_hide_text_or_drive_a_terminal(String what, String raw, String clean) {
        assertThat(SafeText.isClean(raw)).isFalse();
        assertThat(SafeText.clean(raw)).isEqualTo(clean);
        assertThat(SafeText.isClean(SafeText.clean(raw))).isTrue();
    }

    @Test
    void should_keep_line_breaks_tabs_every_script_and_emoji() {
        String text = "Hello\tJohn,\r\nмой заказ 12345 — 我的订单 🙂 مرحبا";

        assertThat(SafeText.isClean(text)).isTrue();
        assertThat(SafeText.clean(text)).isSameAs(text);
    }
}
