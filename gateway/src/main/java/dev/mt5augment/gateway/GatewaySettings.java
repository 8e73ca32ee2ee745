package dev.mt5augment.gateway;

import dev.mt5augment.contracts.codec.RequestDecoder;

import java.time.Duration;
import java.util.Objects;

/**
 * HTTP settings of a {@link GatewayServer}. Defaults ({@link #defaults()}):
 * <ul>
 *   <li>{@code host} 127.0.0.1 (only this machine; {@code 0.0.0.0} to serve others), {@code port} 8000
 *       (0 picks a free one);</li>
 *   <li>{@code timeout} 5 s: how long a request waits for a worker before 504 {@code DEADLINE_EXCEEDED};
 *       also the {@code deadline_ms} sent to workers;</li>
 *   <li>{@code maxBodyBytes} 1 MiB, the workers' request limit (413 beyond);</li>
 *   <li>{@code handlerThreads} 8 and {@code handlerQueue} 64: the bounded executor that reads and
 *       checks bodies (handlers never wait for workers; when it is full, new connections are closed
 *       unanswered);</li>
 *   <li>{@code responderThreads} 2: write the answers as results arrive.</li>
 * </ul>
 */
public record GatewaySettings(String host, int port, Duration timeout, int maxBodyBytes, int handlerThreads,
                              int handlerQueue, int responderThreads) {

    public GatewaySettings {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        if (timeout == null || timeout.isZero() || timeout.isNegative()) throw new IllegalArgumentException("timeout must be positive");
        if (timeout.toMillis() > 3_600_000) throw new IllegalArgumentException("timeout must be at most 1 hour (the contract's deadline_ms)");
        if (maxBodyBytes < 64) throw new IllegalArgumentException("maxBodyBytes must be at least 64, got " + maxBodyBytes);
        if (handlerThreads < 1 || handlerQueue < 1 || responderThreads < 1) {
            throw new IllegalArgumentException("thread counts and queue size must be positive");
        }
    }

    public static GatewaySettings defaults() {
        return new GatewaySettings("127.0.0.1", 8000, Duration.ofSeconds(5), RequestDecoder.DEFAULT_MAX_RECORD_BYTES, 8, 64, 2);
    }

    public GatewaySettings withPort(int v) {
        return new GatewaySettings(host, v, timeout, maxBodyBytes, handlerThreads, handlerQueue, responderThreads);
    }

    public GatewaySettings withHost(String v) {
        return new GatewaySettings(v, port, timeout, maxBodyBytes, handlerThreads, handlerQueue, responderThreads);
    }

    public GatewaySettings withTimeout(Duration v) {
        return new GatewaySettings(host, port, v, maxBodyBytes, handlerThreads, handlerQueue, responderThreads);
    }

    public GatewaySettings withMaxBodyBytes(int v) {
        return new GatewaySettings(host, port, timeout, v, handlerThreads, handlerQueue, responderThreads);
    }

    public GatewaySettings withThreads(int handlers, int queue, int responders) {
        return new GatewaySettings(host, port, timeout, maxBodyBytes, handlers, queue, responders);
    }
}
