package dev.mt5augment.models.vocab;

import dev.mt5augment.models.checkpoint.MappedCheckpoint;
import dev.mt5augment.models.checkpoint.Mt5WeightLayout;
import dev.mt5augment.models.checkpoint.SafetensorsWriter;
import dev.mt5augment.models.checkpoint.TensorInfo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the trimmed {@code model.safetensors}: the vocabulary-indexed tensors ({@code shared.weight}
 * and, untied, {@code lm_head.weight}) keep only the mapped rows, in new-id order; every other tensor
 * is copied byte for byte in its stored dtype (so F16 and BF16 stay exact). The encoder and decoder
 * {@code embed_tokens} entries of a {@code pytorch_model.bin} are left out: they alias
 * {@code shared.weight}, and both this engine and transformers read (or re-tie) {@code shared.weight}.
 *
 * <p>Streamed: bytes go through one {@link #WINDOW_BYTES} buffer, so neither the heap nor the engine
 * ever holds a tensor; consecutive kept rows are read in one call.
 */
public final class TrimmedCheckpointWriter {

    /** Bytes copied per read: 4 MiB. */
    static final int WINDOW_BYTES = 4 << 20;

    /** Tensors whose first dimension is the vocabulary, gathered by the mapping. */
    static final Set<String> VOCAB_ROWS = Set.of(Mt5WeightLayout.SHARED_EMBEDDING, Mt5WeightLayout.LM_HEAD);
    /** Aliases of {@code shared.weight} in transformers' state dicts, not written. */
    static final Set<String> SHARED_ALIASES = Set.of("encoder.embed_tokens.weight", "decoder.embed_tokens.weight");

    /** What was written. */
    public record Written(long dataBytes, int tensors, List<String> gathered, List<String> droppedAliases) {
    }

    private TrimmedCheckpointWriter() {
    }

    /**
     * Writes {@code source}'s tensors, trimmed by {@code mapping}, to {@code file}.
     *
     * @throws TrimException when a vocabulary tensor's first dimension is not the mapping's old vocabulary size
     */
    public static Written write(MappedCheckpoint source, IdMapping mapping, Path file) {
        List<SafetensorsWriter.Entry> entries = new ArrayList<>();
        List<String> gathered = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (String name : source.tensorNames()) {
            TensorInfo info = source.info(name);
            if (SHARED_ALIASES.contains(name)) {
                dropped.add(name);
                continue;
            }
            long[] shape = info.shape().clone();
            if (VOCAB_ROWS.contains(name)) {
                if (shape.length != 2 || shape[0] != mapping.oldVocabSize()) {
                    throw new TrimException(info.file() + ": tensor '" + name + "' has shape " + info.shapeString()
                            + "; expected [" + mapping.oldVocabSize() + ", d_model] (the config's vocab_size rows)");
                }
                shape[0] = mapping.newVocabSize();
                gathered.add(name);
            }
            entries.add(new SafetensorsWriter.Entry(name, info.dtype(), shape));
        }
        SafetensorsWriter writer = SafetensorsWriter.create(file, entries, Map.of("format", "pt"));
        long bytes = 0;
        try {
            ByteBuffer window = ByteBuffer.allocateDirect(WINDOW_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (SafetensorsWriter.Entry e : writer.order()) {
                bytes += VOCAB_ROWS.contains(e.name())
                        ? copyRows(source, e.name(), mapping, writer, window)
                        : copyRange(source, e.name(), 0, source.info(e.name()).byteCount(), writer, window);
            }
            writer.close();
            return new Written(bytes, entries.size(), gathered, dropped);
        } catch (RuntimeException ex) {
            writer.abort();
            throw ex;
        }
    }

    /** Copies the kept rows of a [vocab, d] tensor, one read per run of consecutive old ids. */
    private static long copyRows(MappedCheckpoint source, String name, IdMapping mapping, SafetensorsWriter writer,
                                 ByteBuffer window) {
        TensorInfo info = source.info(name);
        long rowBytes = info.shape()[1] * info.dtype().bytes();
        long bytes = 0;
        int n = 0;
        while (n < mapping.newVocabSize()) {
            int first = mapping.toOld(n);
            int run = 1;
            while (n + run < mapping.newVocabSize() && mapping.toOld(n + run) == first + run) run++;
            bytes += copyRange(source, name, first * rowBytes, run * rowBytes, writer, window);
            n += run;
        }
        return bytes;
    }

    private static long copyRange(MappedCheckpoint source, String name, long offset, long length, SafetensorsWriter writer,
                                  ByteBuffer window) {
        for (long done = 0; done < length; ) {
            int chunk = (int) Math.min(window.capacity(), length - done);
            window.clear().limit(chunk);
            source.readStoredBytes(name, offset + done, window);
            window.flip();
            writer.write(window);
            done += chunk;
        }
        return length;
    }
}
