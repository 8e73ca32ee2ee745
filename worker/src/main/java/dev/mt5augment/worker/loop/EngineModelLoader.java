package dev.mt5augment.worker.loop;

import dev.mt5augment.models.Mt5Model;
import dev.mt5augment.models.runtime.Devices;
import dev.mt5augment.models.runtime.ModelOptions;
import dev.mt5augment.models.runtime.Precision;
import dev.mt5augment.worker.config.WorkerConfig;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a checkpoint with the mT5 engine of {@code models}: one {@link Mt5Model} per device, with
 * its tokenizer and generator. Precision {@code auto} is fp16 on a GPU and fp32 on the CPU.
 */
public final class EngineModelLoader implements ModelLoader {
    private static final Logger log = LoggerFactory.getLogger(EngineModelLoader.class);

    private final Path dir;
    private final String precision;
    private final int threads;

    public EngineModelLoader(WorkerConfig config, ModelLocation model) {
        this(model.dir(), config.precision(), config.threads());
    }

    /**
     * @param precision {@code auto}, {@code fp32} or {@code fp16}
     * @param threads   CPU threads for the engine; 0 = its default
     */
    public EngineModelLoader(Path dir, String precision, int threads) {
        this.dir = dir;
        this.precision = precision;
        this.threads = threads;
    }

    @Override
    public ModelReplica load(String device) {
        if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
        boolean gpu = !device.equals("cpu");
        Precision p = precision.equals("auto") ? (gpu ? Precision.FP16 : Precision.FP32) : Precision.parse(precision);
        ModelOptions options = ModelOptions.builder().device(device).precision(p).threads(threads).build();
        Mt5Model model = Mt5Model.load(dir, options);
        log.info("loaded {} on {} ({}) in {} ms", model.name(), device, p, model.loadTime().toMillis());
        return new ModelReplica(model.name(), device, model.tokenizer(), model.generator(), model.config().eosTokenId(), model);
    }

    /** GPUs the engine sees. */
    public static int gpuCount() {
        return Devices.gpuCount();
    }
}
