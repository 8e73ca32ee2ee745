package dev.mt5augment.worker.preflight;

import dev.mt5augment.models.checkpoint.CheckpointException;
import dev.mt5augment.models.checkpoint.CheckpointValidator;
import dev.mt5augment.models.checkpoint.Checkpoints;
import dev.mt5augment.models.checkpoint.MappedCheckpoint;
import dev.mt5augment.models.config.ConfigException;
import dev.mt5augment.models.config.Mt5Config;
import dev.mt5augment.models.tokenizer.TokenizerException;
import dev.mt5augment.models.tokenizer.Tokenizers;
import dev.mt5augment.worker.loop.ModelLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether the checkpoint folder is complete, with the models module's own readers: a config.json the
 * engine accepts, weights it finds ({@link Checkpoints#locate}) whose headers list every tensor the
 * config needs in the right shape (headers only: the weights are mapped, not read), and a tokenizer
 * file ({@link Tokenizers#locate}). Catches a half-copied folder before minutes of loading.
 */
final class ModelFolderCheck {
    static final String NAME = "model";

    /** @param config the model's config when it could be read, else {@code null} */
    record Result(Mt5Config config, List<Finding> findings) {
    }

    private ModelFolderCheck() {
    }

    static Result run(ModelLocation model) {
        Path dir = model.dir();
        List<Finding> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            out.add(Finding.fail(NAME, "model folder " + dir + " does not exist" + (model.isFixture()
                    ? " (without --model the worker serves the tiny test model from there; give --model DIR)"
                    : "")));
            return new Result(null, out);
        }
        if (!Files.isReadable(dir)) {
            out.add(Finding.fail(NAME, "model folder " + dir + " is not readable by this user"));
            return new Result(null, out);
        }
        Mt5Config config = null;
        try {
            config = Mt5Config.load(dir);
        } catch (ConfigException e) {
            out.add(Finding.fail(NAME, "config: " + e.getMessage()));
        }
        String weights = null;
        try {
            Checkpoints.Located located = Checkpoints.locate(dir);
            weights = located.file().getFileName() + " " + size(weightBytes(located));
            if (config != null) {
                try (MappedCheckpoint checkpoint = Checkpoints.open(located)) {
                    CheckpointValidator.validate(checkpoint, config);
                }
            }
        } catch (CheckpointException | UncheckedIOException e) {
            out.add(Finding.fail(NAME, "weights: " + e.getMessage()));
        }
        String tokenizer = null;
        try {
            tokenizer = Tokenizers.locate(dir).getFileName().toString();
        } catch (TokenizerException e) {
            out.add(Finding.fail(NAME, "tokenizer: " + e.getMessage()));
        }
        if (out.isEmpty()) {
            out.add(Finding.ok(NAME, dir + ": config.json (" + config.modelType() + ", "
                    + parameters(ReplicaMemory.parameters(config)) + " parameters), "
                    + weights + ", " + tokenizer + (model.isFixture() ? "; the TINY RANDOM TEST MODEL (its output is random)" : "")));
        }
        return new Result(config, out);
    }

    /** The weight file, or for shards the index and every file next to it ending in .safetensors. */
    private static long weightBytes(Checkpoints.Located located) {
        try {
            if (located.format() != Checkpoints.Format.SHARDED_SAFETENSORS) return Files.size(located.file());
            long total = 0;
            try (var files = Files.list(located.file().getParent())) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    if (p.getFileName().toString().endsWith(".safetensors")) total += Files.size(p);
                }
            }
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String parameters(long n) {
        return n >= 1_000_000 ? String.format(Locale.ROOT, "%.0fM", n / 1e6) : String.format(Locale.ROOT, "%.0fK", n / 1e3);
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30) return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        if (bytes >= 1L << 20) return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
        return bytes + " bytes";
    }
}
