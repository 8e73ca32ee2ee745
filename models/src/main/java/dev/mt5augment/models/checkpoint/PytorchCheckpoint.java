package dev.mt5augment.models.checkpoint;

import dev.mt5augment.models.checkpoint.StateDictUnpickler.StorageRef;
import dev.mt5augment.models.checkpoint.StateDictUnpickler.TensorRef;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A {@code pytorch_model.bin} as {@code torch.save(model.state_dict())} writes it since PyTorch 1.6: a
 * zip holding {@code PREFIX/data.pkl} (the state dict, pickled) and one uncompressed entry
 * {@code PREFIX/data/KEY} per tensor storage. The pickle is read by {@link StateDictUnpickler}, which
 * runs no code; tensors are views into storages, mapped straight from the zip. Tensors that share a
 * storage (tied embeddings) share the mapped bytes.
 */
public final class PytorchCheckpoint extends MappedCheckpoint {

    public static final String FILE_NAME = "pytorch_model.bin";

    /** data.pkl of a state dict is a few hundred kilobytes; a larger one is refused rather than read. */
    private static final long MAX_PICKLE_BYTES = 256L << 20;

    private PytorchCheckpoint(Path source, Map<String, StoredTensor> tensors, List<TensorFile> files, Float32Loader loader) {
        super(source, tensors, files, loader);
    }

    public static PytorchCheckpoint open(Path file) {
        return open(file, new Float32Loader());
    }

