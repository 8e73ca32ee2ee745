package dev.mt5augment.worker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

/** The example worker.properties of the offline bundle: every setting, and its defaults read back exactly. */
class ExamplePropertiesTest {

    /** The file with every {@code #name=value} line uncommented, read as the worker reads its --config file. */
    private static Properties uncommented() throws Exception {
        String text = ExampleProperties.render().lines()
                .map(l -> l.matches("#[a-z_]+=.*") ? l.substring(1) : l)
                .collect(Collectors.joining("\n"));
        Properties p = new Properties();
        p.load(new StringReader(text));
        return p;
    }

    @Test
    void everySettingIsThereAtItsDefault() throws Exception {
        Properties p = uncommented();
        for (ConfigDef.ConfigKey key : WorkerConfig.DEFINITION.configKeys().values()) {
            assertTrue(p.containsKey(key.name), key.name + " missing");
            assertEquals(String.valueOf(key.defaultValue), p.getProperty(key.name), key.name);
        }
        assertEquals(WorkerConfig.DEFINITION.names().size(), p.size(), "no other keys: " + p.keySet());
    }

    @Test
    void theUncommentedFileIsAValidConfigEqualToTheDefaults() throws Exception {
        Map<String, String> values = uncommented().entrySet().stream()
                .collect(Collectors.toMap(e -> (String) e.getKey(), e -> (String) e.getValue()));
        WorkerConfig fromFile = new WorkerConfig(values);
        WorkerConfig defaults = new WorkerConfig(Map.of());
        assertEquals(defaults.values(), fromFile.values());
        assertEquals("augment\\.results.*", fromFile.allowedReplyTopics().pattern(), "the backslash survives");
    }

    @Test
    void nothingIsActiveUntilUncommented() throws Exception {
        Properties p = new Properties();
        p.load(new StringReader(ExampleProperties.render()));
        assertEquals(0, p.size(), p.toString());
    }
}
