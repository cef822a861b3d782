package io.helpstream.admin;

import io.helpstream.contract.ConversationStores;
import io.helpstream.contract.StoredConversations;
import io.helpstream.protection.ValueCipher;
import io.helpstream.schema.ConversationState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The conversations a deployment's stores hold that have anything of a customer, as their changelogs hold them now:
 * bound to the email, or naming it anywhere in a pending message or a history turn (a customer who typed it). By
 * conversation id, each with the partition its task owns.
 */
final class StoredCustomer {

    private StoredCustomer() {
    }

    static Map<String, Integer> conversationsOf(String bootstrapServers, String applicationId, ValueCipher cipher,
                                                String email, Duration timeout) {
        String normal = email.strip().toLowerCase(Locale.ROOT);
        StoredConversations stored = new StoredConversations(cipher.decryption());
        Map<String, Integer> partitions = new TreeMap<>();
        String meta = ConversationStores.changelog(applicationId, ConversationStores.META);
        for (String changelog : StoredConversations.changelogs(applicationId)) {
            CommittedTopic.forEach(bootstrapServers, changelog, timeout, record -> {
                stored.accept(changelog, record.key(), record.value());
                if (changelog.equals(meta)) {
                    partitions.put(new String(record.key(), StandardCharsets.UTF_8), record.partition());
                }
            });
        }
        Map<String, Integer> found = new TreeMap<>();
        for (Map.Entry<String, ConversationState> conversation : stored.conversations().entrySet()) {
            if (conversation.getValue().toString().toLowerCase(Locale.ROOT).contains(normal)) {
                found.put(conversation.getKey(), partitions.get(conversation.getKey()));
            }
        }
        return found;
    }
}