    static PytorchCheckpoint open(Path file, Float32Loader loader) {
        TensorFile tf = TensorFile.open(file);
        try {
            checkMagic(tf);
            TorchZipArchive zip = TorchZipArchive.read(tf);
            String prefix = archivePrefix(zip, file);
            checkByteOrder(tf, zip, prefix);
            String pickleName = prefix + "data.pkl";
            byte[] pickle = entryBytes(tf, zip.entries().get(pickleName));
            checkCrc(tf, zip.entries().get(pickleName), pickle);
            Map<String, TensorRef> refs = StateDictUnpickler.read(pickle, file + ": " + pickleName);
            Map<String, StoredTensor> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
                tensors.put(e.getKey(), locate(e.getKey(), e.getValue(), tf, zip, prefix));
            }
            return new PytorchCheckpoint(file, tensors, List.of(tf), loader);
        } catch (RuntimeException e) {
            tf.close();
            throw e;
        }
    }

    private static void checkMagic(TensorFile tf) {
        if (tf.size() >= 4 && tf.read(0, 4, "magic").getInt() == 0x04034b50) return;
        if (tf.size() >= 2 && (tf.read(0, 1, "magic").get() & 0xFF) == 0x80) {
            throw new CheckpointException(tf.path() + ": legacy PyTorch format (before 1.6, not a zip) is not supported: "
                    + "re-save it with a current torch.save, or convert it to safetensors");
        }
        throw new CheckpointException(tf.path() + ": not a PyTorch zip checkpoint (no zip signature at the start)");
    }

    /** The one top-level folder holding {@code data.pkl}: {@code archive/} or the file's stem. */
    private static String archivePrefix(TorchZipArchive zip, Path file) {
        String found = null;
        for (String name : zip.entries().keySet()) {
            int slash = name.indexOf('/');
            if (slash > 0 && name.indexOf('/', slash + 1) < 0 && name.substring(slash + 1).equals("data.pkl")) {
                if (found != null) throw new CheckpointException(file + ": two data.pkl entries: " + found + "data.pkl and " + name);
                found = name.substring(0, slash + 1);
            }
        }
        if (found == null) {
            throw new CheckpointException(file + ": zip has no PREFIX/data.pkl entry: not a torch.save checkpoint");
        }
        return found;
    }

    /** Newer torch records the byte order; storages are raw machine bytes, and only little-endian is read. */
    private static void checkByteOrder(TensorFile tf, TorchZipArchive zip, String prefix) {
        TorchZipArchive.Entry e = zip.entries().get(prefix + "byteorder");
        if (e == null) return;
        String order = new String(entryBytes(tf, e), StandardCharsets.US_ASCII).trim();
        if (!order.equals("little")) {
            throw new CheckpointException(tf.path() + ": storages are " + order + "-endian; only little-endian is supported");
        }
    }

    private static byte[] entryBytes(TensorFile tf, TorchZipArchive.Entry e) {
        String what = "zip entry '" + e.name() + "'";
        if (e.size() > MAX_PICKLE_BYTES || e.compressedSize() > MAX_PICKLE_BYTES) {
            throw new CheckpointException(tf.path() + ": " + what + " is " + e.size() + " bytes, more than a state dict needs");
        }
        ByteBuffer raw = tf.read(e.dataOffset(), (int) e.compressedSize(), what);
        if (e.method() == TorchZipArchive.STORED) {
            byte[] b = new byte[raw.remaining()];
            raw.get(b);
            return b;
        }
        if (e.method() != TorchZipArchive.DEFLATED) {
            throw new CheckpointException(tf.path() + ": " + what + " uses zip method " + e.method() + " (only stored and deflated)");
        }
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(raw);
            byte[] out = new byte[(int) e.size()];
            int n = 0;
            while (n < out.length && !inflater.finished()) {
                int got = inflater.inflate(out, n, out.length - n);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) break;
                n += got;
            }
            if (n != out.length || !inflater.finished()) {
                throw new CheckpointException(tf.path() + ": " + what + " inflates to a different size than its header says");
            }
            return out;
        } catch (DataFormatException ex) {
            throw new CheckpointException(tf.path() + ": " + what + " is corrupt: " + ex.getMessage(), ex);
        } finally {
            inflater.end();
        }
    }

    /** The pickle decides what is read where, so it is checked; storages are too large to checksum at open. */
    private static void checkCrc(TensorFile tf, TorchZipArchive.Entry e, byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        if ((int) crc.getValue() != e.crc32()) {
            throw new CheckpointException(tf.path() + ": zip entry '" + e.name() + "' fails its CRC-32 check: corrupt file");
        }
    }

    private static StoredTensor locate(String name, TensorRef ref, TensorFile tf, TorchZipArchive zip, String prefix) {
        StorageRef storage = ref.storage();
        String what = tf.path() + ": tensor '" + name + "'";
        String entryName = prefix + "data/" + storage.key();
        TorchZipArchive.Entry entry = zip.entries().get(entryName);
        if (entry == null) throw new CheckpointException(what + ": its storage " + entryName + " is not in the zip");
        if (entry.method() != TorchZipArchive.STORED) {
            throw new CheckpointException(what + ": its storage " + entryName + " is compressed (zip method " + entry.method()
                    + "); torch.save stores storages uncompressed so they can be mapped: re-save the checkpoint");
        }
        TensorDType dtype = storage.dtype();
        long elements;
        long storageBytes;
        try {
            elements = 1;
            for (long d : ref.size()) elements = Math.multiplyExact(elements, d);
            storageBytes = Math.multiplyExact(storage.numel(), dtype.bytes());
        } catch (ArithmeticException e) {
            throw new CheckpointException(what + ": size " + Arrays.toString(ref.size()) + " or storage size overflows");
        }
        if (entry.size() < storageBytes) {
            throw new CheckpointException(what + ": storage " + entryName + " should hold " + storage.numel() + " " + dtype
                    + " elements (" + storageBytes + " bytes) but has " + entry.size() + " bytes");
        }
        long expectedStride = 1;
        for (int i = ref.size().length - 1; i >= 0; i--) {
            if (ref.size()[i] != 1 && ref.stride()[i] != expectedStride) {
                throw new CheckpointException(what + ": size " + Arrays.toString(ref.size()) + " with stride "
                        + Arrays.toString(ref.stride()) + " is not contiguous; only contiguous tensors are read "
                        + "(save tensor.contiguous())");
            }
            expectedStride *= ref.size()[i];
        }
        if (elements > 0 && (ref.storageOffset() > storage.numel() || elements > storage.numel() - ref.storageOffset())) {
            throw new CheckpointException(what + ": elements [" + ref.storageOffset() + ", " + (ref.storageOffset() + elements)
                    + ") lie outside storage " + entryName + " of " + storage.numel() + " elements");
        }
        TensorInfo info = new TensorInfo(name, dtype, ref.size().clone(), tf.path());
        return new StoredTensor(info, tf, entry.dataOffset() + ref.storageOffset() * dtype.bytes());
    }
}
