package dev.mt5augment.models.checkpoint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A checkpoint in Hugging Face's safetensors format: one {@code model.safetensors}, or shards listed
 * by {@code model.safetensors.index.json} ({@code weight_map}: tensor name → shard file in the same
 * folder). Every header is validated when opened (see {@link SafetensorsHeader}); tensor data is
 * mapped only when loaded.
 */
public final class SafetensorsCheckpoint extends MappedCheckpoint {

    public static final String FILE_NAME = "model.safetensors";
    public static final String INDEX_FILE_NAME = "model.safetensors.index.json";

    /** An index is a name → file map; anything near this size is not one. */
    private static final long MAX_INDEX_BYTES = 64L << 20;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Map<String, String> metadata;

    private SafetensorsCheckpoint(Path source, Map<String, StoredTensor> tensors, List<TensorFile> files,
                                  Float32Loader loader, Map<String, String> metadata) {
        super(source, tensors, files, loader);
        this.metadata = metadata;
    }

    /** Opens one safetensors file. */
    public static SafetensorsCheckpoint open(Path file) {
        return open(file, new Float32Loader());
    }

    static SafetensorsCheckpoint open(Path file, Float32Loader loader) {
        TensorFile tf = TensorFile.open(file);
        try {
            SafetensorsHeader header = SafetensorsHeader.read(tf);
            Map<String, StoredTensor> tensors = new LinkedHashMap<>();
            for (StoredTensor t : header.tensors()) tensors.put(t.info().name(), t);
            return new SafetensorsCheckpoint(file, tensors, List.of(tf), loader, header.metadata());
        } catch (RuntimeException e) {
            tf.close();
            throw e;
        }
    }

    /**
     * Opens a sharded checkpoint from its index. Every shard must exist next to the index, and every
     * tensor the index lists must be in the shard it names; tensors a shard holds but the index does
     * not list are not exposed.
     */
    public static SafetensorsCheckpoint openSharded(Path indexFile) {
        return openSharded(indexFile, new Float32Loader());
    }

    static SafetensorsCheckpoint openSharded(Path indexFile, Float32Loader loader) {
        JsonNode root = readIndex(indexFile);
        JsonNode weightMap = root.get("weight_map");
        if (weightMap == null || !weightMap.isObject() || weightMap.isEmpty()) {
            throw new CheckpointException(indexFile + ": weight_map missing, empty or not an object");
        }
        Map<String, String> shardOf = new LinkedHashMap<>();
        Set<String> shardNames = new LinkedHashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = weightMap.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new CheckpointException(indexFile + ": weight_map['" + e.getKey() + "'] must be a file name");
            }
            String shard = e.getValue().asText();
            checkShardName(indexFile, e.getKey(), shard);
            shardOf.put(e.getKey(), shard);
            shardNames.add(shard);
        }
        Path dir = indexFile.toAbsolutePath().getParent();
        for (String shard : shardNames) {
            if (!Files.isRegularFile(dir.resolve(shard))) {
                String example = shardOf.entrySet().stream().filter(e -> e.getValue().equals(shard))
                        .findFirst().map(Map.Entry::getKey).orElseThrow();
                throw new CheckpointException(indexFile + ": shard '" + shard + "' (holding tensor '" + example
                        + "' and others) does not exist in " + dir);
            }
        }

        List<TensorFile> files = new ArrayList<>();
        try {
            Map<String, Map<String, StoredTensor>> byShard = new LinkedHashMap<>();
            for (String shard : shardNames) {
                TensorFile tf = TensorFile.open(dir.resolve(shard));
                files.add(tf);
                Map<String, StoredTensor> inShard = new LinkedHashMap<>();
                for (StoredTensor t : SafetensorsHeader.read(tf).tensors()) inShard.put(t.info().name(), t);
                byShard.put(shard, inShard);
            }
            Map<String, StoredTensor> tensors = new LinkedHashMap<>();
            // Shard order, then data order inside each shard: the order the bytes lie on disk.
            for (Map.Entry<String, Map<String, StoredTensor>> shard : byShard.entrySet()) {
                for (StoredTensor t : shard.getValue().values()) {
                    if (shard.getKey().equals(shardOf.get(t.info().name()))) tensors.put(t.info().name(), t);
                }
            }
            for (Map.Entry<String, String> e : shardOf.entrySet()) {
                if (!tensors.containsKey(e.getKey())) {
                    throw new CheckpointException(indexFile + ": tensor '" + e.getKey() + "' is listed in shard '"
                            + e.getValue() + "', but " + dir.resolve(e.getValue()) + " has no such tensor");
                }
            }
            return new SafetensorsCheckpoint(indexFile, tensors, files, loader, indexMetadata(root, indexFile));
        } catch (RuntimeException e) {
            for (TensorFile f : files) f.close();
            throw e;
        }
    }

    /** {@code __metadata__} of a single file, or the index's {@code metadata} (values as text) when sharded. */
    public Map<String, String> metadata() {
        return metadata;
    }

    private static JsonNode readIndex(Path indexFile) {
        try {
            if (!Files.isRegularFile(indexFile)) throw new CheckpointException(indexFile + ": no such file");
            long size = Files.size(indexFile);
            if (size > MAX_INDEX_BYTES) {
                throw new CheckpointException(indexFile + ": " + size + " bytes is too large for a shard index");
            }
            JsonNode root = JSON.readTree(Files.readAllBytes(indexFile));
            if (root == null || !root.isObject()) throw new CheckpointException(indexFile + ": not a JSON object");
            return root;
        } catch (JsonProcessingException e) {
            throw new CheckpointException(indexFile + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new CheckpointException(indexFile + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** A shard is a plain file name next to the index: no directories, so an index cannot point elsewhere. */
    private static void checkShardName(Path indexFile, String tensor, String shard) {
        if (shard.isEmpty() || shard.equals(".") || shard.equals("..") || shard.contains("/")
                || shard.contains("\\") || shard.indexOf('\0') >= 0) {
            throw new CheckpointException(indexFile + ": weight_map['" + tensor + "'] = '" + shard
                    + "' is not a plain file name in the index's folder");
        }
    }

    private static Map<String, String> indexMetadata(JsonNode root, Path indexFile) {
        JsonNode m = root.get("metadata");
        if (m == null || m.isNull()) return Map.of();
        if (!m.isObject()) throw new CheckpointException(indexFile + ": metadata must be an object");
        Map<String, String> out = new LinkedHashMap<>();
        m.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isValueNode()
                ? e.getValue().asText() : e.getValue().toString()));
        return Collections.unmodifiableMap(out);
    }
}
