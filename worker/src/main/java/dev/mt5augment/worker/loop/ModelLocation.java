package dev.mt5augment.worker.loop;

import dev.mt5augment.worker.config.WorkerConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the worker's checkpoint is: the {@code model} setting, or, when it is empty, the tiny
 * random test model at {@code ../shared/fixtures/tiny-mt5} next to the checkout (the launcher sets
 * {@code mt5.home} to the checkout).
 *
 * @param dir       the checkpoint folder
 * @param isFixture true for the tiny random test model, whose output is random
 */
public record ModelLocation(Path dir, boolean isFixture) {
    public static final String HOME_PROPERTY = "mt5.home";
    public static final String FIXTURES_PROPERTY = "mt5.fixtures";

    public static ModelLocation of(WorkerConfig config) {
        if (!config.modelIsDefault()) return new ModelLocation(Path.of(config.modelSetting()).toAbsolutePath(), false);
        return new ModelLocation(fixture(), true);
    }

    /** The tiny test model: {@code mt5.fixtures}/tiny-mt5, else {@code mt5.home}/../shared/fixtures/tiny-mt5. */
    public static Path fixture() {
        String fixtures = System.getProperty(FIXTURES_PROPERTY);
        if (fixtures != null) return Path.of(fixtures, "tiny-mt5").toAbsolutePath().normalize();
        String home = System.getProperty(HOME_PROPERTY, ".");
        return Path.of(home).resolve("../shared/fixtures/tiny-mt5").toAbsolutePath().normalize();
    }

    /** Fails with a clear message when the folder is missing or has no config.json. */
    public ModelLocation check() {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("model folder " + dir + " does not exist"
                    + (isFixture ? " (the default is the tiny test model ../shared/fixtures/tiny-mt5 next to the checkout; give --model DIR)" : ""));
        }
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            throw new IllegalArgumentException("model folder " + dir + " has no config.json");
        }
        return this;
    }

    /** The warning printed when the tiny random model serves requests. */
    public static String fixtureWarning(Path dir) {
        String line = "*".repeat(78);
        return "\n" + line + "\n"
                + "*  WARNING: no --model given; serving the TINY RANDOM TEST MODEL from\n"
                + "*    " + dir + "\n"
                + "*  Its weights are random: every generated text is MEANINGLESS.\n"
                + "*  Use --model /path/to/checkpoint (e.g. nlp_mt5_zero-shot-augment_chinese-base) for real output.\n"
                + line + "\n";
    }
}
