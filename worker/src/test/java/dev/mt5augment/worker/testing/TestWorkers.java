package dev.mt5augment.worker.testing;

import dev.mt5augment.worker.config.WorkerConfig;
import java.util.HashMap;
import java.util.Map;

/** Worker settings for tests: own topics per test, short linger and commit interval, no HTTP port. */
public final class TestWorkers {
    private TestWorkers() {
    }

    /** Topic names of one test: {@code <name>.requests}, {@code <name>.results}, {@code <name>.dlq}. */
    public record Topics(String requests, String results, String dlq, String group) {
        public static Topics of(String name) {
            return new Topics(name + ".requests", name + ".results", name + ".dlq", name + "-workers");
        }
    }

    public static Map<String, Object> settings(String bootstrap, Topics topics, String instanceId) {
        Map<String, Object> m = new HashMap<>();
        m.put(WorkerConfig.BOOTSTRAP_SERVERS, bootstrap);
        m.put(WorkerConfig.REQUEST_TOPIC, topics.requests());
        m.put(WorkerConfig.RESULT_TOPIC, topics.results());
        m.put(WorkerConfig.DEAD_LETTER_TOPIC, topics.dlq());
        m.put(WorkerConfig.GROUP_ID, topics.group());
        m.put(WorkerConfig.INSTANCE_ID, instanceId);
        m.put(WorkerConfig.DEVICES, "cpu");
        m.put(WorkerConfig.HTTP_PORT, -1);
        m.put(WorkerConfig.LINGER_MS, 5L);
        m.put(WorkerConfig.COMMIT_INTERVAL_MS, 50L);
        m.put(WorkerConfig.SHUTDOWN_GRACE_MS, 10_000L);
        m.put(WorkerConfig.TOPIC_PARTITIONS, 6);
        m.put(WorkerConfig.MAX_BATCH_ROWS, 32);
        m.put("kafka.transaction.timeout.ms", "6000");
        m.put("kafka.session.timeout.ms", "10000");
        m.put("kafka.heartbeat.interval.ms", "1000");
        return m;
    }

    /** The same settings as {@code bin/worker} flags. */
    public static java.util.List<String> flags(Map<String, ?> settings) {
        java.util.List<String> flags = new java.util.ArrayList<>();
        settings.forEach((k, v) -> flags.add("--" + (k.startsWith("kafka.") ? k : k.replace('_', '-')) + "=" + v));
        return flags;
    }

    public static WorkerConfig config(String bootstrap, Topics topics, String instanceId, Map<String, ?> extra) {
        Map<String, Object> m = settings(bootstrap, topics, instanceId);
        m.putAll(extra);
        return new WorkerConfig(m);
    }
}
