package dev.mt5augment.models.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.mt5augment.models.config.Mt5Config;
import dev.mt5augment.models.nn.CrossSegment;
import dev.mt5augment.models.nn.Mt5Weights;
import dev.mt5augment.models.nn.RowSlots;
import dev.mt5augment.models.nn.SlotKvCache;
import dev.mt5augment.models.runtime.ModelOptions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@link GenerationSession} for mT5: iteration-level scheduling of greedy and sampled rows.
 *
 * <h2>One step</h2>
 * Every unfinished row of every live input is fed its last token, in one dense batch: the
 * projections, self-attention, feed-forward blocks and LM head run once over all of them. Dense row
 * {@code i} is slot {@code i} of one {@link SlotKvCache}, each row at its own decoder position with
 * the position bias and {@link dev.mt5augment.models.nn.KeyWindow} of that position. Inputs of one
 * padded length and row count share a {@link MemoryPool} whatever step they joined at: one
 * cross-attention product per pool, each input against its own keys, length and mask. A row that
 * finishes leaves at once: its cache slot is filled by the last live row's (one slot's history
 * copied), and its pool slot stays, dead and fed a zero query, until the pool is compacted. An input
 * whose rows have all finished is returned by that step.
 *
 * <h2>Same ids as a static batch</h2>
 * A row computes here exactly what it computes in {@link Mt5Generator#generate}: its input is encoded
 * at the same padded length with inputs of the same padded length and return count; the products
 * over rows are row-stable at any row count (see {@code dev.mt5augment.models.nn.Linear}); its
 * self-attention at position {@code p} runs over the same key window with the same bias; its
 * cross-attention product has the same shape per input; the logits processors and selectors are
 * row-wise; its random stream is seeded from (seed, return index). So ids and scores are bitwise those
 * of the static path, whatever joins or leaves around it (tested).
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
    /** Live inputs, oldest first. */
    private final List<LiveInput<T>> live = new ArrayList<>();
    /** Slot {@code i} of {@link #cache}: its row and that row's input; the live rows are slots {@code [0, size)}. */
    private final List<DecodingRow> slotRows = new ArrayList<>();
    private final List<LiveInput<T>> slotInputs = new ArrayList<>();
    private final SlotKvCache cache;
    /** By padded length and rows per input. */
    private final Map<Long, MemoryPool<T>> pools = new LinkedHashMap<>();
    private int serial;
    private boolean closed;

    private long admissions;
    private long inputs;
    private long steps;
    private long rowSteps;
    private long memorySlotSteps;
    private long compactions;
    private long slotMoves;
    private int peakPositions;
    private long encoderNanos;
    private long decoderNanos;

    ContinuousBatcher(Mt5Weights weights, ModelOptions options, NDManager parent) {
        this.weights = weights;
        this.config = weights.config();
        this.options = options;
        this.manager = parent.newSubManager();
        this.cache = weights.decoder().newSlotCache(manager);
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
        int joiningRows = 0;
        int positions = 1;
        for (int i = 0; i < batch.size(); i++) {
            GenerationConfig c = batch.get(i).config();
            ids.add(batch.get(i).inputIds());
            rowsPerInput[i] = c.numReturnSequences();
            joiningRows += rowsPerInput[i];
            positions = Math.max(positions, c.maxNewTokens());
        }
        List<InputEncoder.Group> groups;
        try {
            groups = InputEncoder.encode(weights, manager, ids, rowsPerInput, options.lengthBucket(), config.padTokenId());
        } catch (RuntimeException e) {
            throw Mt5Generator.engineFailure(e);
        }
        int liveRows = slotRows.size();
        try {
            cache.reserve(liveRows + joiningRows, positions, liveRows);
            cache.clear(liveRows, liveRows + joiningRows);
        } catch (RuntimeException e) {
            for (InputEncoder.Group g : groups) g.memory().close();
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
        for (LiveInput<T> in : admitted) {
            live.add(in);
            for (DecodingRow row : in.rows) {
                slotRows.add(row);
                slotInputs.add(in);
            }
        }
        admissions++;
        inputs += batch.size();
        encoderNanos += System.nanoTime() - start;
    }

    @Override
    public StepResult<T> step() {
        checkOpen();
        if (slotRows.isEmpty()) return new StepResult.Advanced<>(List.of(), 0);
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
        int rows = slotRows.size();
        TokenSelector.Choice[] choices;
        try (NDScope ignored = new NDScope()) {
            for (LiveInput<T> in : live) Arrays.fill(in.denseRow, -1);
            long[] last = new long[rows];
            int[] positions = new int[rows];
            Set<Integer> distinct = new HashSet<>();
            for (int i = 0; i < rows; i++) {
                DecodingRow row = slotRows.get(i);
                slotInputs.get(i).denseRow[row.slot] = i;
                last[i] = row.lastToken();
                positions[i] = row.generated();
                distinct.add(positions[i]);
            }
            peakPositions = Math.max(peakPositions, distinct.size());
            NDArray ids = manager.create(last, new Shape(rows, 1));
            NDArray hidden = weights.decoder().forward(ids, cache, positions, crossSegments());
            NDArray scores = weights.lmHead().logits(hidden.reshape(rows, hidden.getShape().get(2)));
            LogitsProcessors.apply(scores, slotRows, config.eosTokenId());
            choices = selector.select(scores, slotRows);
        }
        steps++;
        rowSteps += rows;

        List<FinishedInput<T>> finished = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            DecodingRow row = slotRows.get(i);
            TokenSelector.Choice c = choices[i];
            row.append(c.token());
            row.score += c.logProbability();
            if (c.token() == config.eosTokenId() || row.generated() >= row.config.maxNewTokens()) {
                row.finished = true;
                LiveInput<T> owner = slotInputs.get(i);
                if (owner.finished()) finished.add(new FinishedInput<>(owner.tag, owner.output()));
            }
        }
        Set<T> done = Collections.newSetFromMap(new IdentityHashMap<>());
        for (FinishedInput<T> f : finished) done.add(f.tag());
        removeWhere(in -> done.contains(in.tag));
        return new StepResult.Advanced<>(finished, rows);
    }

    /** One cross-attention segment per memory pool: its live rows' dense rows, in pool-slot order. */
    private List<CrossSegment> crossSegments() {
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
            memorySlotSteps += pool.slotCount();
            NDArray at = manager.create(denseRows.stream().mapToLong(Long::longValue).toArray());
            crosses.add(CrossSegment.scattered(at, pool.rowsPerInput, pool.memory(), slots(poolSlots, pool.slotCount())));
        }
        return crosses;
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

    /**
     * Takes matching inputs out; finished rows and the rows of inputs that left free their cache
     * slots, filled from the back; empty pools close, half-dead ones are compacted.
     */
    private List<LiveInput<T>> removeWhere(Predicate<LiveInput<T>> which) {
        List<LiveInput<T>> removed = new ArrayList<>();
        for (Iterator<LiveInput<T>> it = live.iterator(); it.hasNext(); ) {
            LiveInput<T> in = it.next();
            if (!in.left && which.test(in)) {
                in.left = true;
                removed.add(in);
                it.remove();
            }
        }
        releaseSlots();
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

    /**
     * Keeps the live rows at the front of the cache: each freed slot below the live count takes the
     * history of a live row from behind it. Only the moved rows' histories are copied. A session left
     * without rows frees the cache.
     */
    private void releaseSlots() {
        int rows = slotRows.size();
        int kept = 0;
        for (int i = 0; i < rows; i++) if (isLive(i)) kept++;
        if (kept == rows) return;
        List<Long> holes = new ArrayList<>();
        List<Long> movers = new ArrayList<>();
        for (int i = 0; i < kept; i++) if (!isLive(i)) holes.add((long) i);
        for (int i = kept; i < rows; i++) if (isLive(i)) movers.add((long) i);
        for (int j = 0; j < holes.size(); j++) {
            int to = Math.toIntExact(holes.get(j));
            int from = Math.toIntExact(movers.get(j));
            slotRows.set(to, slotRows.get(from));
            slotInputs.set(to, slotInputs.get(from));
        }
        slotRows.subList(kept, rows).clear();
        slotInputs.subList(kept, rows).clear();
        if (kept > 0) {
            cache.move(movers.stream().mapToLong(Long::longValue).toArray(), holes.stream().mapToLong(Long::longValue).toArray());
            slotMoves += movers.size();
        } else {
            cache.close(); // empty: its memory goes back, as a finished static batch's does
        }
    }

    private boolean isLive(int slot) {
        return !slotRows.get(slot).finished && !slotInputs.get(slot).left;
    }

    @Override
    public int liveInputs() {
        return live.size();
    }

    @Override
    public int liveRows() {
        return slotRows.size();
    }

    /** Padded encoder tokens of the live inputs: what their cross-attention keys and values hold. */
    public long liveEncoderTokens() {
        long n = 0;
        for (LiveInput<T> in : live) n += in.paddedLength;
        return n;
    }

    public SessionStats stats() {
        return new SessionStats(admissions, inputs, steps, rowSteps, memorySlotSteps, compactions, slotMoves, peakPositions,
                encoderNanos, decoderNanos);
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException("the generation session is closed");
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        live.clear();
        slotRows.clear();
        slotInputs.clear();
        cache.close();
        for (MemoryPool<T> p : pools.values()) p.close();
        pools.clear();
        manager.close();
    }
}
