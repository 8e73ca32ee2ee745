package dev.mt5augment.models.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.mt5augment.models.checkpoint.Checkpoint;
import dev.mt5augment.models.checkpoint.CheckpointException;
import dev.mt5augment.models.checkpoint.Mt5WeightLayout;
import dev.mt5augment.models.checkpoint.TensorInfo;

import java.nio.file.Path;
import java.util.Set;

/**
 * Bench only: a checkpoint whose LM head row of {@code </s>} is multiplied by a factor, as the tiny
 * fixture's {@code eos_row_scale} does. A random-weight model almost never ends a sequence; with the
 * row scaled, {@code </s>} wins at some steps and not others, so outputs stop at natural, mixed
 * lengths, which is what continuous batching is for. Every scheduler of a run sees the same model.
 */
final class EosScaledCheckpoint implements Checkpoint {

    private final Checkpoint inner;
    private final int eosId;
    private final float scale;

    EosScaledCheckpoint(Checkpoint inner, int eosId, float scale) {
        if (!inner.tensorNames().contains(Mt5WeightLayout.LM_HEAD)) {
            throw new CheckpointException(inner.source() + " has no untied " + Mt5WeightLayout.LM_HEAD + " to scale the </s> row of");
        }
        this.inner = inner;
        this.eosId = eosId;
        this.scale = scale;
    }

    @Override
    public Path source() {
        return inner.source();
    }

    @Override
    public Set<String> tensorNames() {
        return inner.tensorNames();
    }

    @Override
    public TensorInfo info(String name) {
        return inner.info(name);
    }

    @Override
    public NDArray loadFloat32(String name, NDManager manager) {
        NDArray a = inner.loadFloat32(name, manager);
        if (!name.equals(Mt5WeightLayout.LM_HEAD)) return a;
        NDArray copy = a.duplicate(); // the loaded array may alias a read-only mapping
        a.close();
        return scaled(copy);
    }

    @Override
    public NDArray readFloat32(String name, NDManager manager) {
        NDArray a = inner.readFloat32(name, manager);
        return name.equals(Mt5WeightLayout.LM_HEAD) ? scaled(a) : a;
    }

    private NDArray scaled(NDArray head) {
        NDIndex row = new NDIndex(eosId);
        try (NDArray eos = head.get(row); NDArray bigger = eos.mul(scale)) {
            head.set(row, bigger);
        }
        return head;
    }

    @Override
    public void close() {
        inner.close();
    }
}
