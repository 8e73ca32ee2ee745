package dev.mt5augment.models.cli;

import dev.mt5augment.models.generation.GenerationInput;
import dev.mt5augment.models.generation.GenerationOutput;
import dev.mt5augment.models.generation.GenerationStats;
import dev.mt5augment.models.generation.Mt5Generator;

import java.util.List;

/**
 * Static batching, as a worker without continuous batching serves: when the model is free, every
 * request that has arrived (up to {@code batchRows} decoder rows, in arrival order) runs as one
 * {@link Mt5Generator#generate} call, and all of them finish when the call returns. With nothing
 * waiting it sleeps until the next arrival.
 */
final class StaticBenchScheduler implements BenchScheduler {

    private final Mt5Generator generator;
    private final int batchRows;

    StaticBenchScheduler(Mt5Generator generator, int batchRows) {
        this.generator = generator;
        this.batchRows = batchRows;
    }

    @Override
    public String name() {
        return "static";
    }

    @Override
    public Served serve(List<GenerationInput> requests, long[] arrivalNanos) {
        GenerationOutput[] outputs = new GenerationOutput[requests.size()];
        long[] finish = new long[requests.size()];
        long steps = 0;
        long rowSteps = 0;
        long encoderNanos = 0;
        long start = System.nanoTime();
        int next = 0;
        while (next < requests.size()) {
            BenchScheduler.sleepUntil(start, arrivalNanos[next]);
            long now = System.nanoTime() - start;
            int end = next;
            int rows = 0;
            while (end < requests.size() && arrivalNanos[end] <= now
                    && (end == next || rows + rowsOf(requests.get(end)) <= batchRows)) {
                rows += rowsOf(requests.get(end));
                end++;
            }
            List<GenerationOutput> out = generator.generate(requests.subList(next, end));
            GenerationStats stats = generator.lastStats();
            steps += stats.decoderSteps();
            rowSteps += stats.decoderRowSteps();
            encoderNanos += stats.encoderNanos();
            long done = System.nanoTime() - start;
            for (int i = next; i < end; i++) {
                outputs[i] = out.get(i - next);
                finish[i] = done;
            }
            next = end;
        }
        return new Served(outputs, finish, System.nanoTime() - start, steps, rowSteps, encoderNanos);
    }

    static int rowsOf(GenerationInput in) {
        return in.config().numReturnSequences();
    }
}
