package dev.mt5augment.worker.commit;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import org.apache.kafka.common.errors.RetriableException;

/**
 * The retry policy for transient Kafka errors (a timed-out commit, a leader moving): exponential
 * backoff from {@code firstBackoff}, doubling, at most {@code attempts} tries. Only
 * {@link RetriableException}s are retried; anything else fails at once.
 */
public final class SendRetry {
    private SendRetry() {
    }

    public static Retry create(String name, int attempts, Duration firstBackoff) {
        RetryConfig config = RetryConfig.custom()
                .maxAttempts(attempts)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(firstBackoff, 2.0, Duration.ofSeconds(30)))
                .retryOnException(e -> e instanceof RetriableException
                        || e.getCause() instanceof RetriableException)
                .failAfterMaxAttempts(false)
                .build();
        return Retry.of(name, config);
    }
}
