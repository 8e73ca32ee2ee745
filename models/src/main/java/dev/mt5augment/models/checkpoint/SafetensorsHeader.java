package dev.mt5augment.models.checkpoint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The validated header of one safetensors file: an 8-byte little-endian length, that many bytes of
 * UTF-8 JSON ({@code name → {dtype, shape, data_offsets}} plus an optional string map
 * {@code __metadata__}), then the data area the offsets index.
 *
 * <p>Validation follows the format's own rules, so a file that passes cannot make a reader touch a
 * byte outside its tensor: header length within the file and under {@link #MAX_HEADER_BYTES}; strict
 * JSON with no duplicate names; known dtypes; {@code shape × dtype size == end − begin}; offsets inside
 * the data area; and tensors tiling the data area with no overlap and no hole.
 *
 * @param metadata   {@code __metadata__}, empty when absent
 * @param dataStart  absolute file offset of the data area
 * @param tensors    every tensor, in data order, offsets absolute
 */
record SafetensorsHeader(Map<String, String> metadata, long dataStart, List<StoredTensor> tensors) {

    /** The reference implementation's cap; a larger "header" is corruption or an attack. */
    static final long MAX_HEADER_BYTES = 100L << 20;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static SafetensorsHeader read(TensorFile file) {
        String where = file.path().toString();
        long size = file.size();
        if (size < 8) throw new CheckpointException(where + ": " + size + " bytes is too short for a safetensors file");
        long headerLength = file.read(0, 8, "header length").getLong();
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES) {
            throw new CheckpointException(where + ": header length " + Long.toUnsignedString(headerLength)
                    + " is not in [2, " + MAX_HEADER_BYTES + "]: not a safetensors file, or corrupt");
        }
        if (headerLength > size - 8) {
            throw new CheckpointException(where + ": header length " + headerLength + " exceeds the file ("
                    + size + " bytes): truncated or corrupt");
        }
        String text = utf8(file.read(8, (int) headerLength, "header"), where);
        if (!text.startsWith("{")) throw new CheckpointException(where + ": header does not start with '{'");
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CheckpointException(where + ": header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) throw new CheckpointException(where + ": header is not a JSON object");

        long dataStart = 8 + headerLength;
        long dataSize = size - dataStart;
        Map<String, String> metadata = Map.of();
        List<Entry> entries = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals("__metadata__")) {
                metadata = metadata(field.getValue(), where);
            } else {
                entries.add(entry(field.getKey(), field.getValue(), dataSize, where));
            }
        }
        checkTiling(entries, dataSize, where);

        List<StoredTensor> tensors = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            tensors.add(new StoredTensor(new TensorInfo(e.name, e.dtype, e.shape, file.path()), file, dataStart + e.begin));
        }
        return new SafetensorsHeader(metadata, dataStart, List.copyOf(tensors));
    }

    private record Entry(String name, TensorDType dtype, long[] shape, long begin, long end) {
    }

    private static Entry entry(String name, JsonNode node, long dataSize, String where) {
        String what = where + ": tensor '" + name + "'";
        if (name.isEmpty()) throw new CheckpointException(where + ": a tensor has an empty name");
        if (!node.isObject()) throw new CheckpointException(what + ": expected an object with dtype, shape, data_offsets");
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) throw new CheckpointException(what + ": dtype missing or not a string");
        Optional<TensorDType> dtype = TensorDType.fromSafetensorsName(dtypeNode.asText());
        if (dtype.isEmpty()) throw new CheckpointException(what + ": unknown dtype '" + dtypeNode.asText() + "'");

        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) throw new CheckpointException(what + ": shape missing or not an array");
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = nonNegativeLong(shapeNode.get(i), what + ": shape[" + i + "]");
        }

        JsonNode offsets = node.get("data_offsets");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2) {
            throw new CheckpointException(what + ": data_offsets must be an array [begin, end]");
        }
        long begin = nonNegativeLong(offsets.get(0), what + ": data_offsets[0]");
        long end = nonNegativeLong(offsets.get(1), what + ": data_offsets[1]");
        if (end < begin) throw new CheckpointException(what + ": data_offsets [" + begin + ", " + end + "] end before begin");
        if (end > dataSize) {
            throw new CheckpointException(what + ": data_offsets [" + begin + ", " + end + "] go past the data area ("
                    + dataSize + " bytes after the header): truncated or corrupt");
        }
        long expected;
        try {
            long elements = 1;
            for (long d : shape) elements = Math.multiplyExact(elements, d);
            expected = Math.multiplyExact(elements, dtype.get().bytes());
        } catch (ArithmeticException e) {
            throw new CheckpointException(what + ": shape " + java.util.Arrays.toString(shape) + " overflows");
        }
        if (expected != end - begin) {
            throw new CheckpointException(what + ": shape " + java.util.Arrays.toString(shape) + " of " + dtype.get()
                    + " needs " + expected + " bytes but data_offsets [" + begin + ", " + end + "] span " + (end - begin));
        }
        return new Entry(name, dtype.get(), shape, begin, end);
    }

    /** Tensors must cover the data area exactly once: overlaps could alias, holes could hide a payload. */
    private static void checkTiling(List<Entry> entries, long dataSize, String where) {
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long cursor = 0;
        Entry previous = null;
        for (Entry e : entries) {
            if (e.begin == e.end) continue; // an empty tensor occupies nothing
            if (e.begin < cursor) {
                throw new CheckpointException(where + ": tensor '" + e.name + "' [" + e.begin + ", " + e.end
                        + ") overlaps tensor '" + previous.name + "' [" + previous.begin + ", " + previous.end + ")");
            }
            if (e.begin > cursor) {
                throw new CheckpointException(where + ": tensor '" + e.name + "' starts at " + e.begin
                        + " but the previous tensor ends at " + cursor + ": unindexed bytes in the data area");
            }
            cursor = e.end;
            previous = e;
        }
        if (cursor != dataSize) {
            throw new CheckpointException(where + ": " + (dataSize - cursor) + " bytes after the last tensor are not "
                    + "indexed by the header");
        }
    }

    private static Map<String, String> metadata(JsonNode node, String where) {
        if (!node.isObject()) throw new CheckpointException(where + ": __metadata__ must be an object of strings");
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getValue().isTextual()) {
                throw new CheckpointException(where + ": __metadata__." + f.getKey() + " must be a string");
            }
            out.put(f.getKey(), f.getValue().asText());
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    private static long nonNegativeLong(JsonNode n, String what) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
            throw new CheckpointException(what + " must be a non-negative integer, got " + n);
        }
        return n.longValue();
    }

    private static String utf8(ByteBuffer bytes, String where) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointException(where + ": header is not valid UTF-8", e);
        }
    }
}
