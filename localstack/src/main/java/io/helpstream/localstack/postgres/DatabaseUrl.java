package io.helpstream.localstack.postgres;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the database is: the value of {@code DATABASE_URL} in JDBC form ({@code jdbc:postgresql://host:port/db?...})
 * or libpq/Heroku form ({@code postgresql://user:pass@host:port/db}, {@code postgres://...}), taken apart.
 * Credentials found in the user-info or in {@code user}/{@code password} query parameters are moved out of the URL,
 * so settings given separately can override them ({@link #withCredentials}).
 *
 * @param hosts    {@code host[:port]}, comma-separated when there are several
 * @param database database name
 * @param query    the remaining query parameters, raw; empty when none
 * @param user     null when the URL names none
 * @param password null when the URL has none
 */
public record DatabaseUrl(String hosts, String database, String query, String user, String password) {

    private static final String NAME = "DATABASE_URL";
    private static final String JDBC_PREFIX = "jdbc:postgresql:";
    private static final List<String> PREFIXES = List.of("jdbc:postgresql://", "postgresql://", "postgres://");
    private static final Pattern HOST = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._-]+)(:(\\d{1,5}))?");
    private static final Pattern PASSWORD_PARAM = Pattern.compile("([?&]password=)[^&]*");

    public DatabaseUrl {
        Objects.requireNonNull(hosts, "hosts");
        Objects.requireNonNull(database, "database");
        query = query == null ? "" : query;
    }

    /** A URL for one server and database, without credentials. */
    public static DatabaseUrl of(String host, int port, String database) {
        return new DatabaseUrl(host + ":" + port, database, "", null, null);
    }

    /**
     * Parses a configured value.
     *
     * @throws IllegalArgumentException naming {@code DATABASE_URL} and showing the value with any password masked
     */
    public static DatabaseUrl parse(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(NAME + " is empty");
        }
        String url = value.strip();
        String rest = afterPrefix(url);
        int queryStart = indexOrEnd(rest, '?');
        // The last '@' before the query ends the user-info, so a password may hold '@', ':' or '/'.
        int at = rest.lastIndexOf('@', queryStart - 1);
        int authorityEnd = firstOf(rest, at + 1, queryStart, '/');
        String userInfo = at >= 0 ? rest.substring(0, at) : null;
        String hosts = rest.substring(at + 1, authorityEnd);
        String path = rest.substring(authorityEnd, queryStart);
        String query = queryStart < rest.length() ? rest.substring(queryStart + 1) : "";

        checkHosts(hosts, url);
        if (path.length() <= 1) {
            throw invalid("has no database name", url);
        }
        String database = decode(path.substring(1), "database name", url);
        if (database.contains("/")) {
            throw invalid("has a database name containing '/'", url);
        }
        String user = null;
        String password = null;
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), "user name", url);
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1), "password", url);
        }
        List<String> kept = new ArrayList<>();
        for (String param : query.split("&")) {
            if (param.startsWith("user=")) {
                user = user != null ? user : decode(param.substring(5), "user parameter", url);
            } else if (param.startsWith("password=")) {
                password = password != null ? password : decode(param.substring(9), "password parameter", url);
            } else if (!param.isEmpty()) {
                kept.add(param);
            }
        }
        return new DatabaseUrl(hosts, database, String.join("&", kept), emptyToNull(user), emptyToNull(password));
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + hosts + "/" + database + (query.isEmpty() ? "" : "?" + query);
    }

    /** The same server with another database; credentials and parameters kept. */
    public DatabaseUrl withDatabase(String otherDatabase) {
        return new DatabaseUrl(hosts, Objects.requireNonNull(otherDatabase, "otherDatabase"), query, user, password);
    }

    /** Explicitly configured credentials win over those in the URL; a null argument keeps the URL's value. */
    public DatabaseUrl withCredentials(String explicitUser, String explicitPassword) {
        return new DatabaseUrl(hosts, database, query, explicitUser != null ? explicitUser : user,
                explicitPassword != null ? explicitPassword : password);
    }

    @Override
    public String toString() {
        return (user == null ? "" : user + (password == null ? "" : ":****") + "@") + jdbcUrl();
    }

    /** The value with the password of the user-info and of a {@code password=} parameter replaced by stars. */
    static String masked(String value) {
        String result = PASSWORD_PARAM.matcher(value).replaceAll("$1****");
        int schemeEnd = result.indexOf("://");
        // The very last '@': masking too much is harmless, too little is not (a password may hold an unescaped '?').
        int at = result.lastIndexOf('@');
        if (schemeEnd < 0 || at < schemeEnd) {
            return result;
        }
        int colon = result.indexOf(':', schemeEnd + 3);
        return colon >= 0 && colon < at ? result.substring(0, colon + 1) + "****" + result.substring(at) : result;
    }

    private static String afterPrefix(String url) {
        for (String prefix : PREFIXES) {
            if (url.regionMatches(true, 0, prefix, 0, prefix.length())) {
                return url.substring(prefix.length());
            }
        }
        if (url.regionMatches(true, 0, JDBC_PREFIX, 0, JDBC_PREFIX.length())) {
            // jdbc:postgresql:database is the driver's shorthand for localhost:5432.
            return "localhost/" + url.substring(JDBC_PREFIX.length());
        }
        throw invalid("must start with jdbc:postgresql:, postgresql:// or postgres://", url);
    }

    private static void checkHosts(String hosts, String url) {
        if (hosts.isEmpty()) {
            throw invalid("has no host", url);
        }
        for (String host : hosts.split(",", -1)) {
            var matcher = HOST.matcher(host);
            if (!matcher.matches()) {
                throw invalid("has an invalid host or port", url);
            }
            if (matcher.group(3) != null) {
                int port = Integer.parseInt(matcher.group(3));
                if (port < 1 || port > 65535) {
                    throw invalid("has port " + port + ", outside 1-65535", url);
                }
            }
        }
    }

    /** Percent-decoding as in URIs ('+' stays a plus, unlike form encoding). */
    private static String decode(String raw, String what, String url) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
            if (lo < 0) {
                throw invalid("has a malformed %-escape in the " + what, url);
            }
            bytes.write(hi * 16 + lo);
            i += 2;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static IllegalArgumentException invalid(String problem, String url) {
        return new IllegalArgumentException(NAME + " " + problem + ": '" + masked(url) + "'");
    }

    private static int indexOrEnd(String s, char c) {
        int i = s.indexOf(c);
        return i < 0 ? s.length() : i;
    }

    private static int firstOf(String s, int from, int end, char c) {
        int i = s.indexOf(c, from);
        return i < 0 || i > end ? end : i;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
