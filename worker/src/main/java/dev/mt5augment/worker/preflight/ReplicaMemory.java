package dev.mt5augment.worker.preflight;

import dev.mt5augment.models.checkpoint.Mt5WeightLayout;
import dev.mt5augment.models.config.Mt5Config;

/**
 * What one model replica holds: its weights at the precision the worker picks for a device
 * ({@code auto}: fp16 on a GPU, fp32 on the CPU). mT5-base: 582M parameters, 2.3 GB in fp32,
 * 1.2 GB in fp16. Activations and the JVM come on top (see {@link MemoryCheck}).
 */
final class ReplicaMemory {
    private ReplicaMemory() {
    }

    static long parameters(Mt5Config config) {
        return new Mt5WeightLayout(config).parameterCount();
    }

    static boolean halfPrecision(String precision, String device) {
        return precision.equals("fp16") || (precision.equals("auto") && device.startsWith("cuda"));
    }

    static long weightBytes(Mt5Config config, String precision, String device) {
        return parameters(config) * (halfPrecision(precision, device) ? 2 : 4);
    }
}
