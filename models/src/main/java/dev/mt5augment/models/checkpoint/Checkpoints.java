package dev.mt5augment.models.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds and opens the weights of a model folder as the hubs publish it. */
public final class Checkpoints {

    /** The weight layouts this reader opens, in the order a folder is searched for them. */
    public enum Format {
        SAFETENSORS(SafetensorsCheckpoint.FILE_NAME),
        SHARDED_SAFETENSORS(SafetensorsCheckpoint.INDEX_FILE_NAME),
        PYTORCH(PytorchCheckpoint.FILE_NAME);

        private final String fileName;

        Format(String fileName) {
            this.fileName = fileName;
        }

        /** The file that marks this format in a folder. */
        public String fileName() {
            return fileName;
        }
    }

    /** The weights found in a folder: the format and its file (the index for shards). */
    public record Located(Format format, Path file) {
    }

    private Checkpoints() {
    }

    /**
     * The weights of {@code dir}: {@code model.safetensors}, else {@code model.safetensors.index.json},
     * else {@code pytorch_model.bin}.
     *
     * @throws CheckpointException listing the folder's weight-like files when none is there
     */
    public static Located locate(Path dir) {
        return find(dir).orElseThrow(() -> new CheckpointException(dir + ": no weights found; looked for "
                + SafetensorsCheckpoint.FILE_NAME + ", " + SafetensorsCheckpoint.INDEX_FILE_NAME + " and "
                + PytorchCheckpoint.FILE_NAME + "; the folder has " + describeContents(dir)));
    }

    /** Like {@link #locate}, empty instead of an error when the folder has no weights. */
    public static Optional<Located> find(Path dir) {
        if (!Files.isDirectory(dir)) throw new CheckpointException(dir + ": not a directory");
        for (Format f : Format.values()) {
            Path file = dir.resolve(f.fileName());
            if (Files.isRegularFile(file)) return Optional.of(new Located(f, file));
        }
        return Optional.empty();
    }

    /** Opens the weights of {@code dir} (see {@link #locate}). */
    public static MappedCheckpoint open(Path dir) {
        return open(locate(dir));
    }

    public static MappedCheckpoint open(Located located) {
        return switch (located.format()) {
            case SAFETENSORS -> SafetensorsCheckpoint.open(located.file());
            case SHARDED_SAFETENSORS -> SafetensorsCheckpoint.openSharded(located.file());
            case PYTORCH -> PytorchCheckpoint.open(located.file());
        };
    }

    private static String describeContents(Path dir) {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).sorted().forEach(names::add);
        } catch (IOException e) {
            return "unreadable contents (" + e.getMessage() + ")";
        }
        if (names.isEmpty()) return "no files";
        List<String> weightLike = names.stream().filter(n -> n.endsWith(".safetensors") || n.endsWith(".bin")
                || n.endsWith(".pt") || n.endsWith(".pth") || n.endsWith(".ckpt") || n.endsWith(".h5")
                || n.endsWith(".msgpack") || n.endsWith(".index.json") || n.endsWith(".onnx")).toList();
        String shown = String.join(", ", names.size() > 20 ? names.subList(0, 20) : names)
                + (names.size() > 20 ? " and " + (names.size() - 20) + " more" : "");
        return weightLike.isEmpty()
                ? "no weight files (" + shown + ")"
                : "other weight files: " + String.join(", ", weightLike) + " (not read by this engine)";
    }
}
