package io.helpstream.journal.postgres;

import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The journal's part of a customer's erasure, in the caller's transaction: every step of the customer's conversations
 * and every other step that names the email (model responses and tool results quote what the customer wrote and what
 * the tools found). A turn of theirs still running then asks the model again for the steps it loses, which is what a
 * forgotten conversation should cost.
 */
public final class JournalErasure {

    private JournalErasure() {
    }

    /** Returns how many steps were removed; {@code email} lowercase. */
    public static int erase(Handle handle, String email, Set<String> conversations) {
        return handle.attach(JournalDao.class).erase(conversations.toArray(String[]::new), email);
    }
}
