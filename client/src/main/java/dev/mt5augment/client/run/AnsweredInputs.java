package dev.mt5augment.client.run;

import java.util.Arrays;

/**
 * The inputs an existing output already answers, read from its {@code input_key}s when a run
 * resumes. Kept as two sorted primitive arrays (position, hash): 12 bytes per answered text, so a
 * million answered lines cost 12 MB, and lookups are binary searches.
 *
 * <p>Fill with {@link #add}, then {@link #seal()}; not thread-safe.
 */
final class AnsweredInputs {

    /** What the output says about an input. */
    enum Verdict {
        /** Not answered yet: send it. */
        NEW,
        /** Answered, with the same text: skip it. */
        ANSWERED,
        /** Answered, but the text at that line differs: the input changed under the output. */
        CHANGED
    }

    private long[] positions = new long[64];
    private int[] hashes = new int[64];
    private int size;
    private boolean sealed;

    static AnsweredInputs none() {
        AnsweredInputs a = new AnsweredInputs();
        a.seal();
        return a;
    }

    void add(InputKey key) {
        if (sealed) throw new IllegalStateException("sealed");
        // Rows of one text are adjacent: keep one entry per text.
        if (size > 0 && positions[size - 1] == key.position() && hashes[size - 1] == key.hash()) return;
        if (size == positions.length) {
            positions = Arrays.copyOf(positions, size * 2);
            hashes = Arrays.copyOf(hashes, size * 2);
        }
        positions[size] = key.position();
        hashes[size] = key.hash();
        size++;
    }

    /** Sorts by position (the rows of a resumed run come after the first run's, so order is not given). */
    void seal() {
        if (sealed) return;
        sealed = true;
        if (isSorted()) return;
        long[] p = new long[size];
        int[] h = new int[size];
        mergeSort(0, size, p, h);
    }

    int size() {
        return size;
    }

    Verdict check(InputKey key) {
        int lo = 0;
        int hi = size - 1;
        long target = key.position();
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long v = positions[mid];
            if (v < target) lo = mid + 1;
            else if (v > target) hi = mid - 1;
            else return hashes[mid] == key.hash() ? Verdict.ANSWERED : Verdict.CHANGED;
        }
        return Verdict.NEW;
    }

    private boolean isSorted() {
        for (int i = 1; i < size; i++) if (positions[i - 1] > positions[i]) return false;
        return true;
    }

    /** Stable merge sort of the parallel arrays on [from, to), with scratch arrays. */
    private void mergeSort(int from, int to, long[] sp, int[] sh) {
        if (to - from < 2) return;
        int mid = (from + to) >>> 1;
        mergeSort(from, mid, sp, sh);
        mergeSort(mid, to, sp, sh);
        if (positions[mid - 1] <= positions[mid]) return;
        System.arraycopy(positions, from, sp, from, to - from);
        System.arraycopy(hashes, from, sh, from, to - from);
        int i = from;
        int j = mid;
        for (int k = from; k < to; k++) {
            if (j >= to || (i < mid && sp[i] <= sp[j])) {
                positions[k] = sp[i];
                hashes[k] = sh[i++];
            } else {
                positions[k] = sp[j];
                hashes[k] = sh[j++];
            }
        }
    }
}
