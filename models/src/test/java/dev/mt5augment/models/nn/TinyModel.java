package dev.mt5augment.models.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mt5augment.models.checkpoint.Checkpoint;
import dev.mt5augment.models.fixtures.TinyMt5;
import dev.mt5augment.models.runtime.Precision;
import dev.mt5augment.models.runtime.TorchRuntime;
import dev.mt5augment.models.runtime.WeightStorage;

import java.util.List;

/** The tiny fixture model loaded for nn tests, with helpers to run its stacks on golden inputs. */
final class TinyModel implements AutoCloseable {

    final Checkpoint checkpoint;
    final Mt5Weights weights;
    final NDManager manager;

    TinyModel(String file, Precision precision) {
        this(file, precision, WeightStorage.COPY);
    }

    TinyModel(String file, Precision precision, WeightStorage storage) {
        TorchRuntime.start(1);
        checkpoint = TinyMt5.checkpoint(file);
        weights = Mt5Weights.load(checkpoint, TinyMt5.config(), precision, Device.cpu(), storage);
        manager = NDManager.newBaseManager(Device.cpu());
    }

    NDArray ids(int[][] rows) {
        int cols = rows[0].length;
        long[] flat = new long[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < cols; j++) flat[i * cols + j] = rows[i][j];
        }
        return manager.create(flat, new Shape(rows.length, cols));
    }

    /** Encoder over a padded batch; lengths from the mask. */
    NDArray encode(int[][] ids, int[][] mask, List<NDArray> hidden) {
        return weights.encoder().forward(ids(ids), lengths(mask), hidden);
    }

    /** Teacher-forced decoder pass of {@code decoderIds} (one segment, one row per input). */
    NDArray decode(NDArray encoderOutput, int[] lengths, int[][] decoderIds, List<NDArray> hidden) {
        EncoderMemory memory = weights.decoder().memory(encoderOutput, lengths);
        try (KvCache cache = weights.decoder().newCache(manager, decoderIds.length, decoderIds[0].length)) {
            return weights.decoder().forward(ids(decoderIds), cache,
                    List.of(new CrossSegment(0, 1, memory)), hidden);
        } finally {
            memory.close();
        }
    }

    static int[] lengths(int[][] mask) {
        int[] out = new int[mask.length];
        for (int i = 0; i < mask.length; i++) {
            for (int m : mask[i]) out[i] += m;
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
        weights.close();
        checkpoint.close();
    }
}
