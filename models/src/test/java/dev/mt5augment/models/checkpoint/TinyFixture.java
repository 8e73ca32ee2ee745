package dev.mt5augment.models.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** The shared tiny-mt5 fixture, and an independent plain reading of its safetensors files to compare against. */
final class TinyFixture {

    private TinyFixture() {
    }

    static Path dir() {
        String root = System.getProperty("mt5.fixtures");
        if (root == null) throw new IllegalStateException("system property mt5.fixtures is not set (run through Maven)");
        return Path.of(root, "tiny-mt5");
    }

    /** A tensor read the simple way: whole file on the heap, raw little-endian bytes. */
    record Raw(String dtype, long[] shape, byte[] bytes) {
        float[] floats() {
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            return switch (dtype) {
                case "F32" -> {
                    float[] f = new float[bytes.length / 4];
                    b.asFloatBuffer().get(f);
                    yield f;
                }
                case "F16" -> {
                    float[] f = new float[bytes.length / 2];
                    for (int i = 0; i < f.length; i++) f[i] = Float16.toFloat(b.getShort());
                    yield f;
                }
                default -> throw new IllegalArgumentException(dtype);
            };
        }
    }

    /** Every tensor of a (small, well-formed) safetensors file, in header order. */
    static Map<String, Raw> readSafetensors(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int n = (int) b.getLong();
        JsonNode header = new ObjectMapper().readTree(new String(all, 8, n, java.nio.charset.StandardCharsets.UTF_8));
        Map<String, Raw> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) continue;
            JsonNode t = e.getValue();
            long[] shape = new long[t.get("shape").size()];
            for (int i = 0; i < shape.length; i++) shape[i] = t.get("shape").get(i).asLong();
            int begin = t.get("data_offsets").get(0).asInt();
            int end = t.get("data_offsets").get(1).asInt();
            byte[] bytes = java.util.Arrays.copyOfRange(all, 8 + n + begin, 8 + n + end);
            out.put(e.getKey(), new Raw(t.get("dtype").asText(), shape, bytes));
        }
        return out;
    }
}
