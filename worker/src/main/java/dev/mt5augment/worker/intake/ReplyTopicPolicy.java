package dev.mt5augment.worker.intake;

import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Which topics a request may name for its reply ({@code reply_to} field or {@code reply-topic}
 * header): a legal Kafka topic name that matches the configured pattern in full. Without the
 * check, any producer could make the worker write into any topic it can write to.
 *
 * <p>Immutable and thread-safe.
 */
public final class ReplyTopicPolicy implements Predicate<String> {
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    private final Pattern allowed;

    public ReplyTopicPolicy(Pattern allowed) {
        this.allowed = allowed;
    }

    @Override
    public boolean test(String topic) {
        return topic != null && LEGAL.matcher(topic).matches() && !topic.equals(".") && !topic.equals("..")
                && allowed.matcher(topic).matches();
    }

    public String pattern() {
        return allowed.pattern();
    }
}
