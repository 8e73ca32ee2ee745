package dev.mt5augment.models.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mt5augment.models.checkpoint.Mt5WeightLayout;
import dev.mt5augment.models.checkpoint.RandomWeights;
import dev.mt5augment.models.checkpoint.SafetensorsCheckpoint;
import dev.mt5augment.models.config.ConfigException;
import dev.mt5augment.models.config.ModelShape;
import dev.mt5augment.models.config.Mt5Config;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * {@code bin/mt5 random OUT --shape mt5-base|tiny [--seed N]}: a random-weight checkpoint of a real
 * shape for benchmarks — config.json, generation_config.json and a float32 model.safetensors streamed
 * to disk (see {@link RandomWeights}). {@code tiny} also gets the tiny fixture's tokenizer; mt5-base
 * gets none (its benchmarks run on token ids), which the output says.
 */
public final class RandomCommand implements Subcommand {

    @Override
    public String summary() {
        return "OUT --shape mt5-base|tiny [--seed N]: random-weight checkpoint of a real shape, for benchmarks";
    }

    @Override
    public int run(CommandLineArgs args, PrintStream out, PrintStream err) throws IOException {
        Path outDir = Path.of(args.positional(0, "OUT"));
        String shapeName = args.string("shape", null);
        long seed = args.longValue("seed", 0);
        args.rejectUnused();
        if (shapeName == null) throw new CommandLineArgs.UsageException("--shape is required (mt5-base or tiny)");
        ModelShape shape;
        try {
            shape = ModelShape.fromCliName(shapeName);
        } catch (ConfigException e) {
            throw new CommandLineArgs.UsageException(e.getMessage());
        }
        Mt5Config config = shape.config();
        Files.createDirectories(outDir);
        ObjectMapper json = new ObjectMapper();
        json.writerWithDefaultPrettyPrinter().writeValue(outDir.resolve("config.json").toFile(), config.toJson());
        ObjectNode generation = json.createObjectNode()
                .put("decoder_start_token_id", config.decoderStartTokenId())
                .put("eos_token_id", config.eosTokenId())
                .put("pad_token_id", config.padTokenId());
        json.writerWithDefaultPrettyPrinter().writeValue(outDir.resolve("generation_config.json").toFile(), generation);

        Path weights = outDir.resolve(SafetensorsCheckpoint.FILE_NAME);
        err.println("writing " + shape.cliName() + " random weights (seed " + seed + ") to " + weights);
        long start = System.nanoTime();
        long bytes = RandomWeights.write(config, seed, weights);
        double seconds = (System.nanoTime() - start) / 1e9;

        ObjectNode report = json.createObjectNode();
        report.put("out", outDir.toString());
        report.put("shape", shape.cliName());
        report.put("seed", seed);
        report.put("parameters", new Mt5WeightLayout(config).parameterCount());
        report.put("file_bytes", Files.size(weights));
        report.put("data_bytes", bytes);
        report.put("write_seconds", Math.round(seconds * 1000) / 1000.0);
        report.put("tokenizer", tokenizer(shape, outDir, err));
        out.println(report);
        return 0;
    }

    private static String tokenizer(ModelShape shape, Path outDir, PrintStream err) throws IOException {
        if (shape != ModelShape.TINY) {
            err.println("note: no tokenizer written for " + shape.cliName() + ": benchmarks on it run on token ids");
            return "none: benchmarks run on token ids";
        }
        Path fixture = tinyFixture();
        if (fixture == null) {
            err.println("note: tiny fixture not found (set -Dmt5.fixtures); no tokenizer copied");
            return "none: tiny fixture not found";
        }
        for (String name : List.of("tokenizer.json", "spiece.model")) {
            Files.copy(fixture.resolve(name), outDir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        return "tokenizer.json and spiece.model copied from " + fixture;
    }

    /** {@code -Dmt5.fixtures}, else {@code ../shared/fixtures} next to the checkout ({@code -Dmt5.home}, set by bin/launch). */
    private static Path tinyFixture() {
        String fixtures = System.getProperty("mt5.fixtures");
        String home = System.getProperty("mt5.home");
        Path root = fixtures != null ? Path.of(fixtures) : home != null ? Path.of(home).resolve("../shared/fixtures") : null;
        if (root == null) return null;
        Path tiny = root.resolve("tiny-mt5").normalize();
        return Files.isRegularFile(tiny.resolve("tokenizer.json")) && Files.isRegularFile(tiny.resolve("spiece.model"))
                ? tiny : null;
    }
}
