package dev.mt5augment.worker.preflight;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether any bootstrap server accepts a TCP connection. Only a warning: in a cluster that starts
 * with the workers the broker may come up a moment later, and the Kafka clients keep retrying.
 */
final class KafkaReachCheck {
    static final String NAME = "kafka";
    static final int CONNECT_TIMEOUT_MS = 1500;

    private KafkaReachCheck() {
    }

    static List<Finding> run(String bootstrapServers) {
        List<String> failures = new ArrayList<>();
        for (String server : bootstrapServers.split(",")) {
            String s = server.strip();
            if (s.isEmpty()) continue;
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || !s.substring(colon + 1).matches("\\d{1,5}")) {
                return List.of(Finding.fail(NAME, "bootstrap server '" + s + "' is not host:port (bootstrap_servers)"));
            }
            String host = s.substring(0, colon).replace("[", "").replace("]", "");
            int port = Integer.parseInt(s.substring(colon + 1));
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
                return List.of(Finding.ok(NAME, s + " accepts connections"));
            } catch (IOException | IllegalArgumentException e) {
                failures.add(s + ": " + e.getClass().getSimpleName() + " " + e.getMessage());
            }
        }
        if (failures.isEmpty()) return List.of(Finding.fail(NAME, "no bootstrap server given (bootstrap_servers)"));
        return List.of(Finding.warn(NAME, "no bootstrap server accepts a TCP connection (" + String.join("; ", failures)
                + "); the worker starts anyway and its Kafka clients keep retrying"));
    }
}
