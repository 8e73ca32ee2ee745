package dev.mt5augment.worker.testing;

import dev.mt5augment.broker.EmbeddedKafkaBroker;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * A real Kafka for integration tests: Testcontainers' {@link KafkaContainer} when Docker is
 * available, else a KRaft broker in a child JVM ({@link EmbeddedKafkaBroker}). The same tests run
 * on both. {@code -Dmt5.test.kafka=embedded} forces the child process.
 */
public interface KafkaTestCluster extends AutoCloseable {

    String bootstrapServers();

    /** Which kind runs, for the test log. */
    String kind();

    @Override
    void close();

    static KafkaTestCluster start() {
        boolean forceEmbedded = "embedded".equals(System.getProperty("mt5.test.kafka"));
        if (!forceEmbedded && dockerAvailable()) return new Container();
        return new ChildProcess();
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    default Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(p);
    }

    default void createTopic(String name, int partitions, Map<String, String> configs) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot create topic " + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The child-process KRaft broker. */
    final class ChildProcess implements KafkaTestCluster {
        private final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .dataDir(keptDataDir())
                .logLevel(System.getProperty("mt5.test.broker.log", "warn"))
                .build().start();

        /** Under target/, so that the broker's log survives a failed test (mvn clean removes it). */
        private static java.nio.file.Path keptDataDir() {
            return java.nio.file.Path.of("target", "kafka-" + System.currentTimeMillis() + "-" + ProcessHandle.current().pid());
        }

        @Override
        public String bootstrapServers() {
            return broker.bootstrapServers();
        }

        @Override
        public String kind() {
            return "KRaft broker in a child JVM (" + broker.dataDir() + ")";
        }

        @Override
        public void close() {
            broker.close();
        }
    }

    /** Testcontainers' Apache Kafka image, same version as the clients. */
    final class Container implements KafkaTestCluster {
        private final KafkaContainer kafka;

        Container() {
            kafka = new KafkaContainer("apache/kafka:" + System.getProperty("mt5.kafka.version", "4.1.0"))
                    .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                    .withEnv("KAFKA_TRANSACTION_ABORT_TIMED_OUT_TRANSACTION_CLEANUP_INTERVAL_MS", "1000");
            kafka.start();
        }

        @Override
        public String bootstrapServers() {
            return kafka.getBootstrapServers();
        }

        @Override
        public String kind() {
            return "Testcontainers " + kafka.getDockerImageName();
        }

        @Override
        public void close() {
            kafka.stop();
        }
    }
}
