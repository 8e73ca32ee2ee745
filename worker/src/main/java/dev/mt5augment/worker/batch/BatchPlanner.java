package dev.mt5augment.worker.batch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Groups waiting encoder rows into batches of similar input length, so that little of each batch
 * is padding.
 *
 * <p>A batch runs when the oldest waiting row has lingered {@link BatchLimits#linger()}, when the
 * waiting rows could fill a batch, or when the caller flushes. It is built around the oldest row
 * (no row starves): starting from it in length order, the planner adds whichever neighbour, shorter
 * or longer, is closest in length, while the batch stays within {@link BatchLimits#maxRows()}
 * decoder rows and {@link BatchLimits#maxTokens()} padded tokens. A row too big for any batch
 * runs alone. Rows with different generation settings share batches; the generator groups them
 * as its engine needs.
 *
 * <p>Threading: not thread-safe; owned by the inference thread.
 */
public final class BatchPlanner<R extends BatchableRow> {
    private static final Comparator<BatchableRow> BY_LENGTH = Comparator.comparingInt(BatchableRow::inputTokens);

    private final BatchLimits limits;
    /** Waiting rows in arrival order; the head is the oldest. */
    private final List<R> arrivals = new ArrayList<>();
    private int waitingDecoderRows;
    private long waitingTokens;

    public BatchPlanner(BatchLimits limits) {
        this.limits = limits;
    }

    public void add(R row) {
        arrivals.add(row);
        waitingDecoderRows += row.decoderRows();
        waitingTokens += row.inputTokens();
    }

    public int waitingRows() {
        return arrivals.size();
    }

    public int waitingDecoderRows() {
        return waitingDecoderRows;
    }

    public boolean isEmpty() {
        return arrivals.isEmpty();
    }

    /** Removes waiting rows (a revoked partition's, a failed request's); returns them. */
    public List<R> removeIf(Predicate<? super R> condition) {
        List<R> removed = new ArrayList<>();
        arrivals.removeIf(r -> {
            if (!condition.test(r)) return false;
            removed.add(r);
            waitingDecoderRows -= r.decoderRows();
            waitingTokens -= r.inputTokens();
            return true;
        });
        return removed;
    }

    /** Nanoseconds until the oldest row's linger ends (0 when a batch is due; -1 when nothing waits). */
    public long nanosUntilDue(long nowNanos) {
        if (arrivals.isEmpty()) return -1;
        if (canFillBatch()) return 0;
        long due = arrivals.get(0).readyAtNanos() + limits.linger().toNanos();
        return Math.max(0, due - nowNanos);
    }

    /**
     * The next batch, if one is due.
     *
     * @param flush run what waits now, without lingering (shutdown, draining)
     */
    public Optional<PlannedBatch<R>> next(long nowNanos, boolean flush) {
        if (arrivals.isEmpty()) return Optional.empty();
        if (!flush && nanosUntilDue(nowNanos) > 0) return Optional.empty();
        PlannedBatch<R> batch = compose();
        removeChosen(batch.rows());
        return Optional.of(batch);
    }

    private boolean canFillBatch() {
        return waitingDecoderRows >= limits.maxRows() || waitingTokens >= limits.maxTokens();
    }

    private PlannedBatch<R> compose() {
        R seed = arrivals.get(0);
        List<R> sorted = new ArrayList<>(arrivals);
        sorted.sort(BY_LENGTH); // stable: equal lengths keep arrival order
        int at = indexOfIdentity(sorted, seed);

        List<R> chosen = new ArrayList<>();
        chosen.add(seed);
        int rows = seed.decoderRows();
        int longest = seed.inputTokens();
        int shortest = seed.inputTokens();
        int real = seed.inputTokens();
        int lo = at - 1;
        int hi = at + 1;
        boolean loOpen = lo >= 0;
        boolean hiOpen = hi < sorted.size();
        while (loOpen || hiOpen) {
            boolean takeLow;
            if (loOpen && hiOpen) {
                // the neighbour that widens the length spread the least
                int growLow = longest - Math.min(shortest, sorted.get(lo).inputTokens());
                int growHigh = Math.max(longest, sorted.get(hi).inputTokens()) - shortest;
                takeLow = growLow <= growHigh;
            } else {
                takeLow = loOpen;
            }
            R candidate = sorted.get(takeLow ? lo : hi);
            int newRows = rows + candidate.decoderRows();
            int newLongest = Math.max(longest, candidate.inputTokens());
            long newPadded = (long) (chosen.size() + 1) * newLongest;
            if (newRows <= limits.maxRows() && newPadded <= limits.maxTokens()) {
                chosen.add(candidate);
                rows = newRows;
                longest = newLongest;
                shortest = Math.min(shortest, candidate.inputTokens());
                real += candidate.inputTokens();
                if (takeLow) loOpen = --lo >= 0;
                else hiOpen = ++hi < sorted.size();
            } else if (takeLow) {
                loOpen = false;
            } else {
                hiOpen = false;
            }
        }
        chosen.sort(BY_LENGTH);
        return new PlannedBatch<>(chosen, rows, longest, real);
    }

    private void removeChosen(List<R> chosen) {
        java.util.Set<R> set = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        set.addAll(chosen);
        removeIf(set::contains);
    }

    private static <T> int indexOfIdentity(List<T> list, T item) {
        for (int i = 0; i < list.size(); i++) if (list.get(i) == item) return i;
        throw new IllegalStateException("row not found");
    }
}
