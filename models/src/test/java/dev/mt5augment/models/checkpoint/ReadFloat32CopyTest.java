package dev.mt5augment.models.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Checkpoint#readFloat32}: the same floats as {@link Checkpoint#loadFloat32}, as a private copy. */
class ReadFloat32CopyTest {

    @Test
    void copiesEqualTheMappedTensorsBitForBitAndOutliveTheCheckpoint() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray copy;
            float[] mapped;
            try (MappedCheckpoint c = SafetensorsCheckpoint.open(TinyFixture.dir().resolve("model.safetensors"))) {
                mapped = c.loadFloat32("lm_head.weight", m).toFloatArray();
                copy = c.readFloat32("lm_head.weight", m);
                assertEquals(c.info("lm_head.weight").elementCount(), copy.size());
            }
            assertArrayEquals(mapped, copy.toFloatArray(), "the copy is readable after close and equal");
            try (MappedCheckpoint half = SafetensorsCheckpoint.open(TinyFixture.dir().resolve("model.fp16.safetensors"));
                 MappedCheckpoint bin = PytorchCheckpoint.open(TinyFixture.dir().resolve("pytorch_model.bin"))) {
                assertArrayEquals(half.loadFloat32("shared.weight", m).toFloatArray(), half.readFloat32("shared.weight", m).toFloatArray());
                assertArrayEquals(mapped, bin.readFloat32("lm_head.weight", m).toFloatArray());
                CheckpointException e = assertThrows(CheckpointException.class, () -> bin.readFloat32("no.such.tensor", m));
                assertTrue(e.getMessage().contains("no.such.tensor"), e.getMessage());
            }
        }
    }
}
