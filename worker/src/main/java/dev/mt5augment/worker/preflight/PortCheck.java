package dev.mt5augment.worker.preflight;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Ports the worker will listen on must be free: {@code /health} and {@code /metrics}
 * ({@code http_port}) and, with {@code --embedded-kafka}, the broker's client port. A busy port
 * would otherwise fail the start after the model loaded, or, for the broker, after a 30 s wait.
 */
final class PortCheck {
    static final String NAME = "ports";

    private PortCheck() {
    }

    /**
     * @param httpPort   the {@code http_port} setting (0 = any free port, -1 = off)
     * @param brokerPort the embedded broker's port, or -1 when there is no embedded broker
     */
    static List<Finding> run(int httpPort, int brokerPort) {
        List<Finding> out = new ArrayList<>();
        List<String> free = new ArrayList<>();
        if (httpPort > 0) {
            String busy = busy(httpPort);
            if (busy == null) free.add(httpPort + " (health, metrics)");
            else out.add(Finding.fail(NAME, "port " + httpPort + " (http_port: /health and /metrics) is in use (" + busy
                    + "): pick another with --http-port N (0 = any free port, -1 = off)"));
        }
        if (brokerPort > 0) {
            String busy = busy(brokerPort);
            if (busy == null) free.add(brokerPort + " (embedded Kafka)");
            else out.add(Finding.fail(NAME, "port " + brokerPort + " (embedded_kafka_port) is in use (" + busy
                    + "): is another broker running? Pick another with --embedded-kafka-port N (0 = any free port)"));
        }
        if (out.isEmpty()) {
            out.add(Finding.ok(NAME, free.isEmpty() ? "no fixed port to listen on" : "free: " + String.join(", ", free)));
        }
        return out;
    }

    /** Why the port cannot be bound on every interface (as the servers bind it), or {@code null} when it can. */
    static String busy(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port));
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
