package dev.mt5augment.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mt5augment.worker.config.ConfigTable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's settings table is the one {@code bin/worker --help} prints. */
class WorkerReadmeTest {
    private static final String BEGIN = "<!-- worker-config-table:begin";
    private static final String END = "<!-- worker-config-table:end -->";

    @Test
    void readmeCarriesTheGeneratedSettingsTable() throws Exception {
        Path readme = Path.of("..", "README.md"); // surefire runs in the module folder
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        int b = text.indexOf(BEGIN);
        int e = text.indexOf(END);
        assertTrue(b >= 0 && e > b, "README has the table markers");
        String inReadme = text.substring(text.indexOf('\n', b) + 1, e).strip();
        assertEquals(ConfigTable.markdown().strip(), inReadme,
                "regenerate the README table from `bin/worker --help` (everything from **Kafka** on)");
        assertTrue(WorkerMain.usage().contains(ConfigTable.markdown()));
    }
}
