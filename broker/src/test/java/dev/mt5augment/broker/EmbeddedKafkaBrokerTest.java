package dev.mt5augment.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Starts real KRaft brokers as child processes; about 10 to 30 s on 2 cores. */
class EmbeddedKafkaBrokerTest {

    @Test
    void transactionsWorkAndReadCommittedSeesOnlyCommittedRecords() throws Exception {
        Path dataDir;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start()) {
            dataDir = broker.dataDir();
            assertTrue(broker.isRunning());
            broker.createTopics(Map.of("t", 2));
            broker.createTopics(Map.of("t", 2)); // existing topics are fine

            Properties pp = new Properties();
            pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            pp.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-test");
            pp.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            pp.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp)) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("t", "k1", "aborted"));
                producer.abortTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("t", "k2", "committed"));
                producer.commitTransaction();
            }

            Properties cp = new Properties();
            cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            cp.put(ConsumerConfig.GROUP_ID_CONFIG, "g");
            cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            cp.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            cp.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            List<String> seen = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cp)) {
                consumer.subscribe(List.of("t"));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (seen.isEmpty() && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) seen.add(r.value());
                }
                // give a stray aborted record a chance to show up
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) seen.add(r.value());
            }
            assertEquals(List.of("committed"), seen);
        }
        assertFalse(Files.exists(dataDir), "temporary data folder is removed on close");
    }

    @Test
    void brokerDiesWithItsParentEvenWhenTheParentIsKilled() throws Exception {
        // A parent JVM that starts a broker, prints the broker's pid and waits forever.
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), BrokerOwner.class.getName());
        Process owner = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        long brokerPid = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("BROKER_PID ")) {
                    brokerPid = Long.parseLong(line.substring("BROKER_PID ".length()).trim());
                    break;
                }
            }
            assertTrue(brokerPid > 0, "owner printed the broker's pid");
            ProcessHandle broker = ProcessHandle.of(brokerPid).orElseThrow();
            assertTrue(broker.isAlive());

            owner.destroyForcibly(); // SIGKILL: no shutdown hook runs in the owner
            owner.waitFor(10, TimeUnit.SECONDS);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (broker.isAlive() && System.nanoTime() < deadline) Thread.sleep(100);
            assertFalse(broker.isAlive(), "broker exited after its parent was killed");
        } finally {
            owner.destroyForcibly();
            if (brokerPid > 0) ProcessHandle.of(brokerPid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aGivenDataFolderIsFormattedOnceAndKeepsItsTopics(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().dataDir(dir).build().start()) {
            broker.createTopics(Map.of("kept", 3));
        }
        assertTrue(Files.exists(dir.resolve("kraft-logs").resolve("meta.properties")), "the folder is kept");
        try (EmbeddedKafkaBroker again = EmbeddedKafkaBroker.builder().dataDir(dir).build().start();
             org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                     Map.of("bootstrap.servers", again.bootstrapServers()))) {
            assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains("kept"), "restarted with its data");
        }
    }

    @Test
    void aBrokerThatCannotStartSaysWhy() {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder()
                .serverProperty("num.network.threads", "not-a-number")
                .startTimeout(Duration.ofSeconds(60))
                .build();
        BrokerStartException e = assertThrows(BrokerStartException.class, broker::start);
        assertTrue(e.getMessage().contains("exited with code"), e.getMessage());
        assertTrue(e.getMessage().contains("num.network.threads"), e.getMessage());
        assertFalse(broker.isRunning());
    }

    @Test
    void aMissingClasspathEntryIsNamed() {
        String old = System.getProperty(BrokerClasspath.PROPERTY);
        System.setProperty(BrokerClasspath.PROPERTY, "/nonexistent/kafka.jar");
        try {
            BrokerStartException e = assertThrows(BrokerStartException.class, BrokerClasspath::resolve);
            assertTrue(e.getMessage().contains("/nonexistent/kafka.jar"), e.getMessage());
        } finally {
            if (old == null) System.clearProperty(BrokerClasspath.PROPERTY);
            else System.setProperty(BrokerClasspath.PROPERTY, old);
        }
    }

    /** Child main for {@link #brokerDiesWithItsParentEvenWhenTheParentIsKilled()}. */
    public static final class BrokerOwner {
        public static void main(String[] args) throws Exception {
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build().start();
            System.out.println("BROKER_PID " + broker.pid());
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
