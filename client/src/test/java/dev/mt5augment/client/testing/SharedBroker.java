package dev.mt5augment.client.testing;

import dev.mt5augment.broker.EmbeddedKafkaBroker;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real KRaft broker (a child JVM) for every test class in this JVM: started on first use,
 * stopped when the JVM exits (and it dies with the JVM anyway). Each test takes topics of its own
 * from {@link #topics(String)}, so tests never see each other's records.
 */
public final class SharedBroker {

    private static EmbeddedKafkaBroker broker;
    private static final AtomicInteger SEQ = new AtomicInteger();

    /** Topic names of one test. */
    public record TestTopics(String requests, String results) {
    }

    private SharedBroker() {
    }

    public static synchronized EmbeddedKafkaBroker get() {
        if (broker == null) {
            broker = EmbeddedKafkaBroker.builder().build().start();
            EmbeddedKafkaBroker b = broker;
            Runtime.getRuntime().addShutdownHook(new Thread(b::close, "shared-broker-stop"));
        }
        return broker;
    }

    public static String bootstrap() {
        return get().bootstrapServers();
    }

    /** Creates {@code <name>-<n>.requests} and {@code .results}, 3 partitions each. */
    public static TestTopics topics(String name) {
        return topics(name, 3);
    }

    public static TestTopics topics(String name, int partitions) {
        String base = name + "-" + SEQ.incrementAndGet();
        TestTopics t = new TestTopics(base + ".requests", base + ".results");
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put(t.requests(), partitions);
        m.put(t.results(), partitions);
        get().createTopics(m);
        return t;
    }
}
