package dev.mt5augment.models.cli;

import dev.mt5augment.models.generation.GenerationInput;
import dev.mt5augment.models.generation.GenerationOutput;

import java.util.List;

/**
 * Bench only: serves requests that arrive over time the way one scheduler would, on the calling
 * thread, and says when each finished.
 */
interface BenchScheduler {

    /** What a run did. */
    record Served(GenerationOutput[] outputs, long[] finishNanos, long wallNanos, long decoderSteps, long decoderRowSteps,
                  long encoderNanos) {
    }

    String name();

    /**
     * @param requests     one input each
     * @param arrivalNanos when each request arrives, from the start of the run, non-decreasing (all 0: a closed batch)
     * @param finishNanos  filled in: when each finished, from the start of the run
     */
    Served serve(List<GenerationInput> requests, long[] arrivalNanos);

    /** Sleeps until {@code targetNanos} after {@code startNanos}. */
    static void sleepUntil(long startNanos, long targetNanos) {
        long wait = startNanos + targetNanos - System.nanoTime();
        if (wait <= 0) return;
        try {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
