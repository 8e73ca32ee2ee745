package dev.mt5augment.broker;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft Kafka broker (combined broker and controller) running Kafka's own
 * {@code kafka.Kafka} in a child JVM, for {@code bin/worker --embedded-kafka} and for tests.
 *
 * <p>{@link #start()} writes {@code server.properties}, formats the storage, starts the child
 * through {@link BrokerProcess}, and returns once an admin client sees the broker in the cluster.
 * {@link #close()} closes the child's stdin (the broker shuts down cleanly), waits, and destroys
 * it if it is still alive; a temporary data folder is deleted. If this JVM dies without closing,
 * the child notices its stdin closing and exits on its own.
 *
 * <p>Settings (see {@link Builder} for defaults) are those a single node needs: replication factor
 * and min ISR 1 for the offsets, transaction-state and share-coordinator topics, no initial
 * rebalance delay, and a 1 s sweep of timed-out transactions so that a killed transactional
 * producer stops blocking {@code read_committed} readers soon after its transaction timeout.
 *
 * <p>Threading: start and close from one thread; {@link #bootstrapServers()} from any.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final Builder config;
    private final Path dataDir;
    private final boolean deleteDataDir;
    private final int port;
    private final int controllerPort;
    private Process process;
    private Writer stdinHold;

    private EmbeddedKafkaBroker(Builder b) {
        this.config = b;
        try {
            if (b.dataDir == null) {
                this.dataDir = Files.createTempDirectory("mt5-kafka-");
                this.deleteDataDir = true;
            } else {
                this.dataDir = Files.createDirectories(b.dataDir);
                this.deleteDataDir = false;
            }
        } catch (IOException e) {
            throw new BrokerStartException("cannot create the broker data folder: " + e.getMessage(), e);
        }
        this.port = b.port != 0 ? b.port : freePort();
        this.controllerPort = b.controllerPort != 0 ? b.controllerPort : freePort();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts a broker with every default. */
    public static EmbeddedKafkaBroker startDefault() {
        return builder().build().start();
    }

    /** Formats, starts and waits until the broker answers; idempotent once started. */
    public synchronized EmbeddedKafkaBroker start() {
        if (process != null) return this;
        Path props = dataDir.resolve("server.properties");
        Path logDir = dataDir.resolve("kraft-logs");
        boolean formatted = Files.exists(logDir.resolve("meta.properties"));
        writeProperties(props, logDir);

        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(config.jvmOptions);
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=" + config.logLevel);
        cmd.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        cmd.add("-cp");
        cmd.add(config.classpath != null ? config.classpath : BrokerClasspath.resolve());
        cmd.add(BrokerProcess.class.getName());
        cmd.add(props.toString());
        if (!formatted) {
            cmd.add("--format");
            cmd.add(config.clusterId);
        }
        Path logFile = dataDir.resolve("broker.log");
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new BrokerStartException("cannot start the broker JVM: " + e.getMessage(), e);
        }
        stdinHold = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        log.info("embedded Kafka broker starting on {} (pid {}, data {}, log {})",
                bootstrapServers(), process.pid(), dataDir, logFile);
        try {
            awaitReady(logFile);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        log.info("embedded Kafka broker ready on {}", bootstrapServers());
        return this;
    }

    /** {@code host:port} for clients. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The broker's own log (stdout and stderr of the child). */
    public Path logFile() {
        return dataDir.resolve("broker.log");
    }

    /** Process id of the broker JVM, or -1 when it is not running. */
    public long pid() {
        return process != null ? process.pid() : -1;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Creates topics that do not exist yet (replication factor 1). */
    public void createTopics(Map<String, Integer> partitionsByTopic) {
        try (Admin admin = Admin.create(adminProps())) {
            List<NewTopic> topics = new ArrayList<>();
            partitionsByTopic.forEach((name, partitions) -> topics.add(new NewTopic(name, partitions, (short) 1)));
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new BrokerStartException("cannot create topic " + entry.getKey() + ": " + e.getCause(), e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerStartException("interrupted while creating topics", e);
        } catch (TimeoutException e) {
            throw new BrokerStartException("timed out creating topics " + partitionsByTopic.keySet(), e);
        }
    }

    /** Stops the broker: stdin closed (clean shutdown), then destroy after the stop timeout. */
    @Override
    public synchronized void close() {
        if (process != null) {
            try {
                stdinHold.close();
            } catch (IOException ignored) {
                // the child is gone already
            }
            try {
                if (!process.waitFor(config.stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("embedded broker did not stop in {}; killing it", config.stopTimeout);
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            process = null;
        }
        if (deleteDataDir) deleteRecursively(dataDir);
    }

    private void awaitReady(Path logFile) {
        long deadline = System.nanoTime() + config.startTimeout.toNanos();
        try (Admin admin = Admin.create(adminProps())) {
            while (true) {
                if (!process.isAlive()) {
                    throw new BrokerStartException("broker exited with code " + process.exitValue()
                            + " before it became ready; last lines of " + logFile + ":\n" + tail(logFile, 40));
                }
                try {
                    Collection<?> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
                            .nodes().get(3, TimeUnit.SECONDS);
                    if (!nodes.isEmpty()) return;
                } catch (ExecutionException | TimeoutException e) {
                    // not listening yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BrokerStartException("interrupted while waiting for the broker", e);
                }
                if (System.nanoTime() > deadline) {
                    throw new BrokerStartException("broker not ready after " + config.startTimeout
                            + "; last lines of " + logFile + ":\n" + tail(logFile, 40));
                }
                sleep(200);
            }
        }
    }

    private Properties adminProps() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        return p;
    }

    private void writeProperties(Path file, Path logDir) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", Integer.toString(config.defaultPartitions));
        p.put("auto.create.topics.enable", Boolean.toString(config.autoCreateTopics));
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", Integer.toString(config.internalTopicPartitions));
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", Integer.toString(config.internalTopicPartitions));
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        p.putAll(config.serverProperties);
        StringBuilder text = new StringBuilder("# written by EmbeddedKafkaBroker\n");
        p.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BrokerStartException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new BrokerStartException("cannot find a free port: " + e.getMessage(), e);
        }
    }

    private static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerStartException("interrupted while waiting for the broker", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", dir, e.getMessage());
        }
    }

    /**
     * Settings of an {@link EmbeddedKafkaBroker}. Defaults:
     * <ul>
     *   <li>{@code dataDir}: a new temporary folder, deleted on close (a given folder is kept and
     *       reused: formatted once, restarted with its data);</li>
     *   <li>{@code port}, {@code controllerPort}: free ports on 127.0.0.1 (0 = pick one);</li>
     *   <li>{@code defaultPartitions}: 1 ({@code num.partitions} for auto-created topics);</li>
     *   <li>{@code autoCreateTopics}: false (topics are created explicitly);</li>
     *   <li>{@code internalTopicPartitions}: 5 (offsets and transaction-state topics; Kafka's 50
     *       slow a 2-core machine's start for nothing);</li>
     *   <li>{@code startTimeout}: 90 s; {@code stopTimeout}: 20 s;</li>
     *   <li>{@code jvmOptions}: {@code -Xms64m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1
     *       -Xshare:auto} (a test broker: small heap, fast start);</li>
     *   <li>{@code logLevel}: {@code warn} (slf4j-simple level in the child; its log is
     *       {@link #logFile()});</li>
     *   <li>{@code clusterId}: a random KRaft cluster id;</li>
     *   <li>{@code classpath}: {@link BrokerClasspath#resolve()};</li>
     *   <li>{@code serverProperty(k, v)}: any broker setting, applied last.</li>
     * </ul>
     */
    public static final class Builder {
        private Path dataDir;
        private int port;
        private int controllerPort;
        private int defaultPartitions = 1;
        private boolean autoCreateTopics = false;
        private int internalTopicPartitions = 5;
        private Duration startTimeout = Duration.ofSeconds(90);
        private Duration stopTimeout = Duration.ofSeconds(20);
        private List<String> jvmOptions = List.of(
                "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");
        private String logLevel = "warn";
        private String clusterId = Uuid.randomUuid().toString();
        private String classpath;
        private final Map<String, String> serverProperties = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder dataDir(Path v) { dataDir = v; return this; }
        public Builder port(int v) { port = requirePort(v); return this; }
        public Builder controllerPort(int v) { controllerPort = requirePort(v); return this; }
        public Builder defaultPartitions(int v) { defaultPartitions = requirePositive(v, "defaultPartitions"); return this; }
        public Builder autoCreateTopics(boolean v) { autoCreateTopics = v; return this; }
        public Builder internalTopicPartitions(int v) { internalTopicPartitions = requirePositive(v, "internalTopicPartitions"); return this; }
        public Builder startTimeout(Duration v) { startTimeout = v; return this; }
        public Builder stopTimeout(Duration v) { stopTimeout = v; return this; }
        public Builder jvmOptions(List<String> v) { jvmOptions = List.copyOf(v); return this; }
        public Builder logLevel(String v) { logLevel = v; return this; }
        public Builder clusterId(String v) { clusterId = v; return this; }
        public Builder classpath(String v) { classpath = v; return this; }
        public Builder serverProperty(String key, String value) { serverProperties.put(key, value); return this; }

        public EmbeddedKafkaBroker build() {
            return new EmbeddedKafkaBroker(this);
        }

        private static int requirePort(int v) {
            if (v < 0 || v > 65535) throw new IllegalArgumentException("port must be in [0, 65535], got " + v);
            return v;
        }

        private static int requirePositive(int v, String name) {
            if (v < 1) throw new IllegalArgumentException(name + " must be >= 1, got " + v);
            return v;
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaBroker[" + bootstrapServers() + ", data " + dataDir + "]";
    }
}
