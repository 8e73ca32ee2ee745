package dev.mt5augment.worker.loop;

import dev.mt5augment.worker.config.DeliveryMode;
import dev.mt5augment.worker.config.WorkerConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client settings of a worker loop: sensible defaults, then every {@code kafka.*} setting from the
 * configuration, then the few settings correctness depends on (which an override cannot change).
 *
 * <p>Defaults: consumer {@code read_committed}, offsets from the earliest record,
 * {@code CooperativeStickyAssignor} (a joining worker does not stop everyone's work),
 * {@code max.poll.records=200}; producer {@code acks=all}, idempotent, {@code linger.ms=5},
 * {@code transaction.timeout.ms=20000} (how long a crashed worker's open transaction can hold
 * back {@code read_committed} readers), {@code max.block.ms=15000}, {@code max.request.size} 2 MiB (the dead-letter topic the worker
 * creates allows 2 MiB records too).
 */
public final class KafkaClients {
    private static final Logger log = LoggerFactory.getLogger(KafkaClients.class);
    /** Producer default, 2 MiB: a dead letter is a request of up to the broker's 1 MB plus reason headers. */
    public static final int MAX_REQUEST_SIZE = 2 << 20;

    private final WorkerConfig config;

    public KafkaClients(WorkerConfig config) {
        this.config = config;
    }

    public KafkaConsumer<byte[], byte[]> consumer(String device) {
        return new KafkaConsumer<>(consumerSettings(device));
    }

    public KafkaProducer<byte[], byte[]> producer(String device) {
        return new KafkaProducer<>(producerSettings(device));
    }

    /** The consumer's settings (for tests and the startup log). */
    public Map<String, Object> consumerSettings(String device) {
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId(device) + "-consumer");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 200);
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        p.putAll(config.kafkaOverrides());
        force(p, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        force(p, ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        force(p, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return consumerOnly(p);
    }

    /** The producer's settings. */
    public Map<String, Object> producerSettings(String device) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId(device) + "-producer");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 20_000);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_REQUEST_SIZE);
        p.putAll(config.kafkaOverrides());
        force(p, ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        force(p, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        force(p, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        if (config.delivery() == DeliveryMode.EXACTLY_ONCE) {
            force(p, ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId(device));
        } else {
            p.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        }
        return producerOnly(p);
    }

    public Admin admin() {
        Map<String, Object> p = new HashMap<>();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.putAll(config.kafkaOverrides());
        return Admin.create(adminOnly(p));
    }

    /** {@code prefix-instance-device}, stable across restarts of the same worker on the same device. */
    public String transactionalId(String device) {
        return config.transactionalIdPrefix() + "-" + config.instanceId() + "-" + device.replace(':', '-');
    }

    private String clientId(String device) {
        return "mt5-worker-" + config.instanceId() + "-" + device.replace(':', '-');
    }

    private static void force(Map<String, Object> p, String key, String value) {
        Object old = p.put(key, value);
        if (old != null && !String.valueOf(old).equals(value)) {
            log.warn("kafka.{}={} ignored: the worker needs {}", key, old, value);
        }
    }

    // Each client gets only the settings it knows, so that no "unknown config" warnings fill the log.
    private static Map<String, Object> consumerOnly(Map<String, Object> p) {
        return only(p, ConsumerConfig.configNames());
    }

    private static Map<String, Object> producerOnly(Map<String, Object> p) {
        return only(p, ProducerConfig.configNames());
    }

    private static Map<String, Object> adminOnly(Map<String, Object> p) {
        return only(p, AdminClientConfig.configNames());
    }

    private static Map<String, Object> only(Map<String, Object> p, java.util.Set<String> names) {
        Map<String, Object> m = new HashMap<>();
        p.forEach((k, v) -> {
            if (names.contains(k) || k.startsWith("sasl.") || k.startsWith("ssl.")) m.put(k, v);
        });
        return m;
    }
}
