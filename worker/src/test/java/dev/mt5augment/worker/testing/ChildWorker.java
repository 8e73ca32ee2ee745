package dev.mt5augment.worker.testing;

import dev.mt5augment.worker.WorkerMain;

/**
 * {@code bin/worker}'s main in a child JVM, with the test model (optionally slowed down by
 * {@code -Dmt5.test.slow.ms}, so that a test can kill or stop it mid-batch). Same settings,
 * same shutdown hook, same exit codes as the real command.
 */
public final class ChildWorker {
    private ChildWorker() {
    }

    public static void main(String[] args) {
        long slowMs = Long.getLong("mt5.test.slow.ms", 0);
        System.exit(WorkerMain.run(args, System.getenv(), (config, model) -> slowMs > 0
                ? TestModels.loader((tokenizer, generator) -> new SlowGenerator(generator, slowMs))
                : TestModels.loader()));
    }
}
