package io.helpstream.agent;

import dev.langchain4j.invocation.InvocationParameters;
import dev.langchain4j.service.MemoryId;
import dev.langchain4j.service.Result;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.memory.ChatMemoryAccess;

/** The LangChain4j AI service behind {@link LangChainAgent}: one call answers one customer message. */
interface SupportAssistant extends ChatMemoryAccess {

    Result<String> answer(@MemoryId String turnId, @UserMessage String message, InvocationParameters parameters);
}
