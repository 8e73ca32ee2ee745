package dev.mt5augment.models.runtime;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Starts DJL's PyTorch engine offline and applies the thread setting. DJL would otherwise contact
 * the network at start-up (usage tracking) and may try to download a native library.
 */
public final class TorchRuntime {

    private TorchRuntime() {
    }

    /** Starts the engine if needed; {@code threads > 0} sets the process-wide intra-op thread count. */
    public static Engine start(int threads) {
        if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
        if (threads > 0 && System.getProperty("ai.djl.pytorch.num_threads") == null) {
            // Read by the engine at its first start; later calls use JniUtils below.
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            // Generation runs one op at a time; inter-op threads only compete with the intra-op pool.
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        Engine engine = Engine.getEngine("PyTorch");
        if (threads > 0 && JniUtils.getNumThreads() != threads) JniUtils.setNumThreads(threads);
        JniUtils.setGradMode(false);
        return engine;
    }

    /** The engine's current intra-op thread count. */
    public static int threads() {
        return JniUtils.getNumThreads();
    }
}
