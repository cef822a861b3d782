package io.helpstream.turn;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a customer message explicitly asks for a person ("can I talk to a human?", "real person please", "live
 * agent"). Deliberately narrow: a message that merely mentions people or agents is not a request.
 */
public final class PersonRequest {

    private static final Pattern ASKS = Pattern.compile(
            "\\b(?:talk|speak|chat|connect|transfer|put)\\b[\\w\\s',]{0,25}?\\b(?:to|with|me to)\\s+(?:a|an|some|your|"
                    + "the|one of your)?\\s*(?:real |actual |live )?(?:human|person|people|agent|representative|"
                    + "operator|staff|someone real|member of (?:your|the) (?:support )?(?:team|staff))\\b"
                    + "|\\b(?:real|actual|live) (?:human|person|agent)\\b"
                    + "|\\bhuman (?:agent|being|support|please)\\b"
                    + "|\\b(?:i want|i need|get me|give me)\\s+(?:a|an)\\s+"
                    + "(?:human|person|representative|operator)\\b");

    private PersonRequest() {
    }

    public static boolean in(String text) {
        return text != null && ASKS.matcher(text.replace('\u2019', '\'').toLowerCase(Locale.ROOT)).find();
    }
}
