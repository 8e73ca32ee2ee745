package dev.mt5augment.worker.loop;

import dev.mt5augment.worker.config.WorkerConfig;

/**
 * Loads the checkpoint with the mT5 engine of {@code models}.
 *
 * <p>TEMPORARY: the engine's facade ({@code Mt5Model.load}) is not on main yet; until it is, this
 * loader refuses to start and says so. Tests run the worker through the {@link ModelLoader}
 * interface.
 */
public final class EngineModelLoader implements ModelLoader {
    private final ModelLocation model;

    public EngineModelLoader(WorkerConfig config, ModelLocation model) {
        this.model = model;
    }

    @Override
    public ModelReplica load(String device) {
        throw new IllegalStateException("cannot load " + model.dir() + ": the mT5 engine (Mt5Model) is not part of this build yet");
    }

    /** GPUs the engine sees. */
    public static int gpuCount() {
        return 0;
    }
}
