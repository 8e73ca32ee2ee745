package dev.mt5augment.models.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.mt5augment.models.config.Mt5Config;
import dev.mt5augment.models.nn.CacheSegment;
import dev.mt5augment.models.nn.CrossSegment;
import dev.mt5augment.models.nn.Mt5Weights;
import dev.mt5augment.models.nn.RowSlots;
import dev.mt5augment.models.runtime.ModelOptions;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@link GenerationSession} for mT5: iteration-level scheduling of greedy and sampled rows.
 *
 * <h2>One step</h2>
 * Every unfinished row of every live input is fed its last token, in one dense batch: the
 * projections, feed-forward blocks and LM head run once over all of them. Rows admitted before the
 * same step form a {@link Cohort} at one decoder position; each cohort's rows attend over their own
 * KV cache at its exact length. Inputs of one padded length and row count share a {@link MemoryPool}
 * whatever step they joined at: one cross-attention product per pool, each input against its own
 * keys, length and mask. A row that finishes leaves the dense batch at once; its cache and pool slots
 * stay, dead and fed zero queries, until they are compacted. An input whose rows have all finished is
 * returned by that step.
 *
 * <h2>Same ids as a static batch</h2>
 * A row computes here exactly what it computes in {@link Mt5Generator#generate}: its input is encoded
 * at the same padded length with inputs of the same padded length and return count; the products
 * over rows are row-stable at any row count (see {@code dev.mt5augment.models.nn.Linear}); its
 * self-attention runs at its own position over exactly its keys, and its cross-attention product has
 * the same shape per input; the logits processors and selectors are row-wise; its random stream is
 * seeded from (seed, return index). So ids and scores are bitwise those of the static path, whatever
 * joins or leaves around it (tested).
 *
 * <h2>Beam search</h2>
 * Not supported: its rows are coupled (each step picks an input's beams from all of them and
 * reorders that input's cache rows), and an input finishes as a whole when its hypotheses are done,
 * so it has no rows to release early. Beam inputs go through {@link Mt5Generator#generate}.
 *
 * <p>Threading: not thread-safe; confined to the thread that drives the generator.
 */
public final class ContinuousBatcher<T> implements GenerationSession<T> {

    private final Mt5Weights weights;
    private final Mt5Config config;
    private final ModelOptions options;
    private final NDManager manager;
    private final TokenSelector selector = new StrategySelector();
    /** Oldest first; the last one may still be joining (not started). */
    private final List<Cohort<T>> cohorts = new ArrayList<>();
    /** By padded length and rows per input. */
    private final Map<Long, MemoryPool<T>> pools = new LinkedHashMap<>();
    private int serial;
    private boolean closed;

    private long admissions;
    private long inputs;
    private long steps;
    private long rowSteps;
    private long slotSteps;
    private long compactions;
    private int peakCohorts;
    private long encoderNanos;
    private long decoderNanos;

    ContinuousBatcher(Mt5Weights weights, ModelOptions options, NDManager parent) {
        this.weights = weights;
        this.config = weights.config();
        this.options = options;
        this.manager = parent.newSubManager();
    }

    @Override
    public void admit(List<GenerationInput> batch, List<T> tags) {
        checkOpen();
        if (batch.size() != tags.size()) throw new IllegalArgumentException(batch.size() + " inputs but " + tags.size() + " tags");
        for (int i = 0; i < batch.size(); i++) {
            Mt5Generator.validate(i, batch.get(i), options.maxInputTokens(), config.vocabSize());
            if (batch.get(i).config().strategy() == DecodingStrategy.BEAM) {
                throw new IllegalArgumentException("input " + i + ": beam search runs in static batches only (Seq2SeqGenerator.generate)");
            }
        }
        if (batch.isEmpty()) return;
        long start = System.nanoTime();
        List<int[]> ids = new ArrayList<>(batch.size());
        int[] rowsPerInput = new int[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            ids.add(batch.get(i).inputIds());
            rowsPerInput[i] = batch.get(i).config().numReturnSequences();
        }
        List<InputEncoder.Group> groups;
        try {
            groups = InputEncoder.encode(weights, manager, ids, rowsPerInput, options.lengthBucket(), config.padTokenId());
        } catch (RuntimeException e) {
            throw Mt5Generator.engineFailure(e);
        }
        List<LiveInput<T>> admitted = new ArrayList<>(batch.size());
        for (int gi = 0; gi < groups.size(); gi++) {
            InputEncoder.Group g = groups.get(gi);
            List<LiveInput<T>> members = new ArrayList<>(g.members().length);
            int padded = 0;
            for (int m : g.members()) {
                GenerationInput in = batch.get(m);
                padded = InputEncoder.roundUp(in.inputIds().length, options.lengthBucket());
                members.add(new LiveInput<>(tags.get(m), serial++, in.config(), config.decoderStartTokenId(), padded));
            }
            long key = (long) padded << 20 | g.rowsPerInput();
            try {
                pools.computeIfAbsent(key, k -> new MemoryPool<>(g.rowsPerInput())).add(g.memory(), members);
            } catch (RuntimeException e) {
                // All or nothing: what joined the pools already leaves again.
                for (int rest = gi + 1; rest < groups.size(); rest++) groups.get(rest).memory().close();
                for (LiveInput<T> in : admitted) in.left = true;
                removeWhere(in -> false);
                throw Mt5Generator.engineFailure(e);
            }
            admitted.addAll(members);
        }
        Cohort<T> joining = joiningCohort();
        for (LiveInput<T> in : admitted) joining.add(in);
        admissions++;
        inputs += batch.size();
        encoderNanos += System.nanoTime() - start;
    }

    /** The cohort that the next step starts: inputs admitted since the last step. */
    private Cohort<T> joiningCohort() {
        if (!cohorts.isEmpty() && !cohorts.get(cohorts.size() - 1).started()) return cohorts.get(cohorts.size() - 1);
        Cohort<T> c = new Cohort<>();
        cohorts.add(c);
        return c;
    }

    @Override
    public StepResult<T> step() {
        checkOpen();
        if (cohorts.isEmpty()) return new StepResult.Advanced<>(List.of(), 0);
        long start = System.nanoTime();
        try {
            StepResult<T> result = advance();
            decoderNanos += System.nanoTime() - start;
            return result;
        } catch (RuntimeException e) {
            List<T> evicted = evict(t -> true);
            decoderNanos += System.nanoTime() - start;
            return new StepResult.Failed<>(Mt5Generator.engineFailure(e), evicted);
        }
    }

    private StepResult<T> advance() {
        List<DecodingRow> dense = new ArrayList<>();
        List<LiveInput<T>> owners = new ArrayList<>();
        TokenSelector.Choice[] choices;
        try (NDScope ignored = new NDScope()) {
            List<CacheSegment> caches = new ArrayList<>(cohorts.size());
            for (Cohort<T> cohort : cohorts) {
                cohort.start(weights.decoder(), manager);
                int cohortStart = dense.size();
                List<Long> cohortSlots = new ArrayList<>();
                int slot = 0;
                for (LiveInput<T> input : cohort.inputs) {
                    for (int r = 0; r < input.rows.length; r++, slot++) {
                        input.denseRow[r] = -1;
                        if (input.left || input.rows[r].finished) continue;
                        input.denseRow[r] = dense.size();
                        dense.add(input.rows[r]);
                        owners.add(input);
                        cohortSlots.add((long) slot);
                    }
                }
                slotSteps += slot;
                caches.add(new CacheSegment(cohortStart, cohort.cache(), slots(cohortSlots, slot)));
            }
            List<CrossSegment> crosses = new ArrayList<>(pools.size());
            for (MemoryPool<T> pool : pools.values()) {
                List<Long> poolSlots = new ArrayList<>();
                List<Long> denseRows = new ArrayList<>();
                for (int p = 0; p < pool.inputs.size(); p++) {
                    LiveInput<T> input = pool.inputs.get(p);
                    if (input.left) continue;
                    for (int r = 0; r < pool.rowsPerInput; r++) {
                        if (input.denseRow[r] < 0) continue;
                        poolSlots.add((long) p * pool.rowsPerInput + r);
                        denseRows.add((long) input.denseRow[r]);
                    }
                }
                if (poolSlots.isEmpty()) continue;
                NDArray rows = manager.create(denseRows.stream().mapToLong(Long::longValue).toArray());
                crosses.add(CrossSegment.scattered(rows, pool.rowsPerInput, pool.memory(), slots(poolSlots, pool.slotCount())));
            }
            long[] last = new long[dense.size()];
            for (int r = 0; r < last.length; r++) last[r] = dense.get(r).lastToken();
            NDArray ids = manager.create(last, new Shape(last.length, 1));
            NDArray hidden = weights.decoder().forward(ids, caches, crosses, null);
            NDArray scores = weights.lmHead().logits(hidden.reshape(last.length, hidden.getShape().get(2)));
            LogitsProcessors.apply(scores, dense, config.eosTokenId());
            choices = selector.select(scores, dense);
        }
        peakCohorts = Math.max(peakCohorts, cohorts.size());
        steps++;
        rowSteps += dense.size();

        List<FinishedInput<T>> finished = new ArrayList<>();
        for (int r = 0; r < dense.size(); r++) {
            DecodingRow row = dense.get(r);
            TokenSelector.Choice c = choices[r];
            row.append(c.token());
            row.score += c.logProbability();
            if (c.token() == config.eosTokenId() || row.generated() >= row.config.maxNewTokens()) {
                row.finished = true;
                LiveInput<T> owner = owners.get(r);
                if (owner.finished()) finished.add(new FinishedInput<>(owner.tag, owner.output()));
            }
        }
        if (!finished.isEmpty()) {
            java.util.Set<T> done = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            for (FinishedInput<T> f : finished) done.add(f.tag());
            removeWhere(in -> done.contains(in.tag));
        }
        return new StepResult.Advanced<>(finished, dense.size());
    }

    private RowSlots slots(List<Long> live, int slotCount) {
        if (live.size() == slotCount) return RowSlots.all(slotCount);
        return RowSlots.of(manager, live.stream().mapToLong(Long::longValue).toArray(), slotCount);
    }

    @Override
    public List<T> evict(Predicate<? super T> which) {
        checkOpen();
        List<T> out = new ArrayList<>();
        for (LiveInput<T> in : removeWhere(in -> which.test(in.tag))) out.add(in.tag);
        return out;
    }

    /** Takes matching inputs out; empty cohorts and pools close, half-dead ones are compacted. */
    private List<LiveInput<T>> removeWhere(Predicate<LiveInput<T>> which) {
        List<LiveInput<T>> removed = new ArrayList<>();
        for (Cohort<T> cohort : cohorts) {
            for (LiveInput<T> in : cohort.inputs) {
                if (!in.left && which.test(in)) {
                    in.left = true;
                    removed.add(in);
                }
            }
        }
        for (Iterator<Cohort<T>> it = cohorts.iterator(); it.hasNext(); ) {
            Cohort<T> cohort = it.next();
            if (cohort.isEmpty()) {
                cohort.close();
                it.remove();
            } else if (cohort.worthCompacting()) {
                cohort.compact(manager);
                compactions++;
            }
        }
        for (Iterator<MemoryPool<T>> it = pools.values().iterator(); it.hasNext(); ) {
            MemoryPool<T> pool = it.next();
            if (pool.isEmpty()) {
                pool.close();
                it.remove();
            } else if (pool.worthCompacting()) {
                pool.compact(manager);
                compactions++;
            }
        }
        return removed;
    }

    @Override
    public int liveInputs() {
        int n = 0;
        for (Cohort<T> c : cohorts) for (LiveInput<T> in : c.inputs) if (!in.left) n++;
        return n;
    }

    @Override
    public int liveRows() {
        int n = 0;
        for (Cohort<T> c : cohorts) for (LiveInput<T> in : c.inputs) if (!in.left) n += in.unfinishedRows();
        return n;
    }

    /** Padded encoder tokens of the live inputs: what their cross-attention keys and values hold. */
    public long liveEncoderTokens() {
        long n = 0;
        for (Cohort<T> c : cohorts) for (LiveInput<T> in : c.inputs) if (!in.left) n += in.paddedLength;
        return n;
    }

    public SessionStats stats() {
        return new SessionStats(admissions, inputs, steps, rowSteps, slotSteps, compactions, peakCohorts, encoderNanos, decoderNanos);
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("the generation session is closed");
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (Cohort<T> c : cohorts) c.close();
        cohorts.clear();
        for (MemoryPool<T> p : pools.values()) p.close();
        pools.clear();
        manager.close();
    }
}
