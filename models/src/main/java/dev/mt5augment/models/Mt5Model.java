package dev.mt5augment.models;

import ai.djl.Device;
import dev.mt5augment.models.checkpoint.Checkpoint;
import dev.mt5augment.models.checkpoint.Checkpoints;
import dev.mt5augment.models.config.Mt5Config;
import dev.mt5augment.models.generation.Mt5Generator;
import dev.mt5augment.models.nn.Mt5Weights;
import dev.mt5augment.models.runtime.Devices;
import dev.mt5augment.models.runtime.ModelOptions;
import dev.mt5augment.models.runtime.TorchRuntime;
import dev.mt5augment.models.tokenizer.TextTokenizer;
import dev.mt5augment.models.tokenizer.Tokenizers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An mT5 checkpoint folder loaded for generation: config, weights on the chosen device, tokenizer and
 * a {@link Mt5Generator}. Tokenization and generation are separate steps: a worker tokenizes, batches
 * id rows, generates and decodes.
 *
 * <p>Memory: see {@link dev.mt5augment.models.runtime.WeightStorage}; the checkpoint stays open until
 * {@link #close()} because mapped weights (at least an untied embedding) alias it.
 *
 * <p>Threading: the tokenizer is thread-safe; the generator is not (one thread at a time). Close once,
 * after generation has stopped.
 */
public final class Mt5Model implements AutoCloseable {

    private final String name;
    private final Mt5Config config;
    private final ModelOptions options;
    private final Checkpoint checkpoint;
    private final Mt5Weights weights;
    private final Mt5Generator generator;
    private final TextTokenizer tokenizer;
    private final Duration loadTime;

    private Mt5Model(String name, Mt5Config config, ModelOptions options, Checkpoint checkpoint, Mt5Weights weights,
                     TextTokenizer tokenizer, Duration loadTime) {
        this.name = name;
        this.config = config;
        this.options = options;
        this.checkpoint = checkpoint;
        this.weights = weights;
        this.generator = new Mt5Generator(weights, options);
        this.tokenizer = tokenizer;
        this.loadTime = loadTime;
    }

    /**
     * Loads {@code dir}: {@code config.json}, the weights ({@code model.safetensors}, sharded
     * safetensors or {@code pytorch_model.bin}) and, when present, {@code tokenizer.json} or
     * {@code spiece.model}.
     *
     * @throws dev.mt5augment.models.config.ConfigException         for a missing or unsupported config
     * @throws dev.mt5augment.models.checkpoint.CheckpointException naming file and tensor for bad weights
     * @throws IllegalArgumentException                              for a device this machine lacks
     */
    public static Mt5Model load(Path dir, ModelOptions options) {
        long start = System.nanoTime();
        Mt5Config config = Mt5Config.load(dir);
        Checkpoint checkpoint = Checkpoints.open(dir);
        TextTokenizer tokenizer = null;
        try {
            if (Files.isRegularFile(dir.resolve(Tokenizers.TOKENIZER_JSON)) || Files.isRegularFile(dir.resolve(Tokenizers.SENTENCEPIECE_MODEL))) {
                tokenizer = Tokenizers.load(dir);
            }
            return load(dir.toAbsolutePath().normalize().getFileName().toString(), config, checkpoint, tokenizer, options, start);
        } catch (RuntimeException e) {
            if (tokenizer != null) tokenizer.close();
            checkpoint.close();
            throw e;
        }
    }

    /**
     * Builds a model from parts already open; takes ownership of {@code checkpoint} and
     * {@code tokenizer} (which may be null: {@link #tokenizer()} then throws).
     */
    public static Mt5Model load(String name, Mt5Config config, Checkpoint checkpoint, TextTokenizer tokenizer,
                                ModelOptions options) {
        return load(name, config, checkpoint, tokenizer, options, System.nanoTime());
    }

    private static Mt5Model load(String name, Mt5Config config, Checkpoint checkpoint, TextTokenizer tokenizer,
                                 ModelOptions options, long startNanos) {
        TorchRuntime.start(options.threads());
        Device device = Devices.parse(options.device());
        Mt5Weights weights = Mt5Weights.load(checkpoint, config, options.precision(), device, options.weights());
        return new Mt5Model(name, config, options, checkpoint, weights, tokenizer,
                Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /** The folder's name. */
    public String name() {
        return name;
    }

    public Mt5Config config() {
        return config;
    }

    public ModelOptions options() {
        return options;
    }

    /** @throws IllegalStateException when the folder had no tokenizer */
    public TextTokenizer tokenizer() {
        if (tokenizer == null) {
            throw new IllegalStateException(name + ": the model folder has no " + Tokenizers.TOKENIZER_JSON + " or "
                    + Tokenizers.SENTENCEPIECE_MODEL);
        }
        return tokenizer;
    }

    public boolean hasTokenizer() {
        return tokenizer != null;
    }

    public Mt5Generator generator() {
        return generator;
    }

    /** Time from the start of {@link #load} to a usable model. */
    public Duration loadTime() {
        return loadTime;
    }

    @Override
    public void close() {
        generator.close();
        weights.close();
        if (tokenizer != null) tokenizer.close();
        checkpoint.close();
    }
}
