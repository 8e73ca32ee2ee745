package dev.mt5augment.models.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading real safetensors files (the fixture, and BF16 / sharded files derived from it) with the real engine. */
class SafetensorsCheckpointTest {

    private static NDManager manager;
    private static Map<String, TinyFixture.Raw> fp32;

    @BeforeAll
    static void setUp() throws Exception {
        manager = NDManager.newBaseManager();
        fp32 = TinyFixture.readSafetensors(TinyFixture.dir().resolve("model.safetensors"));
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    @Test
    void opensTheFixtureWithEveryTensorInDataOrder() {
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(TinyFixture.dir().resolve("model.safetensors"))) {
            assertEquals(52, c.tensorNames().size());
            assertEquals(List.copyOf(fp32.keySet()), List.copyOf(c.tensorNames()));
            TensorInfo shared = c.info("shared.weight");
            assertEquals(TensorDType.F32, shared.dtype());
            assertArrayEquals(new long[] {1408, 64}, shared.shape());
            assertEquals(Map.of("format", "pt"), c.metadata());
            CheckpointException missing = assertThrows(CheckpointException.class, () -> c.info("nope.weight"));
            assertTrue(missing.getMessage().contains("nope.weight"), missing.getMessage());
        }
    }

    @Test
    void float32TensorsEqualTheFileBitForBit() {
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(TinyFixture.dir().resolve("model.safetensors"));
             NDManager m = manager.newSubManager()) {
            for (Map.Entry<String, TinyFixture.Raw> e : fp32.entrySet()) {
                NDArray a = c.loadFloat32(e.getKey(), m);
                assertEquals(DataType.FLOAT32, a.getDataType());
                assertArrayEquals(e.getValue().shape(), a.getShape().getShape(), e.getKey());
                assertBitsEqual(e.getValue().floats(), a.toFloatArray(), e.getKey());
            }
        }
    }

    @Test
    void float16TensorsAreWidenedExactly() throws Exception {
        Map<String, TinyFixture.Raw> fp16 = TinyFixture.readSafetensors(TinyFixture.dir().resolve("model.fp16.safetensors"));
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(TinyFixture.dir().resolve("model.fp16.safetensors"));
             NDManager m = manager.newSubManager()) {
            assertEquals(fp32.keySet(), c.tensorNames());
            for (String name : c.tensorNames()) {
                assertEquals(TensorDType.F16, c.info(name).dtype());
                float[] widened = fp16.get(name).floats();
                assertBitsEqual(widened, c.loadFloat32(name, m).toFloatArray(), name);
                // The fp16 file is the fp32 weights rounded to nearest even: the same rounding our writer uses.
                float[] source = fp32.get(name).floats();
                for (int i = 0; i < source.length; i++) {
                    assertEquals(Float16.toFloat(Float16.fromFloat(source[i])), widened[i], name + "[" + i + "]");
                }
            }
        }
    }

    @Test
    void bfloat16IsWidenedInJavaNeverByTheEngine(@TempDir Path tmp) throws Exception {
        Path file = writeBf16Copy(tmp.resolve("model.bf16.safetensors"));
        for (Float32Loader loader : List.of(new Float32Loader(), new Float32Loader(1000, 1500, 1 << 30))) {
            try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(file, loader); NDManager m = manager.newSubManager()) {
                assertEquals(52, c.tensorNames().size());
                for (String name : c.tensorNames()) {
                    assertEquals(TensorDType.BF16, c.info(name).dtype());
                    float[] source = fp32.get(name).floats();
                    float[] expected = new float[source.length];
                    for (int i = 0; i < source.length; i++) {
                        expected[i] = Float.intBitsToFloat(Float.floatToRawIntBits(source[i]) & 0xFFFF0000);
                    }
                    NDArray a = c.loadFloat32(name, m);
                    assertEquals(DataType.FLOAT32, a.getDataType());
                    assertArrayEquals(fp32.get(name).shape(), a.getShape().getShape());
                    assertBitsEqual(expected, a.toFloatArray(), name);
                }
            }
        }
    }

    @Test
    void chunkedLoadingEqualsMappedLoading() {
        Path file = TinyFixture.dir().resolve("model.safetensors");
        // 1000-element reads, 3000-element views and a 1 KiB zero-copy limit: every large tensor is copied in pieces.
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(file, new Float32Loader(1000, 3000, 1024));
             NDManager m = manager.newSubManager()) {
            for (String name : c.tensorNames()) {
                NDArray a = c.loadFloat32(name, m);
                assertArrayEquals(fp32.get(name).shape(), a.getShape().getShape());
                assertBitsEqual(fp32.get(name).floats(), a.toFloatArray(), name);
            }
        }
        Path half = TinyFixture.dir().resolve("model.fp16.safetensors");
        try (SafetensorsCheckpoint plain = SafetensorsCheckpoint.open(half);
             SafetensorsCheckpoint chunked = SafetensorsCheckpoint.open(half, new Float32Loader(777, 2000, 1024));
             NDManager m = manager.newSubManager()) {
            for (String name : plain.tensorNames()) {
                assertBitsEqual(plain.loadFloat32(name, m).toFloatArray(), chunked.loadFloat32(name, m).toFloatArray(), name);
            }
        }
    }

    @Test
    void concurrentLoadsAgreeAndAClosedCheckpointRefusesLoads() throws Exception {
        SafetensorsCheckpoint c = SafetensorsCheckpoint.open(TinyFixture.dir().resolve("model.safetensors"));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try (NDManager m = manager.newSubManager()) {
            List<java.util.concurrent.Future<float[]>> loads = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                loads.add(pool.submit(() -> c.loadFloat32("lm_head.weight", m).toFloatArray()));
            }
            for (java.util.concurrent.Future<float[]> f : loads) {
                assertBitsEqual(fp32.get("lm_head.weight").floats(), f.get(), "lm_head.weight");
            }
        } finally {
            pool.shutdown();
            c.close();
        }
        try (NDManager m = manager.newSubManager()) {
            assertMessage(() -> c.loadFloat32("shared.weight", m), "tensor 'shared.weight'", "closed");
        }
    }

    @Test
    void float64IsNarrowedAndIntegersAreRefused(@TempDir Path tmp) throws Exception {
        ByteBuffer d = ByteBuffer.allocate(3 * 8 + 2 * 8).order(ByteOrder.LITTLE_ENDIAN);
        d.putDouble(1.5).putDouble(-0.1).putDouble(1e300).putLong(7).putLong(-7);
        Path file = SafetensorsFiles.write(tmp.resolve("m.safetensors"),
                "{\"a\":{\"dtype\":\"F64\",\"shape\":[3],\"data_offsets\":[0,24]},"
                        + "\"ids\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[24,40]}}", d.array());
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.open(file); NDManager m = manager.newSubManager()) {
            assertArrayEquals(new float[] {1.5f, (float) -0.1, Float.POSITIVE_INFINITY}, c.loadFloat32("a", m).toFloatArray());
            CheckpointException e = assertThrows(CheckpointException.class, () -> c.loadFloat32("ids", m));
            assertTrue(e.getMessage().contains("'ids'") && e.getMessage().contains("I64"), e.getMessage());
        }
    }

    @Test
    void shardedCheckpointReadsEveryTensorFromItsShard(@TempDir Path tmp) throws Exception {
        Path index = writeShards(tmp);
        try (SafetensorsCheckpoint c = SafetensorsCheckpoint.openSharded(index); NDManager m = manager.newSubManager()) {
            assertEquals(fp32.keySet(), c.tensorNames());
            assertEquals(2, c.files().size());
            assertEquals("1517208", c.metadata().get("total_size"));
            for (String name : c.tensorNames()) {
                assertBitsEqual(fp32.get(name).floats(), c.loadFloat32(name, m).toFloatArray(), name);
            }
        }
        try (MappedCheckpoint c = Checkpoints.open(tmp)) {
            assertEquals(52, c.tensorNames().size());
        }
    }

    @Test
    void shardedIndexErrorsNameTheShardAndTensor(@TempDir Path tmp) throws Exception {
        Path index = writeShards(tmp);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(index.toFile());
        ObjectNode map = (ObjectNode) root.get("weight_map");

        map.put("lm_head.weight", "model-00003-of-00002.safetensors");
        json.writeValue(index.toFile(), root);
        assertMessage(() -> SafetensorsCheckpoint.openSharded(index), "model-00003-of-00002.safetensors", "lm_head.weight");

        map.put("lm_head.weight", "model-00001-of-00002.safetensors"); // it is in shard 2
        json.writeValue(index.toFile(), root);
        assertMessage(() -> SafetensorsCheckpoint.openSharded(index), "lm_head.weight", "model-00001-of-00002.safetensors");

        map.put("lm_head.weight", "../../etc/passwd");
        json.writeValue(index.toFile(), root);
        assertMessage(() -> SafetensorsCheckpoint.openSharded(index), "lm_head.weight", "not a plain file name");

        map.put("lm_head.weight", "model-00002-of-00002.safetensors");
        map.put("extra.weight", "model-00001-of-00002.safetensors");
        json.writeValue(index.toFile(), root);
        assertMessage(() -> SafetensorsCheckpoint.openSharded(index), "extra.weight", "no such tensor");

        Files.writeString(index, "{\"weight_map\": {\"a\": \"x\", \"a\": \"y\"}}");
        assertMessage(() -> SafetensorsCheckpoint.openSharded(index), "a", "Duplicate");
    }

    /** Splits the fixture into two shards at a name boundary and writes the index. */
    private static Path writeShards(Path dir) throws Exception {
        List<String> names = new ArrayList<>(fp32.keySet());
        ObjectNode weightMap = new ObjectMapper().createObjectNode();
        int split = names.size() / 2;
        for (int s = 0; s < 2; s++) {
            List<String> part = s == 0 ? names.subList(0, split) : names.subList(split, names.size());
            String shard = "model-0000" + (s + 1) + "-of-00002.safetensors";
            writeFloatFile(dir.resolve(shard), part, "F32", name -> fp32.get(name).bytes());
            for (String n : part) weightMap.put(n, shard);
        }
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.putObject("metadata").put("total_size", 1517208);
        root.set("weight_map", weightMap);
        Path index = dir.resolve("model.safetensors.index.json");
        new ObjectMapper().writeValue(index.toFile(), root);
        return index;
    }

    private static Path writeBf16Copy(Path file) throws Exception {
        return writeFloatFile(file, new ArrayList<>(fp32.keySet()), "BF16", name -> {
            float[] f = fp32.get(name).floats();
            ByteBuffer b = ByteBuffer.allocate(f.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : f) b.putShort((short) (Float.floatToRawIntBits(v) >>> 16)); // truncation
            return b.array();
        });
    }

    /** The header is not padded, so the data area is unaligned: this also exercises the Java-decoding path. */
    private static Path writeFloatFile(Path file, List<String> names, String dtype,
                                       java.util.function.Function<String, byte[]> bytes) throws Exception {
        ObjectNode header = new ObjectMapper().createObjectNode();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (String name : names) {
            byte[] b = bytes.apply(name);
            ObjectNode t = header.putObject(name);
            t.put("dtype", dtype);
            for (long d : fp32.get(name).shape()) t.withArray("shape").add(d);
            t.withArray("data_offsets").add(data.size()).add(data.size() + b.length);
            data.write(b);
        }
        return SafetensorsFiles.write(file, header.toString(), data.toByteArray());
    }

    static void assertBitsEqual(float[] expected, float[] actual, String name) {
        assertEquals(expected.length, actual.length, name);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError(name + "[" + i + "]: expected " + expected[i] + " got " + actual[i]);
            }
        }
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable action, String... parts) {
        CheckpointException e = assertThrows(CheckpointException.class, action);
        for (String p : parts) assertTrue(e.getMessage().contains(p), "'" + p + "' not in: " + e.getMessage());
    }
}
