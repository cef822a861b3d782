package io.helpstream.tickets.postgres;

import io.helpstream.tickets.FaqEntry;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Reads {@code faq_entries}. */
@RegisterConstructorMapper(FaqEntry.class)
interface FaqDao {

    @SqlQuery("SELECT topic, answer FROM faq_entries ORDER BY topic")
    List<FaqEntry> all();

    /**
     * The entry whose topic or a keyword occurs in the (lower-cased) question, the longest such term winning so
     * "return policy" beats "return". strpos rather than LIKE: a question may contain % or _.
     */
    @SqlQuery("""
            SELECT f.topic, f.answer
            FROM faq_entries f
            CROSS JOIN LATERAL (
                SELECT max(length(term)) AS longest
                FROM unnest(array_append(f.keywords, f.topic)) AS term
                WHERE strpos(:question, lower(term)) > 0
            ) AS m
            WHERE m.longest IS NOT NULL
            ORDER BY m.longest DESC, f.topic
            LIMIT 1""")
    Optional<FaqEntry> bestMatch(@Bind("question") String lowerCasedQuestion);
}
