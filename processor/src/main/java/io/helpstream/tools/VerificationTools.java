package io.helpstream.tools;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.invocation.InvocationParameters;
import io.helpstream.schema.CustomerBinding;
import io.helpstream.schema.PendingVerification;
import io.helpstream.security.VerificationCodes;
import io.helpstream.security.VerificationCodes.Check;
import io.helpstream.security.VerificationSettings;
import io.helpstream.tickets.Customer;
import io.helpstream.tickets.SupportRepository;
import io.helpstream.tools.ToolResult.AlreadyVerified;
import io.helpstream.tools.ToolResult.InvalidArgument;
import io.helpstream.tools.ToolResult.LimitReached;
import io.helpstream.tools.ToolResult.OtherCustomerRefused;
import io.helpstream.tools.ToolResult.VerificationCodeSent;
import io.helpstream.tools.ToolResult.VerificationFailed;
import io.helpstream.tools.ToolResult.VerificationPassed;
import io.helpstream.tools.ToolResult.VerificationUnavailable;
import io.helpstream.turn.TurnOutcome.VerificationStart;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Proves that a claimed email belongs to the customer: one tool asks for a one-time code to be sent to the email (the
 * stream thread makes it and publishes it for delivery out of band, so neither the model nor this tool ever sees it),
 * the other checks the code the customer typed. Both answer the same whether or not a customer has the email.
 */
public final class VerificationTools {

    static final String CODES_PER_MESSAGE = "verification codes per message";

    private final SupportRepository repository;
    private final VerificationSettings settings;
    private final Clock clock;

    public VerificationTools(SupportRepository repository, VerificationSettings settings, Clock clock) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Tool(name = ToolNames.REQUEST_VERIFICATION_CODE, value = "Send a one-time code to the email address the customer "
            + "gave, so they can prove it is theirs. Use it when account data or tickets are asked for and the email "
            + "is not verified yet.")
    public String requestVerificationCode(@P("The customer's email address") String email,
                                          InvocationParameters parameters) {
        return ToolResults.render(request(email, TurnContext.from(parameters)));
    }

    @Tool(name = ToolNames.VERIFY_CODE, value = "Check the one-time code the customer typed to verify their email "
            + "address. Pass the code exactly as the customer wrote it.")
    public String verifyCode(@P("The code the customer typed") String code, InvocationParameters parameters) {
        return ToolResults.render(verify(code, TurnContext.from(parameters)));
    }

    private ToolResult request(String email, TurnContext turn) {
        if (email == null || !ConversationTools.EMAIL.matcher(email.strip()).matches()) {
            return new InvalidArgument("email", email, List.of());
        }
        String claimed = email.strip().toLowerCase(Locale.ROOT);
        if (turn.verified()) {
            String bound = turn.customer().orElseThrow().getEmail();
            return bound.equalsIgnoreCase(claimed) ? new AlreadyVerified(bound)
                    : new OtherCustomerRefused(bound, claimed);
        }
        if (!turn.claimCodeRequest()) {
            return new LimitReached(CODES_PER_MESSAGE, 1);
        }
        if (turn.customer().filter(bound -> bound.getEmail().equalsIgnoreCase(claimed)).isEmpty()) {
            turn.bindCustomer(new CustomerBinding(claimed, null, null, false));
        }
        // From PostgreSQL, for known and unknown emails alike: the stream thread publishes a code only for a customer.
        String customerId = repository.findCustomer(claimed).map(Customer::id).orElse(null);
        turn.outcome().verificationStart(new VerificationStart(claimed, customerId));
        return new VerificationCodeSent(claimed, settings.codeLifetime().toMinutes());
    }

    private ToolResult verify(String code, TurnContext turn) {
        if (code == null || code.isBlank()) {
            return new InvalidArgument("code", code, List.of());
        }
        if (turn.verified()) {
            return new AlreadyVerified(turn.customer().orElseThrow().getEmail());
        }
        PendingVerification pending = turn.conversation().getVerification();
        boolean ofTheClaim = pending != null && turn.customer()
                .filter(claim -> claim.getEmail().equalsIgnoreCase(pending.getEmail())).isPresent();
        PendingVerification current = ofTheClaim ? pending : null;
        int failedBefore = (current == null ? 0 : current.getFailedAttempts()) + turn.wrongCodes();
        Instant now = clock.instant();
        Check check = VerificationCodes.check(current, code, now, failedBefore, settings);
        turn.codeTried(code, now, check == Check.PASSED);
        return switch (check) {
            case PASSED -> {
                turn.bindCustomer(new CustomerBinding(current.getEmail(), null, null, true));
                yield new VerificationPassed(current.getEmail());
            }
            case WRONG -> new VerificationFailed(Math.max(0, settings.maxAttempts() - failedBefore - 1));
            case EXPIRED -> new VerificationUnavailable("expired");
            case EXHAUSTED -> new VerificationUnavailable("exhausted");
            case NONE -> new VerificationUnavailable("none");
        };
    }
}
