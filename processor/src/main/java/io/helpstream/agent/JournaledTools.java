package io.helpstream.agent;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.exception.ToolArgumentsException;
import dev.langchain4j.exception.ToolExecutionException;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.invocation.InvocationParameters;
import dev.langchain4j.service.tool.ToolErrorContext;
import dev.langchain4j.service.tool.ToolErrorHandlerResult;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import io.helpstream.fencing.FencedException;
import io.helpstream.journal.JournalEntry.Kind;
import io.helpstream.journal.RecordedTurn;
import io.helpstream.schema.AuditRecord;
import io.helpstream.schema.TicketEvent;
import io.helpstream.tools.TurnContext;
import io.helpstream.turn.TurnOutcome;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tools as a turn sees them: a call whose result the journal recorded is not made again (its writes were made,
 * or deliberately not), its recorded result is handed back and the turn restored as the call left it, with the
 * ticket events, audit records, verification codes, one-time code request and handoff request the call reported;
 * any other call runs, its failure is turned into the result the model reads ({@link ToolErrors}), and the result is
 * recorded before the model sees it. A write refused by its fence ends the turn.
 */
final class JournaledTools {

    private JournaledTools() {
    }

    static Map<ToolSpecification, ToolExecutor> wrap(Map<ToolSpecification, ToolExecutor> tools, ToolErrors errors) {
        Map<ToolSpecification, ToolExecutor> wrapped = new LinkedHashMap<>();
        tools.forEach((specification, tool) -> wrapped.put(specification, new Journaled(tool, errors)));
        return Collections.unmodifiableMap(wrapped);
    }

    private record Journaled(ToolExecutor tool, ToolErrors errors) implements ToolExecutor {

        @Override
        public ToolExecutionResult executeWithContext(ToolExecutionRequest request, InvocationContext context) {
            InvocationParameters parameters = context == null ? null : context.invocationParameters();
            TurnContext turn = TurnContext.from(parameters);
            RecordedTurn recorded = parameters.get(RecordedTurn.PARAMETER);
            if (recorded != null) {
                Optional<JournalCodec.ToolStep> replayed = recorded.replay(Kind.TOOL,
                        entry -> JournalCodec.toolStep(entry, request).isPresent())
                        .flatMap(entry -> JournalCodec.toolStep(entry, request));
                if (replayed.isPresent()) {
                    JournalCodec.ToolStep step = replayed.get();
                    turn.restore(step.tally());
                    step.events().forEach(turn.outcome()::ticketEvent);
                    step.effects().audit().forEach(turn.outcome()::audit);
                    step.effects().codes().forEach(turn.outcome()::codeAttempt);
                    if (step.effects().verification() != null) {
                        turn.outcome().verificationStart(step.effects().verification());
                    }
                    if (step.effects().handoff() != null) {
                        turn.outcome().handoff(step.effects().handoff());
                    }
                    return result(step.result(), step.error());
                }
            }
            TurnOutcome.Builder outcome = turn.outcome();
            int eventsBefore = outcome.ticketEventsSoFar().size();
            int auditBefore = outcome.auditSoFar().size();
            int codesBefore = outcome.codeAttemptsSoFar().size();
            TurnOutcome.VerificationStart verificationBefore = outcome.verificationStartSoFar();
            TurnOutcome.HandoffRequest handoffBefore = outcome.handoffSoFar();
            ToolExecutionResult result = run(request, context, turn);
            if (recorded != null) {
                List<TicketEvent> events = outcome.ticketEventsSoFar();
                List<AuditRecord> audit = outcome.auditSoFar();
                List<TurnOutcome.CodeAttempt> codes = outcome.codeAttemptsSoFar();
                TurnOutcome.VerificationStart verification = outcome.verificationStartSoFar();
                TurnOutcome.HandoffRequest handoff = outcome.handoffSoFar();
                recorded.record(Kind.TOOL, JournalCodec.tool(request, result.resultText(), result.isError(),
                        turn.tally(), events.subList(eventsBefore, events.size()), new JournalCodec.Effects(
                                audit.subList(auditBefore, audit.size()), codes.subList(codesBefore, codes.size()),
                                verification == verificationBefore ? null : verification,
                                handoff == handoffBefore ? null : handoff)));
            }
            return result;
        }

        private ToolExecutionResult run(ToolExecutionRequest request, InvocationContext context, TurnContext turn) {
            turn.fence().check();
            try {
                return tool.executeWithContext(request, context);
            } catch (RuntimeException e) {
                if (FencedException.in(e)) {
                    throw e;
                }
                Throwable cause = (e instanceof ToolExecutionException || e instanceof ToolArgumentsException)
                        && e.getCause() != null ? e.getCause() : e;
                ToolErrorContext error = ToolErrorContext.builder().toolExecutionRequest(request)
                        .invocationContext(context).rawError(e).build();
                ToolErrorHandlerResult handled = e instanceof ToolArgumentsException
                        ? errors.argumentsInvalid(cause, error) : errors.executionFailed(cause, error);
                return result(handled.text(), true);
            }
        }

        private static ToolExecutionResult result(String text, boolean error) {
            return ToolExecutionResult.builder().resultText(text).isError(error).build();
        }

        @Override
        public String execute(ToolExecutionRequest request, Object memoryId) {
            throw new UnsupportedOperationException("a tool call belongs to its turn, which travels in the "
                    + "invocation context");
        }
    }
}
