package io.helpstream.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads of environment variables. Every parse error is a {@link ConfigException} naming the variable and the
 * value, so a bad setting stops start-up with a message that says what to fix. Every name asked for is remembered
 * ({@link #namesRead()}): what a deployment may set is what the configuration asks for, not a list kept by hand.
 */
public final class Env {

    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final Map<String, String> values;
    private final Set<String> read = ConcurrentHashMap.newKeySet();
    private final Set<String> prefixesRead = ConcurrentHashMap.newKeySet();

    public Env(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    public Optional<String> string(String name) {
        read.add(name);
        String value = values.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public String string(String name, String fallback) {
        return string(name).orElse(fallback);
    }

    public int integer(String name, int fallback, int min, int max) {
        Optional<String> raw = string(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(raw.get());
        } catch (NumberFormatException e) {
            throw new ConfigException(name, "'" + raw.get() + "' is not a whole number");
        }
        if (value < min || value > max) {
            throw new ConfigException(name, value + " is out of range [" + min + ", " + max + "]");
        }
        return value;
    }

    public double decimal(String name, double fallback, double min, double max) {
        Optional<String> raw = string(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        double value;
        try {
            value = Double.parseDouble(raw.get());
        } catch (NumberFormatException e) {
            throw new ConfigException(name, "'" + raw.get() + "' is not a number");
        }
        if (!(value >= min && value <= max)) {
            throw new ConfigException(name, value + " is out of range [" + min + ", " + max + "]");
        }
        return value;
    }

    public boolean bool(String name, boolean fallback) {
        Optional<String> raw = string(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        return switch (raw.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new ConfigException(name, "'" + raw.get() + "' is not true or false");
        };
    }

    /** Accepts {@code 500ms}, {@code 45s}, {@code 30m}, {@code 2h}, {@code 1d} or ISO-8601 ({@code PT30M}). */
    public Duration duration(String name, Duration fallback, Duration min) {
        Optional<String> raw = string(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        Duration value = parseDuration(name, raw.get());
        if (value.compareTo(min) < 0) {
            throw new ConfigException(name, raw.get() + " is shorter than the minimum " + min);
        }
        return value;
    }

    public static Duration parseDuration(String name, String raw) {
        Matcher simple = SIMPLE_DURATION.matcher(raw.toLowerCase(Locale.ROOT));
        if (simple.matches()) {
            long amount = Long.parseLong(simple.group(1));
            return switch (simple.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(raw.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new ConfigException(name, "'" + raw + "' is not a duration (e.g. 500ms, 45s, 30m, 2h, PT30M)");
        }
    }

    public <E extends Enum<E>> E choice(String name, Class<E> type, E fallback) {
        Optional<String> raw = string(name);
        if (raw.isEmpty()) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, raw.get().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, "'" + raw.get() + "' is not one of "
                    + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
        }
    }

    public Optional<URI> uri(String name, String... schemes) {
        Optional<String> raw = string(name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(raw.get());
            if (uri.getScheme() == null || uri.getHost() == null
                    || java.util.Arrays.stream(schemes).noneMatch(s -> s.equalsIgnoreCase(uri.getScheme()))) {
                throw new ConfigException(name, "'" + redact(raw.get()) + "' is not a URL of the form "
                        + schemes[0] + "://host:port");
            }
            return Optional.of(uri);
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException(name, "'" + redact(raw.get()) + "' is not a valid URL");
        }
    }

    /** The content of the file the variable names. */
    public Optional<String> fileContent(String name) {
        Optional<String> raw = string(name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        Path path = Path.of(raw.get());
        if (!Files.isReadable(path)) {
            throw new ConfigException(name, "cannot read file " + path);
        }
        try {
            String content = Files.readString(path).strip();
            if (content.isEmpty()) {
                throw new ConfigException(name, "file " + path + " is empty");
            }
            return Optional.of(content);
        } catch (java.io.IOException e) {
            throw new ConfigException(name, "cannot read file " + path + ": " + e.getMessage());
        }
    }

    /** Every variable asked for so far, set or not. */
    public Set<String> namesRead() {
        return Set.copyOf(read);
    }

    /** True when the configuration asked for the variable, by its name or by a prefix ({@link #withPrefix}). */
    public boolean reads(String name) {
        return read.contains(name) || prefixesRead.stream().anyMatch(name::startsWith);
    }

    /** The variables set whose name starts with {@code prefix} (e.g. {@code OTEL_}); every such name counts as read. */
    public Map<String, String> withPrefix(String prefix) {
        prefixesRead.add(prefix);
        Map<String, String> found = new java.util.TreeMap<>();
        values.forEach((name, value) -> {
            if (name.startsWith(prefix)) {
                string(name).ifPresent(set -> found.put(name, set));
            }
        });
        return found;
    }

    private static String redact(String url) {
        return url.replaceAll("//[^@/]*@", "//***@");
    }
}
