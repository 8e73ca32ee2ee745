package dev.mt5augment.models.cli;

import dev.mt5augment.models.generation.AdmissionPolicy;
import dev.mt5augment.models.generation.ContinuousBatcher;
import dev.mt5augment.models.generation.FinishedInput;
import dev.mt5augment.models.generation.GenerationException;
import dev.mt5augment.models.generation.GenerationInput;
import dev.mt5augment.models.generation.GenerationOutput;
import dev.mt5augment.models.generation.Mt5Generator;
import dev.mt5augment.models.generation.SessionStats;
import dev.mt5augment.models.generation.StepResult;

import java.util.ArrayList;
import java.util.List;

/**
 * Continuous batching: before every decoder step, requests that have arrived join as the
 * {@link AdmissionPolicy} allows, the live rows staying within {@code batchRows}; a request finishes
 * the step its last row does. With nothing live it sleeps until the next arrival.
 */
final class ContinuousBenchScheduler implements BenchScheduler {

    private final Mt5Generator generator;
    private final int batchRows;
    private final int minFreeRows;
    private final int maxDeferredSteps;
    private SessionStats lastStats;

    ContinuousBenchScheduler(Mt5Generator generator, int batchRows, int minFreeRows, int maxDeferredSteps) {
        this.generator = generator;
        this.batchRows = batchRows;
        this.minFreeRows = minFreeRows;
        this.maxDeferredSteps = maxDeferredSteps;
    }

    @Override
    public String name() {
        return "continuous";
    }

    SessionStats lastStats() {
        return lastStats;
    }

    @Override
    public Served serve(List<GenerationInput> requests, long[] arrivalNanos) {
        GenerationOutput[] outputs = new GenerationOutput[requests.size()];
        long[] finish = new long[requests.size()];
        int done = 0;
        long start = System.nanoTime();
        AdmissionPolicy policy = new AdmissionPolicy(batchRows, minFreeRows, maxDeferredSteps);
        try (ContinuousBatcher<Integer> session = generator.openSession()) {
            int next = 0;
            while (done < requests.size()) {
                if (session.isEmpty()) BenchScheduler.sleepUntil(start, arrivalNanos[next]);
                long now = System.nanoTime() - start;
                boolean waiting = next < requests.size() && arrivalNanos[next] <= now;
                int room = policy.admissibleRows(session.liveRows(), waiting);
                boolean empty = session.isEmpty();
                List<GenerationInput> joining = new ArrayList<>();
                List<Integer> tags = new ArrayList<>();
                while (next < requests.size() && arrivalNanos[next] <= now
                        && ((empty && joining.isEmpty()) || StaticBenchScheduler.rowsOf(requests.get(next)) <= room)) {
                    room -= StaticBenchScheduler.rowsOf(requests.get(next));
                    joining.add(requests.get(next));
                    tags.add(next++);
                }
                session.admit(joining, tags);
                StepResult<Integer> step = session.step();
                if (step instanceof StepResult.Failed<Integer> f) throw new GenerationException("a step failed", f.cause());
                long at = System.nanoTime() - start;
                for (FinishedInput<Integer> f : ((StepResult.Advanced<Integer>) step).finished()) {
                    outputs[f.tag()] = f.output();
                    finish[f.tag()] = at;
                    done++;
                }
            }
            lastStats = session.stats();
        }
        return new Served(outputs, finish, System.nanoTime() - start, lastStats.steps(), lastStats.rowSteps(),
                lastStats.encoderNanos());
    }
}
