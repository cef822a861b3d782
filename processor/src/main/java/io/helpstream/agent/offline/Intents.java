package io.helpstream.agent.offline;

import io.helpstream.turn.PersonRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a customer message asks for, found by keywords and patterns.
 *
 * @param email          an email address written in the message
 * @param status         the customer asks about the status of their tickets or order
 * @param escalate       id of a ticket to escalate
 * @param statusChange   a ticket to close or resolve
 * @param problem        an issue report that deserves a ticket
 * @param faqQuestions   FAQ questions, one per topic mentioned
 * @param orderNumber    an order number like #12345
 * @param code           a one-time code the customer typed
 * @param verify         the customer asks for a (new) verification code
 * @param person         the customer explicitly asks for a person
 */
record Intents(Optional<String> email, boolean status, Optional<String> escalate,
               Optional<StatusChange> statusChange, Optional<Problem> problem, List<String> faqQuestions,
               Optional<String> orderNumber, boolean summarize, boolean greeting, boolean thanks,
               Optional<String> code, boolean verify, boolean person) {

    /** True when the message asks for something only the verified customer may have. */
    boolean wantsAccount() {
        return status || escalate.isPresent() || statusChange.isPresent() || problem.isPresent();
    }

    record StatusChange(String ticketId, String status) {
    }

    record Problem(String subject, String priority) {
    }

    static final Pattern EMAIL = Pattern.compile("[\\w.+-]+@[\\w-]+(?:\\.[\\w-]+)+");
    private static final Pattern TICKET = Pattern.compile("\\b(tick[\\w-]*\\d[\\w-]*)", Pattern.CASE_INSENSITIVE);
    private static final Pattern STATUS = Pattern.compile("\\bstatus\\b|\\bmy tickets\\b|\\bexisting tickets\\b");
    private static final Pattern ESCALATE = Pattern.compile("\\bescalat");
    private static final Pattern CLOSE = Pattern.compile("\\b(close|resolve)[sd]?\\b");
    private static final Pattern PROBLEM = Pattern.compile("not working|broken|(?:hasn't|has not|hasnt) arrived"
            + "|\\bproblem|\\bissue|help with my|not charging|\\berror");
    private static final Pattern HELP_WITH = Pattern.compile("help with my ([\\w-]+)");
    private static final Pattern HIGH_PRIORITY =
            Pattern.compile("urgent|asap|still not working|escalat|immediately|right away");
    private static final Pattern ORDER_NUMBER = Pattern.compile("#(\\d{3,})");
    /** Six digits after "code" (or alone in the message), as a customer types a one-time code. */
    private static final Pattern CODE = Pattern.compile("(?:\\bcode\\b\\D{0,20}|^\\s*)(\\d{3}[ -]?\\d{3})\\b");
    private static final Pattern VERIFY = Pattern.compile("\\bverif|\\b(?:new|another|send me a) code\\b");
    private static final Pattern SUMMARY = Pattern.compile("\\bsummar(?:y|ize|ise)");
    private static final Pattern GREETING =
            Pattern.compile("^\\s*(?:hi|hello|hey|good (?:morning|afternoon|evening))\\b");
    private static final Pattern THANKS = Pattern.compile("\\bthank|\\bthanks\\b|\\bcheers\\b");
    /** A sentence ends at . ! or ? followed by a space or the end, so emails and "#1.5" stay whole. */
    private static final Pattern SENTENCE = Pattern.compile(".+?(?:[.!?]+(?=\\s|$)|$)", Pattern.DOTALL);
    private static final int MAX_SUBJECT = 80;

    /** The FAQ topics the offline model recognises, each with a question that names the repository's topic. */
    private static final Map<Pattern, String> FAQ = new LinkedHashMap<>();

    static {
        FAQ.put(Pattern.compile("(?:return|refund)s? policy|can i return|return (?:an|my|this) (?:item|order|product)"),
                "What is your return policy?");
        FAQ.put(Pattern.compile("\\bshipping\\b|\\bdelivery times?\\b"), "What is your shipping time?");
        FAQ.put(Pattern.compile("\\bwarrant(?:y|ies)\\b"), "What does the warranty cover?");
        FAQ.put(Pattern.compile("\\bpayment\\b|\\bpay with\\b|credit card|paypal"),
                "Which payment methods do you accept?");
        FAQ.put(Pattern.compile("contact hours|opening hours|business hours|when are you open"),
                "What are your contact hours?");
    }

    static Intents of(String message) {
        String text = message.replace('\u2019', '\'');
        String lower = text.toLowerCase(Locale.ROOT);
        Optional<String> ticket = find(TICKET, text, 1).map(id -> id.toUpperCase(Locale.ROOT));
        Optional<String> escalate = ESCALATE.matcher(lower).find() ? ticket : Optional.empty();
        Optional<StatusChange> change = Optional.empty();
        Matcher close = CLOSE.matcher(lower);
        if (ticket.isPresent() && close.find()) {
            String status = close.group(1).equals("close") ? "closed" : "resolved";
            change = Optional.of(new StatusChange(ticket.get(), status));
        }
        Optional<Problem> problem = escalate.isPresent() || change.isPresent()
                ? Optional.empty() : problem(text, lower);
        List<String> faq = new ArrayList<>();
        FAQ.forEach((pattern, question) -> {
            if (pattern.matcher(lower).find()) {
                faq.add(question);
            }
        });
        return new Intents(find(EMAIL, text, 0), STATUS.matcher(lower).find() && change.isEmpty(), escalate, change,
                problem, List.copyOf(faq), find(ORDER_NUMBER, text, 0), SUMMARY.matcher(lower).find(),
                GREETING.matcher(lower).find(), THANKS.matcher(lower).find(),
                find(CODE, lower, 1).map(code -> code.replaceAll("[ -]", "")), VERIFY.matcher(lower).find(),
                PersonRequest.in(text));
    }

    private static Optional<Problem> problem(String text, String lower) {
        Matcher problem = PROBLEM.matcher(lower);
        if (!problem.find()) {
            return Optional.empty();
        }
        String priority = HIGH_PRIORITY.matcher(lower).find() ? "high" : "medium";
        Matcher helpWith = HELP_WITH.matcher(lower);
        if (helpWith.find()) {
            return Optional.of(new Problem("Help with my " + helpWith.group(1), priority));
        }
        return Optional.of(new Problem(subject(text, problem.start()), priority));
    }

    /** The sentence that reports the problem, as a ticket subject. */
    private static String subject(String text, int at) {
        Matcher sentences = SENTENCE.matcher(text);
        String sentence = text;
        while (sentences.find()) {
            if (sentences.start() <= at && at < sentences.end()) {
                sentence = sentences.group();
                break;
            }
        }
        sentence = sentence.strip().replaceAll("[.!?]+$", "");
        if (sentence.length() > MAX_SUBJECT) {
            sentence = sentence.substring(0, MAX_SUBJECT).strip() + "...";
        }
        return Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1);
    }

    private static Optional<String> find(Pattern pattern, String text, int group) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? Optional.of(matcher.group(group)) : Optional.empty();
    }
}
