package dev.mt5augment.worker.preflight;

import dev.mt5augment.worker.config.WorkerConfig;
import dev.mt5augment.worker.loop.ModelLocation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.IntSupplier;

/**
 * What {@code bin/worker} checks before it loads anything: the devices (GPUs seen, or
 * {@code --cpu-only}), the PyTorch natives for them, the model folder, memory for the replicas,
 * writable folders, free ports and, for an external cluster, whether Kafka answers. Each problem is
 * one line; any {@link Finding.Severity#FAIL} stops the start with
 * {@link PreflightReport#EXIT_NOT_READY}. Nothing here loads the engine: GPUs are counted through the
 * CUDA runtime and nvidia-smi, checkpoint headers are read, not the weights.
 *
 * <p>Typical output:
 * <pre>
 * preflight: OK   gpu      2 GPUs seen by the engine: 0 NVIDIA H100 80 GB HBM3 81559 MiB, 1 ... (nvidia-smi); worker loops on cuda:0, cuda:1
 * preflight: FAIL natives  GPU worker loops asked for, but the PyTorch natives are the CPU build from the classpath ...
 * preflight: OK   model    /models/mt5-base: config.json (mt5, 582M parameters), model.safetensors 2.2 GiB, tokenizer.json
 * </pre>
 */
public final class MachineCheck {
    private final WorkerConfig config;
    private final Map<String, String> env;
    private final IntSupplier engineGpuCount;

    /**
     * @param config         the worker's settings
     * @param env            the process environment ({@code PATH}, {@code PYTORCH_*}, {@code DJL_*},
     *                       {@code CUDA_VISIBLE_DEVICES})
     * @param engineGpuCount GPUs the engine sees (the worker's own count)
     */
    public MachineCheck(WorkerConfig config, Map<String, String> env, IntSupplier engineGpuCount) {
        this.config = config;
        this.env = env;
        this.engineGpuCount = engineGpuCount;
    }

    /** Environment variable that turns the check at start off ({@code MT5_PREFLIGHT=off}): an escape hatch. */
    public static final String SWITCH_ENV = "MT5_PREFLIGHT";

    public static boolean disabled(Map<String, String> env) {
        String v = env.get(SWITCH_ENV);
        return v != null && (v.equalsIgnoreCase("off") || v.equalsIgnoreCase("false") || v.equals("0"));
    }

    public PreflightReport run() {
        List<Finding> all = new ArrayList<>();
        GpuCheck.Result devices = GpuCheck.run(config.devices(), () -> GpuInventory.probe(env, engineGpuCount));
        all.addAll(devices.findings());
        if (!devices.devices().isEmpty()) {
            all.addAll(new TorchNativesCheck(env, MachineCheck.class.getClassLoader()).run(devices.usesGpu()));
        }
        ModelFolderCheck.Result model = ModelFolderCheck.run(ModelLocation.of(config));
        all.addAll(model.findings());
        if (model.config() != null && !devices.devices().isEmpty()) {
            OptionalLong available = HostMemory.availableBytes();
            all.addAll(MemoryCheck.run(model.config(), config.precision(), devices.devices(), devices.inventory(), available));
        }
        Path kafkaDir = config.embeddedKafka() && !config.embeddedKafkaDir().isBlank() ? Path.of(config.embeddedKafkaDir()) : null;
        all.addAll(DiskCheck.run(config.logDir(), DjlCache.engineDir(env), kafkaDir));
        all.addAll(PortCheck.run(config.httpPort(), config.embeddedKafka() ? config.embeddedKafkaPort() : -1));
        if (!config.embeddedKafka()) all.addAll(KafkaReachCheck.run(config.bootstrapServers()));
        return new PreflightReport(all);
    }
}
