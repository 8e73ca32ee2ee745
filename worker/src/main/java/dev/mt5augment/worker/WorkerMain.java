package dev.mt5augment.worker;

import dev.mt5augment.broker.EmbeddedKafkaBroker;
import dev.mt5augment.worker.cli.SendCommand;
import dev.mt5augment.worker.config.ConfigSources;
import dev.mt5augment.worker.config.ConfigTable;
import dev.mt5augment.worker.config.WorkerConfig;
import dev.mt5augment.worker.loop.EngineModelLoader;
import dev.mt5augment.worker.loop.ModelLoader;
import dev.mt5augment.worker.loop.ModelLocation;
import dev.mt5augment.worker.observe.LogSetup;
import dev.mt5augment.worker.preflight.CpuOnlyFlag;
import dev.mt5augment.worker.preflight.MachineCheck;
import dev.mt5augment.worker.preflight.PreflightReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/worker}: runs a worker until SIGTERM/SIGINT; {@code bin/worker send} sends requests
 * and prints their replies. Settings: see {@link WorkerConfig} ({@code --help}).
 *
 * <p>Exit codes: 0 after a clean stop, 1 when a worker loop failed, 2 for bad settings, 3 when the
 * machine check found a problem ({@link MachineCheck}; {@code bin/worker check} runs only the check).
 */
public final class WorkerMain {
    private WorkerMain() {
    }

    /** What a run needs besides settings: how to load a model (tests wrap the real loader). */
    @FunctionalInterface
    public interface LoaderFactory {
        ModelLoader create(WorkerConfig config, ModelLocation model);
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), defaultLoaders()));
    }

    /** The engine's model loader. */
    public static LoaderFactory defaultLoaders() {
        return EngineModelLoader::new;
    }

    /** GPUs the engine sees. */
    public static int gpuCount() {
        return EngineModelLoader.gpuCount();
    }

    public static int run(String[] args, Map<String, String> env, LoaderFactory loaders) {
        ConfigSources.Parsed parsed;
        WorkerConfig config;
        try {
            parsed = ConfigSources.parse(CpuOnlyFlag.expand(args), env);
            if (parsed.help()) {
                System.out.println(usage());
                return 0;
            }
            config = new WorkerConfig(parsed.settings());
        } catch (ConfigException | IllegalArgumentException e) {
            System.err.println("bin/worker: " + e.getMessage() + "\n(bin/worker --help lists every setting)");
            return 2;
        }
        List<String> positional = parsed.positional();
        if (!positional.isEmpty() && positional.get(0).equals("send")) {
            return new SendCommand(config, positional.subList(1, positional.size())).run();
        }
        boolean checkOnly = positional.size() == 1 && positional.get(0).equals("check");
        if (!positional.isEmpty() && !checkOnly) {
            System.err.println("bin/worker: unknown command '" + positional.get(0) + "' (commands: send, check; none runs the worker)");
            return 2;
        }
        // The machine check runs before anything loads (MT5_PREFLIGHT=off skips it).
        if (checkOnly || !MachineCheck.disabled(env)) {
            PreflightReport report = new MachineCheck(config, env, WorkerMain::gpuCount).run();
            report.print(System.err);
            if (!report.ready()) return PreflightReport.EXIT_NOT_READY;
            if (checkOnly) return 0;
        }
        LogSetup.configure(config.logDir(), config.logLevel());
        return serve(config, loaders);
    }

    private static int serve(WorkerConfig initial, LoaderFactory loaders) {
        Logger log = LoggerFactory.getLogger(WorkerMain.class);
        EmbeddedKafkaBroker broker = null;
        WorkerConfig config = initial;
        Worker worker;
        try {
            if (config.embeddedKafka()) {
                EmbeddedKafkaBroker.Builder b = EmbeddedKafkaBroker.builder().port(config.embeddedKafkaPort());
                if (!config.embeddedKafkaDir().isBlank()) b.dataDir(Path.of(config.embeddedKafkaDir()));
                broker = b.build();
                broker.start();
                config = config.with(Map.of(WorkerConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers()));
                log.info("embedded Kafka broker on {} (log: {})", broker.bootstrapServers(), broker.logFile());
            }
            ModelLocation model = ModelLocation.of(config).check();
            if (model.isFixture()) {
                String warning = ModelLocation.fixtureWarning(model.dir());
                System.err.println(warning);
                log.warn(warning);
            }
            ModelLoader loader = loaders.create(config, model);
            List<String> devices = config.devices().resolve(WorkerMain::gpuCount);
            worker = new Worker(config, devices, loader).start();
        } catch (RuntimeException e) {
            log.error("worker cannot start: {}", e.getMessage(), e);
            if (broker != null) broker.close();
            return e instanceof IllegalArgumentException || e instanceof ConfigException ? 2 : 1;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        EmbeddedKafkaBroker brokerToStop = broker;
        Thread hook = new Thread(() -> {
            log.info("stop signal: finishing in-flight work (grace {} ms)", initialGrace(initial));
            worker.close();
            if (brokerToStop != null) brokerToStop.close();
            stopped.countDown();
        }, "mt5-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (brokerToStop != null) {
            System.err.println("\nworker ready. Try, from another shell:\n  bin/worker send --bootstrap-servers "
                    + brokerToStop.bootstrapServers() + " '{\"id\":\"hello-1\",\"text\":\"今天天气很好\"}'\n");
        }

        while (!worker.terminated() && !worker.anyFailed()) {
            try {
                if (stopped.await(500, java.util.concurrent.TimeUnit.MILLISECONDS)) return 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
        // A loop ended on its own: a fatal error. Stop the rest and exit non-zero, so that a supervisor
        // restarts the worker (the hook may also run; close is idempotent).
        boolean failed = worker.anyFailed();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            return failed ? 1 : 0;
        }
        worker.close();
        if (brokerToStop != null) brokerToStop.close();
        return failed ? 1 : 0;
    }

    private static long initialGrace(WorkerConfig c) {
        return c.shutdownGrace().toMillis();
    }

    static String usage() {
        return """
                bin/worker [--setting value ...]         run a worker (one loop per device) until SIGTERM
                bin/worker send [--setting value ...] [JSON ...]
                                                         send requests (arguments, or JSON lines on stdin)
                                                         and print each reply as a JSON line
                bin/worker check [--setting value ...]   only the machine check the worker runs at start: GPUs,
                                                         natives, model folder, memory, disk, ports, Kafka;
                                                         exit 0 when ready, 3 when not (one line per problem)
                --cpu-only                               serve on the CPU whatever GPUs there are (= --devices cpu)

                Quick start:  bin/worker --embedded-kafka
                              (a real KRaft broker as a child process; the tiny random test model)

                Settings come from --config FILE (properties), MT5_<NAME> environment variables and
                --<name> flags, in that order of precedence (flags win).
                """ + ConfigTable.markdown();
    }
}
