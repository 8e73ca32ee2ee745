package dev.mt5augment.worker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mt5augment.contracts.messaging.Topics;
import dev.mt5augment.worker.loop.KafkaClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerConfigTest {

    private static WorkerConfig parse(String[] args, Map<String, String> env) {
        return new WorkerConfig(ConfigSources.parse(args, env).settings());
    }

    @Test
    void defaultsMatchTheContract() {
        WorkerConfig c = parse(new String[0], Map.of());
        assertEquals(Topics.REQUESTS, c.requestTopic());
        assertEquals(Topics.RESULTS, c.resultTopic());
        assertEquals(Topics.REQUESTS_DLQ, c.deadLetterTopic());
        assertEquals(DeliveryMode.EXACTLY_ONCE, c.delivery());
        assertEquals("auto", c.devices().toString());
        assertTrue(c.modelIsDefault());
        assertEquals(30_000, c.defaultDeadline().toMillis());
        assertTrue(c.allowedReplyTopics().matcher("augment.results.team-a").matches());
        assertFalse(c.allowedReplyTopics().matcher("payments").matches());
        assertFalse(c.embeddedKafka());
    }

    @Test
    void flagsBeatEnvironmentWhichBeatsTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("worker.properties");
        Files.writeString(file, "max_batch_rows=8\nlinger_ms=7\ngroup_id=from-file\nkafka.security.protocol=SSL\n");
        WorkerConfig c = parse(new String[] {"--config", file.toString(), "--max-batch-rows", "32", "--embedded-kafka"},
                Map.of("MT5_MAX_BATCH_ROWS", "16", "MT5_LINGER_MS", "9", "MT5_KAFKA_SASL_MECHANISM", "PLAIN",
                        "MT5_BROKER_CLASSPATH", "/not/a/setting", "PATH", "/usr/bin"));
        assertEquals(32, c.maxBatchRows(), "flag wins");
        assertEquals(9, c.linger().toMillis(), "environment beats the file");
        assertEquals("from-file", c.groupId());
        assertTrue(c.embeddedKafka(), "a boolean flag alone means true");
        assertEquals(Map.of("security.protocol", "SSL", "sasl.mechanism", "PLAIN"), c.kafkaOverrides());
    }

    @Test
    void equalsSignFlagsAndBooleanValues() {
        WorkerConfig c = parse(new String[] {"--delivery=at-least-once", "--create-topics", "false", "--devices=0,1"}, Map.of());
        assertEquals(DeliveryMode.AT_LEAST_ONCE, c.delivery());
        assertFalse(c.createTopics());
        assertEquals(List.of("cuda:0", "cuda:1"), c.devices().resolve(() -> 2));
    }

    @Test
    void mistakesAreNamed() {
        assertThrows(ConfigException.class, () -> parse(new String[] {"--max-batch-row=3"}, Map.of()),
                "a misspelt setting is not silently ignored");
        ConfigException e = assertThrows(ConfigException.class, () -> parse(new String[] {"--max-batch-rows=0"}, Map.of()));
        assertTrue(e.getMessage().contains("max_batch_rows"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> parse(new String[] {"--linger-ms=soon"}, Map.of()));
        assertTrue(e.getMessage().contains("linger_ms"), e.getMessage());
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class, () -> parse(new String[] {"--delivery=twice"}, Map.of()));
        assertTrue(d.getMessage().contains("twice"));
        assertThrows(IllegalArgumentException.class, () -> parse(new String[] {"--devices=gpu"}, Map.of()));
        assertThrows(ConfigException.class, () -> parse(new String[] {"--allowed-reply-topics=("}, Map.of()));
        assertThrows(ConfigException.class, () -> parse(new String[] {"--prompt.augment=no placeholder"}, Map.of()));
        assertThrows(ConfigException.class, () -> parse(new String[] {"--prompt.dance={text}"}, Map.of()));
        assertThrows(ConfigException.class, () -> parse(new String[] {"--max-batch-rows"}, Map.of()), "flag without value");
        assertThrows(ConfigException.class, () -> parse(new String[] {"--config", "/no/such/file.properties"}, Map.of()));
    }

    @Test
    void promptTemplatesCanBeOverridden() {
        WorkerConfig c = parse(new String[] {"--prompt.augment=改写下面的句子：{text}"}, Map.of("MT5_PROMPT_TRANSLATE_EN", "Translate: {text}"));
        assertEquals(Map.of("augment", "改写下面的句子：{text}", "translate_en", "Translate: {text}"), c.promptOverrides());
    }

    @Test
    void devicesResolveAgainstTheGpusTheEngineSees() {
        assertEquals(List.of("cpu"), DeviceSelection.parse("auto").resolve(() -> 0));
        assertEquals(List.of("cuda:0", "cuda:1"), DeviceSelection.parse("auto").resolve(() -> 2));
        assertEquals(List.of("cpu"), DeviceSelection.parse("cpu").resolve(() -> 4));
        assertEquals(List.of("cuda:1"), DeviceSelection.parse("1").resolve(() -> 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceSelection.parse("0,2").resolve(() -> 2));
        assertTrue(e.getMessage().contains("GPU 2"), e.getMessage());
    }

    @Test
    void helpTableListsEverySettingWithItsDefault() {
        String table = ConfigTable.markdown();
        for (ConfigDef.ConfigKey key : WorkerConfig.DEFINITION.configKeys().values()) {
            assertTrue(table.contains("`" + key.name + "`"), key.name);
            assertTrue(table.contains("`--" + key.name.replace('_', '-') + "`"), key.name);
            assertTrue(table.contains("`MT5_" + key.name.toUpperCase() + "`"), key.name);
            assertFalse(key.documentation.isBlank(), key.name + " is documented");
        }
    }

    @Test
    void kafkaSettingsPassThroughButCannotBreakCorrectness() {
        WorkerConfig c = parse(new String[] {"--instance-id=host-7", "--kafka.security.protocol=SASL_SSL",
                "--kafka.enable.auto.commit=true", "--kafka.max.poll.records=50"}, Map.of());
        KafkaClients clients = new KafkaClients(c);
        Map<String, Object> consumer = clients.consumerSettings("cuda:1");
        assertEquals("SASL_SSL", consumer.get("security.protocol"));
        assertEquals("50", consumer.get("max.poll.records"));
        assertEquals("false", consumer.get("enable.auto.commit"), "offsets are committed by the worker only");
        assertEquals("read_committed", consumer.get("isolation.level"));
        Map<String, Object> producer = clients.producerSettings("cuda:1");
        assertEquals("mt5-augment-host-7-cuda-1", producer.get("transactional.id"));
        assertEquals("true", producer.get("enable.idempotence"));
        assertFalse(producer.containsKey("max.poll.records"), "each client gets only its own settings");

        Map<String, Object> alo = new KafkaClients(c.with(Map.of(WorkerConfig.DELIVERY, "at-least-once"))).producerSettings("cpu");
        assertFalse(alo.containsKey("transactional.id"));
    }
}
