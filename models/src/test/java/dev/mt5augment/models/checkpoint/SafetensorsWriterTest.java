package dev.mt5augment.models.checkpoint;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.mt5augment.models.checkpoint.SafetensorsCheckpointTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SafetensorsWriterTest {

    @Test
    void writesSortedAlignedTensorsInPieces(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("model.safetensors");
        List<SafetensorsWriter.Entry> entries = List.of(
                new SafetensorsWriter.Entry("z", TensorDType.F32, new long[] {3}),
                new SafetensorsWriter.Entry("empty", TensorDType.F32, new long[] {0, 4}),
                new SafetensorsWriter.Entry("a", TensorDType.F16, new long[] {2}));
        try (SafetensorsWriter w = SafetensorsWriter.create(file, entries, Map.of("format", "pt"))) {
            assertEquals(List.of("a", "empty", "z"), w.order().stream().map(SafetensorsWriter.Entry::name).toList());
            assertEquals("a", w.currentTensor().name());
            w.write(le(4).putShort(Float16.fromFloat(1.5f)).putShort(Float16.fromFloat(-2f)).flip());
            assertEquals("z", w.currentTensor().name(), "the empty tensor needs no bytes");
            w.write(le(8).putFloat(1f).putFloat(2f).flip());
            w.write(le(4).putFloat(3f).flip());
            assertNull(w.currentTensor());
        }
        assertEquals(0, (Files.size(file) - 4 - 12) % 8, "data starts 8-aligned");
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(file); NDManager m = NDManager.newBaseManager()) {
            assertEquals(List.of("a", "empty", "z"), List.copyOf(c.tensorNames()));
            assertArrayEquals(new float[] {1.5f, -2f}, c.loadFloat32("a", m).toFloatArray());
            assertArrayEquals(new float[] {1f, 2f, 3f}, c.loadFloat32("z", m).toFloatArray());
            assertEquals(Map.of("format", "pt"), c.metadata());
        }
    }

    @Test
    void anIncompleteFileIsDiscarded(@TempDir Path tmp) {
        Path file = tmp.resolve("model.safetensors");
        SafetensorsWriter w = SafetensorsWriter.create(file,
                List.of(new SafetensorsWriter.Entry("w", TensorDType.F32, new long[] {2})), Map.of());
        assertThrows(IllegalStateException.class, () -> w.write(le(12).putFloat(1).putFloat(2).putFloat(3).flip()));
        w.write(le(4).putFloat(1).flip());
        assertMessage(w::close, "tensor 'w'", "not fully written");
        assertFalse(Files.exists(file));
        assertFalse(Files.exists(tmp.resolve("model.safetensors.partial")));
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.create(file, List.of(
                new SafetensorsWriter.Entry("w", TensorDType.F32, new long[] {1}),
                new SafetensorsWriter.Entry("w", TensorDType.F32, new long[] {1})), Map.of()));
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }
}
