package dev.mt5augment.worker.config;

import dev.mt5augment.contracts.task.PromptTemplates;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Every worker setting, its type, default and meaning, in one {@link ConfigDef} (Kafka's own):
 * {@code bin/worker --help} prints it and the README carries the same table.
 *
 * <p>Names are snake_case. The same setting comes from, last one winning: the properties file
 * ({@code --config FILE}), an environment variable ({@code MT5_} + upper case name), a flag
 * ({@code --} + name with dashes). Keys starting with {@value #KAFKA_PREFIX} go, prefix removed,
 * straight to every Kafka client (SASL, TLS, timeouts...); keys starting with
 * {@value #PROMPT_PREFIX} override a task's prompt template. See {@link ConfigSources}.
 */
public final class WorkerConfig extends AbstractConfig {
    public static final String KAFKA_PREFIX = "kafka.";
    public static final String PROMPT_PREFIX = "prompt.";

    private static final String G_KAFKA = "Kafka";
    private static final String G_MODEL = "Model";
    private static final String G_BATCH = "Batching";
    private static final String G_REQ = "Requests and replies";
    private static final String G_FAIL = "Failures and shutdown";
    private static final String G_OBS = "Observability";
    private static final String G_EMB = "Embedded broker";

    public static final String BOOTSTRAP_SERVERS = "bootstrap_servers";
    public static final String REQUEST_TOPIC = "request_topic";
    public static final String RESULT_TOPIC = "result_topic";
    public static final String DEAD_LETTER_TOPIC = "dead_letter_topic";
    public static final String CREATE_TOPICS = "create_topics";
    public static final String TOPIC_PARTITIONS = "topic_partitions";
    public static final String TOPIC_REPLICATION_FACTOR = "topic_replication_factor";
    public static final String GROUP_ID = "group_id";
    public static final String INSTANCE_ID = "instance_id";
    public static final String TRANSACTIONAL_ID_PREFIX = "transactional_id_prefix";
    public static final String DELIVERY = "delivery";
    public static final String COMMIT_INTERVAL_MS = "commit_interval_ms";
    public static final String POLL_TIMEOUT_MS = "poll_timeout_ms";

    public static final String MODEL = "model";
    public static final String DEVICES = "devices";
    public static final String PRECISION = "precision";
    public static final String THREADS = "threads";

    public static final String MAX_BATCH_ROWS = "max_batch_rows";
    public static final String MAX_BATCH_TOKENS = "max_batch_tokens";
    public static final String LINGER_MS = "linger_ms";
    public static final String MAX_QUEUED_ROWS = "max_queued_rows";

    public static final String DEFAULT_DEADLINE_MS = "default_deadline_ms";
    public static final String ALLOWED_REPLY_TOPICS = "allowed_reply_topics";
    public static final String MAX_RECORD_BYTES = "max_record_bytes";
    public static final String MAX_RESULT_BYTES = "max_result_bytes";

    public static final String INFERENCE_MAX_ATTEMPTS = "inference_max_attempts";
    public static final String BREAKER_FAILURE_RATE = "breaker_failure_rate";
    public static final String BREAKER_WINDOW = "breaker_window";
    public static final String BREAKER_OPEN_MS = "breaker_open_ms";
    public static final String SEND_RETRIES = "send_retries";
    public static final String SEND_RETRY_BACKOFF_MS = "send_retry_backoff_ms";
    public static final String SHUTDOWN_GRACE_MS = "shutdown_grace_ms";

    public static final String HTTP_PORT = "http_port";
    public static final String LOG_DIR = "log_dir";
    public static final String LOG_LEVEL = "log_level";

    public static final String EMBEDDED_KAFKA = "embedded_kafka";
    public static final String EMBEDDED_KAFKA_PORT = "embedded_kafka_port";
    public static final String EMBEDDED_KAFKA_DIR = "embedded_kafka_dir";

    /** The definition of every setting; {@link ConfigTable} renders it. */
    public static final ConfigDef DEFINITION = definition();

    private final Map<String, String> kafkaOverrides;
    private final Map<String, String> promptOverrides;

    /**
     * @param values setting name → value as text (or typed); {@code kafka.*} and {@code prompt.*}
     *               keys are collected separately; any other unknown key is an error
     * @throws ConfigException naming the bad setting and value
     */
    public WorkerConfig(Map<String, ?> values) {
        super(DEFINITION, known(values), false);
        Map<String, String> kafka = new TreeMap<>();
        Map<String, String> prompts = new TreeMap<>();
        for (var e : values.entrySet()) {
            String k = e.getKey();
            if (k.startsWith(KAFKA_PREFIX)) kafka.put(k.substring(KAFKA_PREFIX.length()), String.valueOf(e.getValue()));
            else if (k.startsWith(PROMPT_PREFIX)) prompts.put(k.substring(PROMPT_PREFIX.length()), String.valueOf(e.getValue()));
            else if (!DEFINITION.names().contains(k)) {
                throw new ConfigException("unknown setting '" + k + "' (bin/worker --help lists them all; "
                        + "Kafka client settings take the prefix " + KAFKA_PREFIX + ")");
            }
        }
        this.kafkaOverrides = Map.copyOf(kafka);
        this.promptOverrides = Map.copyOf(prompts);
        validateCrossFields();
    }

    private static Map<String, Object> known(Map<String, ?> values) {
        Map<String, Object> m = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (DEFINITION.names().contains(k)) m.put(k, v);
        });
        return m;
    }

    private void validateCrossFields() {
        DeliveryMode.parse(getString(DELIVERY));
        DeviceSelection.parse(getString(DEVICES));
        try {
            Pattern.compile(getString(ALLOWED_REPLY_TOPICS));
        } catch (PatternSyntaxException e) {
            throw new ConfigException(ALLOWED_REPLY_TOPICS, getString(ALLOWED_REPLY_TOPICS), "not a regular expression: " + e.getDescription());
        }
        String p = getString(PRECISION).toLowerCase(Locale.ROOT);
        if (!p.equals("auto") && !p.equals("fp32") && !p.equals("fp16")) {
            throw new ConfigException(PRECISION, getString(PRECISION), "must be auto, fp32 or fp16");
        }
        try {
            PromptTemplates.defaults().withOverrides(promptOverrides);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("bad prompt template: " + e.getMessage());
        }
        if (getBoolean(EMBEDDED_KAFKA) && kafkaOverrides.containsKey("bootstrap.servers")) {
            throw new ConfigException("embedded_kafka and kafka.bootstrap.servers contradict each other; choose one");
        }
    }

    private static ConfigDef definition() {
        ConfigDef d = new ConfigDef();
        int o = 0;
        d.define(BOOTSTRAP_SERVERS, Type.STRING, "localhost:9092", Importance.HIGH,
                "Kafka bootstrap servers (host:port,...). Ignored with embedded_kafka.", G_KAFKA, ++o, ConfigDef.Width.LONG, BOOTSTRAP_SERVERS);
        d.define(REQUEST_TOPIC, Type.STRING, "augment.requests", new ConfigDef.NonEmptyString(), Importance.HIGH,
                "Topic the requests are consumed from.", G_KAFKA, ++o, ConfigDef.Width.MEDIUM, REQUEST_TOPIC);
        d.define(RESULT_TOPIC, Type.STRING, "augment.results", new ConfigDef.NonEmptyString(), Importance.HIGH,
                "Default reply topic (a request may name another one that matches allowed_reply_topics).", G_KAFKA, ++o, ConfigDef.Width.MEDIUM, RESULT_TOPIC);
        d.define(DEAD_LETTER_TOPIC, Type.STRING, "augment.requests.dlq", new ConfigDef.NonEmptyString(), Importance.HIGH,
                "Topic for records that cannot be served: original key and value bytes, reason in headers.", G_KAFKA, ++o, ConfigDef.Width.MEDIUM, DEAD_LETTER_TOPIC);
        d.define(CREATE_TOPICS, Type.BOOLEAN, true, Importance.MEDIUM,
                "Create the three topics at start when missing (needs the CREATE ACL; failure to create is logged, not fatal).", G_KAFKA, ++o, ConfigDef.Width.SHORT, CREATE_TOPICS);
        d.define(TOPIC_PARTITIONS, Type.INT, 6, Range.between(1, 10_000), Importance.LOW,
                "Partitions of topics this worker creates. More partitions than worker loops lets loops join later.", G_KAFKA, ++o, ConfigDef.Width.SHORT, TOPIC_PARTITIONS);
        d.define(TOPIC_REPLICATION_FACTOR, Type.SHORT, (short) 1, Range.between(1, 100), Importance.LOW,
                "Replication factor of topics this worker creates.", G_KAFKA, ++o, ConfigDef.Width.SHORT, TOPIC_REPLICATION_FACTOR);
        d.define(GROUP_ID, Type.STRING, "mt5-augment-workers", new ConfigDef.NonEmptyString(), Importance.HIGH,
                "Consumer group shared by every worker loop of every worker.", G_KAFKA, ++o, ConfigDef.Width.MEDIUM, GROUP_ID);
        d.define(INSTANCE_ID, Type.STRING, "", Importance.MEDIUM,
                "Stable name of this worker process; empty = the host name. Part of the transactional id, so a restarted worker fences its own "
                        + "unfinished transactions at once; two workers on one host need different values.", G_KAFKA, ++o, ConfigDef.Width.MEDIUM, INSTANCE_ID);
        d.define(TRANSACTIONAL_ID_PREFIX, Type.STRING, "mt5-augment", new ConfigDef.NonEmptyString(), Importance.LOW,
                "transactional.id = prefix-instance_id-device.", G_KAFKA, ++o, ConfigDef.Width.MEDIUM, TRANSACTIONAL_ID_PREFIX);
        d.define(DELIVERY, Type.STRING, "exactly-once", Importance.HIGH,
                "exactly-once: replies, dead letters and offsets in one transaction. at-least-once: offsets committed after replies are acknowledged "
                        + "(for clusters without transactions; a crash may answer twice).", G_KAFKA, ++o, ConfigDef.Width.SHORT, DELIVERY);
        d.define(COMMIT_INTERVAL_MS, Type.LONG, 100L, Range.between(0L, 60_000L), Importance.LOW,
                "Finished work is committed (one transaction) at most this often.", G_KAFKA, ++o, ConfigDef.Width.SHORT, COMMIT_INTERVAL_MS);
        d.define(POLL_TIMEOUT_MS, Type.LONG, 20L, Range.between(1L, 10_000L), Importance.LOW,
                "Consumer poll timeout; also how long a finished reply may wait for the consumer thread.", G_KAFKA, ++o, ConfigDef.Width.SHORT, POLL_TIMEOUT_MS);

        o = 0;
        d.define(MODEL, Type.STRING, "", Importance.HIGH,
                "Checkpoint folder (config.json, model.safetensors or pytorch_model.bin, tokenizer.json or spiece.model). "
                        + "Empty = the tiny random test model ../shared/fixtures/tiny-mt5 (its output is random).", G_MODEL, ++o, ConfigDef.Width.LONG, MODEL);
        d.define(DEVICES, Type.STRING, "auto", Importance.HIGH,
                "auto (every visible GPU, else the CPU), cpu, or GPU indexes like 0,1. One worker loop and one model replica per device.", G_MODEL, ++o, ConfigDef.Width.SHORT, DEVICES);
        d.define(PRECISION, Type.STRING, "auto", Importance.MEDIUM,
                "auto (fp16 on GPU, fp32 on CPU), fp32 or fp16.", G_MODEL, ++o, ConfigDef.Width.SHORT, PRECISION);
        d.define(THREADS, Type.INT, 0, Range.atLeast(0), Importance.LOW,
                "CPU threads for the engine per replica; 0 = the engine's default.", G_MODEL, ++o, ConfigDef.Width.SHORT, THREADS);

        o = 0;
        d.define(MAX_BATCH_ROWS, Type.INT, 64, Range.between(1, 100_000), Importance.MEDIUM,
                "Most decoder rows per batch (a request with N texts and R return sequences is N×R rows; beam search: N×num_beams).", G_BATCH, ++o, ConfigDef.Width.SHORT, MAX_BATCH_ROWS);
        d.define(MAX_BATCH_TOKENS, Type.INT, 16_384, Range.between(1, 100_000_000), Importance.MEDIUM,
                "Most padded encoder tokens per batch: encoder rows × longest input in the batch.", G_BATCH, ++o, ConfigDef.Width.SHORT, MAX_BATCH_TOKENS);
        d.define(LINGER_MS, Type.LONG, 10L, Range.between(0L, 60_000L), Importance.MEDIUM,
                "How long the oldest waiting row may wait for batch mates before a partial batch runs.", G_BATCH, ++o, ConfigDef.Width.SHORT, LINGER_MS);
        d.define(MAX_QUEUED_ROWS, Type.INT, 512, Range.between(1, 10_000_000), Importance.MEDIUM,
                "Decoder rows consumed but not yet committed before the consumer pauses its partitions (it keeps polling, so no rebalance).", G_BATCH, ++o, ConfigDef.Width.SHORT, MAX_QUEUED_ROWS);

        o = 0;
        d.define(DEFAULT_DEADLINE_MS, Type.LONG, 30_000L, Range.between(1L, 3_600_000L), Importance.MEDIUM,
                "Time budget of a request without deadline_ms, from the record timestamp; past it, the request gets DEADLINE_EXCEEDED.", G_REQ, ++o, ConfigDef.Width.SHORT, DEFAULT_DEADLINE_MS);
        d.define(ALLOWED_REPLY_TOPICS, Type.STRING, "augment\\.results.*", Importance.MEDIUM,
                "Regular expression a request's reply_to (field or reply-topic header) must match in full; else REPLY_TOPIC_NOT_ALLOWED.", G_REQ, ++o, ConfigDef.Width.MEDIUM, ALLOWED_REPLY_TOPICS);

        d.define(MAX_RECORD_BYTES, Type.INT, 1 << 20, Range.between(64, Integer.MAX_VALUE), Importance.LOW,
                "Largest request value read; a bigger record is dead-lettered with RECORD_TOO_LARGE without being parsed.", G_REQ, ++o, ConfigDef.Width.SHORT, MAX_RECORD_BYTES);
        d.define(MAX_RESULT_BYTES, Type.INT, 1_000_000, Range.between(1024, Integer.MAX_VALUE), Importance.LOW,
                "Largest result value written (keep it under the reply topic's max.message.bytes and kafka.max.request.size); "
                        + "a bigger result becomes an INFERENCE_FAILED error reply and the request is dead-lettered.", G_REQ, ++o, ConfigDef.Width.SHORT, MAX_RESULT_BYTES);

        o = 0;
        d.define(INFERENCE_MAX_ATTEMPTS, Type.INT, 3, Range.between(1, 100), Importance.LOW,
                "A row whose whole batch failed (device trouble, not a poison row) is retried up to this many times, then dead-lettered with INFERENCE_FAILED.", G_FAIL, ++o, ConfigDef.Width.SHORT, INFERENCE_MAX_ATTEMPTS);
        d.define(BREAKER_FAILURE_RATE, Type.INT, 50, Range.between(1, 100), Importance.LOW,
                "Percent of failed batches (every row failed) in the window that opens the device circuit breaker: consumption pauses, /health says DOWN.", G_FAIL, ++o, ConfigDef.Width.SHORT, BREAKER_FAILURE_RATE);
        d.define(BREAKER_WINDOW, Type.INT, 10, Range.between(1, 10_000), Importance.LOW,
                "Batches in the circuit breaker's window (it judges after half of them).", G_FAIL, ++o, ConfigDef.Width.SHORT, BREAKER_WINDOW);
        d.define(BREAKER_OPEN_MS, Type.LONG, 10_000L, Range.between(1L, 3_600_000L), Importance.LOW,
                "How long an open breaker waits before a trial batch.", G_FAIL, ++o, ConfigDef.Width.SHORT, BREAKER_OPEN_MS);
        d.define(SEND_RETRIES, Type.INT, 5, Range.between(1, 1000), Importance.LOW,
                "Attempts for a transient Kafka send or commit error (exponential backoff) before the work is rolled back and redone.", G_FAIL, ++o, ConfigDef.Width.SHORT, SEND_RETRIES);
        d.define(SEND_RETRY_BACKOFF_MS, Type.LONG, 200L, Range.between(1L, 60_000L), Importance.LOW,
                "First backoff of a send retry; doubles each time.", G_FAIL, ++o, ConfigDef.Width.SHORT, SEND_RETRY_BACKOFF_MS);
        d.define(SHUTDOWN_GRACE_MS, Type.LONG, 15_000L, Range.between(0L, 600_000L), Importance.MEDIUM,
                "On SIGTERM: time to finish the running batch and commit; unfinished work is left uncommitted and re-delivered to another worker.", G_FAIL, ++o, ConfigDef.Width.SHORT, SHUTDOWN_GRACE_MS);

        o = 0;
        d.define(HTTP_PORT, Type.INT, 8080, Range.between(-1, 65535), Importance.MEDIUM,
                "Port of /health and /metrics (Prometheus); 0 = any free port, -1 = off.", G_OBS, ++o, ConfigDef.Width.SHORT, HTTP_PORT);
        d.define(LOG_DIR, Type.STRING, "logs", Importance.LOW,
                "Folder of the rolling log file worker.log (daily, 7 days kept).", G_OBS, ++o, ConfigDef.Width.MEDIUM, LOG_DIR);
        d.define(LOG_LEVEL, Type.STRING, "INFO", ConfigDef.ValidString.in("TRACE", "DEBUG", "INFO", "WARN", "ERROR"), Importance.LOW,
                "Level of the worker's own loggers. Request payloads are logged only at DEBUG.", G_OBS, ++o, ConfigDef.Width.SHORT, LOG_LEVEL);

        o = 0;
        d.define(EMBEDDED_KAFKA, Type.BOOLEAN, false, Importance.MEDIUM,
                "Start a real single-node KRaft broker as a child process (it dies with the worker) and use it.", G_EMB, ++o, ConfigDef.Width.SHORT, EMBEDDED_KAFKA);
        d.define(EMBEDDED_KAFKA_PORT, Type.INT, 9092, Range.between(0, 65535), Importance.LOW,
                "Client port of the embedded broker (0 = any free port).", G_EMB, ++o, ConfigDef.Width.SHORT, EMBEDDED_KAFKA_PORT);
        d.define(EMBEDDED_KAFKA_DIR, Type.STRING, "", Importance.LOW,
                "Data folder of the embedded broker, kept between runs; empty = a temporary folder removed at exit.", G_EMB, ++o, ConfigDef.Width.MEDIUM, EMBEDDED_KAFKA_DIR);
        return d;
    }

    // Typed views, so callers never parse strings.

    public String bootstrapServers() { return kafkaOverrides.getOrDefault("bootstrap.servers", getString(BOOTSTRAP_SERVERS)); }
    public String requestTopic() { return getString(REQUEST_TOPIC); }
    public String resultTopic() { return getString(RESULT_TOPIC); }
    public String deadLetterTopic() { return getString(DEAD_LETTER_TOPIC); }
    public boolean createTopics() { return getBoolean(CREATE_TOPICS); }
    public int topicPartitions() { return getInt(TOPIC_PARTITIONS); }
    public short topicReplicationFactor() { return getShort(TOPIC_REPLICATION_FACTOR); }
    public String groupId() { return getString(GROUP_ID); }
    public String transactionalIdPrefix() { return getString(TRANSACTIONAL_ID_PREFIX); }
    public DeliveryMode delivery() { return DeliveryMode.parse(getString(DELIVERY)); }
    public Duration commitInterval() { return Duration.ofMillis(getLong(COMMIT_INTERVAL_MS)); }
    public Duration pollTimeout() { return Duration.ofMillis(getLong(POLL_TIMEOUT_MS)); }
    public DeviceSelection devices() { return DeviceSelection.parse(getString(DEVICES)); }
    public String precision() { return getString(PRECISION).toLowerCase(Locale.ROOT); }
    public int threads() { return getInt(THREADS); }
    public int maxBatchRows() { return getInt(MAX_BATCH_ROWS); }
    public int maxBatchTokens() { return getInt(MAX_BATCH_TOKENS); }
    public Duration linger() { return Duration.ofMillis(getLong(LINGER_MS)); }
    public int maxQueuedRows() { return getInt(MAX_QUEUED_ROWS); }
    public Duration defaultDeadline() { return Duration.ofMillis(getLong(DEFAULT_DEADLINE_MS)); }
    public Pattern allowedReplyTopics() { return Pattern.compile(getString(ALLOWED_REPLY_TOPICS)); }
    public int maxRecordBytes() { return getInt(MAX_RECORD_BYTES); }
    public int maxResultBytes() { return getInt(MAX_RESULT_BYTES); }
    public int inferenceMaxAttempts() { return getInt(INFERENCE_MAX_ATTEMPTS); }
    public int breakerFailureRate() { return getInt(BREAKER_FAILURE_RATE); }
    public int breakerWindow() { return getInt(BREAKER_WINDOW); }
    public Duration breakerOpen() { return Duration.ofMillis(getLong(BREAKER_OPEN_MS)); }
    public int sendRetries() { return getInt(SEND_RETRIES); }
    public Duration sendRetryBackoff() { return Duration.ofMillis(getLong(SEND_RETRY_BACKOFF_MS)); }
    public Duration shutdownGrace() { return Duration.ofMillis(getLong(SHUTDOWN_GRACE_MS)); }
    public int httpPort() { return getInt(HTTP_PORT); }
    public Path logDir() { return Path.of(getString(LOG_DIR)); }
    public String logLevel() { return getString(LOG_LEVEL); }
    public boolean embeddedKafka() { return getBoolean(EMBEDDED_KAFKA); }
    public int embeddedKafkaPort() { return getInt(EMBEDDED_KAFKA_PORT); }
    public String embeddedKafkaDir() { return getString(EMBEDDED_KAFKA_DIR); }

    /** {@link #INSTANCE_ID}, or the host name when empty. */
    public String instanceId() {
        String id = getString(INSTANCE_ID);
        if (!id.isBlank()) return id.trim();
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** The model folder as given; empty when the tiny fixture is meant (see {@link #modelIsDefault()}). */
    public String modelSetting() { return getString(MODEL); }

    public boolean modelIsDefault() { return getString(MODEL).isBlank(); }

    /** Client settings from {@code kafka.*}, prefix removed; applied over the worker's own. */
    public Map<String, String> kafkaOverrides() { return kafkaOverrides; }

    /** Prompt templates from {@code prompt.<task>}, prefix removed. */
    public Map<String, String> promptOverrides() { return promptOverrides; }

    /** A copy with some settings changed (tests, the embedded broker's address). */
    public WorkerConfig with(Map<String, ?> changes) {
        Map<String, Object> all = new LinkedHashMap<>(originals());
        kafkaOverrides.forEach((k, v) -> all.put(KAFKA_PREFIX + k, v));
        promptOverrides.forEach((k, v) -> all.put(PROMPT_PREFIX + k, v));
        all.putAll(changes);
        return new WorkerConfig(all);
    }
}
