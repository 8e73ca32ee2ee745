package dev.mt5augment.contracts.messaging;

import java.util.regex.Pattern;

/** Kafka's topic name syntax, checked without a Kafka dependency. */
public final class TopicNames {

    /** Kafka's limit (kafka.common.internals.Topic). */
    public static final int MAX_CHARS = 249;
    public static final String PATTERN = "^[A-Za-z0-9._-]{1," + MAX_CHARS + "}$";
    private static final Pattern LEGAL = Pattern.compile(PATTERN);

    private TopicNames() {
    }

    /** True when Kafka accepts {@code name} as a topic name: 1–249 of {@code [A-Za-z0-9._-]}, not "." or "..". */
    public static boolean isLegal(String name) {
        return name != null && name.length() <= MAX_CHARS && LEGAL.matcher(name).matches()
                && !name.equals(".") && !name.equals("..");
    }
}
