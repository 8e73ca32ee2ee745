package dev.mt5augment.models.checkpoint;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The entries of a zip file as {@code torch.save} writes it (PyTorch ≥ 1.6), read from the central
 * directory, with zip64 support. Only the directory is read: entry data is left where it is so that
 * STORED tensor storages can be mapped straight from the file.
 *
 * <p>The central directory is what zip readers trust; each entry's local header is checked against it
 * (signature, name) because the data offset depends on the local header's own name and extra lengths
 * (torch pads storages to 64-byte alignment with a local extra field).
 */
final class TorchZipArchive {

    /** Compression methods a zip entry may declare. */
    static final int STORED = 0;
    static final int DEFLATED = 8;

    private static final int EOCD_SIGNATURE = 0x06054b50;
    private static final int ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
    private static final int ZIP64_EOCD_SIGNATURE = 0x06064b50;
    private static final int CENTRAL_SIGNATURE = 0x02014b50;
    private static final int LOCAL_SIGNATURE = 0x04034b50;
    private static final int EOCD_SIZE = 22;
    private static final int MAX_COMMENT = 0xFFFF;
    /** A state dict has one entry per storage; a directory this large is not a checkpoint. */
    private static final long MAX_CENTRAL_DIRECTORY = 256L << 20;

    /**
     * One entry: {@code compressedSize} bytes of data start at {@code dataOffset}.
     *
     * @param method STORED or DEFLATED (others are reported when read)
     * @param crc32  CRC-32 of the uncompressed bytes, as the directory records it
     */
    record Entry(String name, int method, long compressedSize, long size, long dataOffset, int crc32) {
    }

    private final Map<String, Entry> entries;

    private TorchZipArchive(Map<String, Entry> entries) {
        this.entries = entries;
    }

    Map<String, Entry> entries() {
        return entries;
    }

    static TorchZipArchive read(TensorFile file) {
        String where = file.path().toString();
        long size = file.size();
        if (size < EOCD_SIZE) throw new CheckpointException(where + ": " + size + " bytes is too short for a zip file");

        int tailLength = (int) Math.min(size, EOCD_SIZE + MAX_COMMENT);
        long tailStart = size - tailLength;
        ByteBuffer tail = file.read(tailStart, tailLength, "zip end of central directory");
        int eocd = -1;
        for (int i = tailLength - EOCD_SIZE; i >= 0; i--) {
            if (tail.getInt(i) == EOCD_SIGNATURE && i + EOCD_SIZE + (tail.getShort(i + 20) & 0xFFFF) == tailLength) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) {
            throw new CheckpointException(where + ": no zip end-of-central-directory record: truncated, or not a zip file");
        }
        long eocdOffset = tailStart + eocd;
        int diskNumber = tail.getShort(eocd + 4) & 0xFFFF;
        int cdDisk = tail.getShort(eocd + 6) & 0xFFFF;
        long count = tail.getShort(eocd + 10) & 0xFFFF;
        long cdSize = tail.getInt(eocd + 12) & 0xFFFFFFFFL;
        long cdOffset = tail.getInt(eocd + 16) & 0xFFFFFFFFL;
        long cdEnd = eocdOffset;

        if (count == 0xFFFF || cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL) {
            long locatorOffset = eocdOffset - 20;
            if (locatorOffset < 0) throw new CheckpointException(where + ": zip64 record expected but the file is too short");
            ByteBuffer locator = file.read(locatorOffset, 20, "zip64 locator");
            if (locator.getInt(0) != ZIP64_LOCATOR_SIGNATURE) {
                throw new CheckpointException(where + ": zip64 end-of-central-directory locator missing: corrupt zip");
            }
            long z64Offset = locator.getLong(8);
            if (z64Offset < 0 || z64Offset > locatorOffset - 56) {
                throw new CheckpointException(where + ": zip64 record offset " + z64Offset + " is outside the file");
            }
            ByteBuffer z64 = file.read(z64Offset, 56, "zip64 end of central directory");
            if (z64.getInt(0) != ZIP64_EOCD_SIGNATURE) {
                throw new CheckpointException(where + ": zip64 end-of-central-directory record missing: corrupt zip");
            }
            diskNumber = z64.getInt(16);
            cdDisk = z64.getInt(20);
            count = z64.getLong(32);
            cdSize = z64.getLong(40);
            cdOffset = z64.getLong(48);
            cdEnd = z64Offset;
        }
        if (diskNumber != 0 || cdDisk != 0) throw new CheckpointException(where + ": multi-volume zip files are not supported");
        if (cdSize < 0 || cdOffset < 0 || cdSize > MAX_CENTRAL_DIRECTORY || cdOffset > cdEnd - cdSize) {
            throw new CheckpointException(where + ": central directory [" + cdOffset + ", +" + cdSize
                    + ") does not fit before its end record at " + cdEnd + ": truncated or corrupt zip");
        }
        if (count < 0 || count > cdSize / 46) {
            throw new CheckpointException(where + ": central directory claims " + count + " entries in " + cdSize + " bytes");
        }

        ByteBuffer cd = file.read(cdOffset, (int) cdSize, "zip central directory");
        Map<String, Entry> entries = new LinkedHashMap<>();
        int p = 0;
        for (long i = 0; i < count; i++) {
            if (p > cd.limit() - 46 || cd.getInt(p) != CENTRAL_SIGNATURE) {
                throw new CheckpointException(where + ": central directory entry " + i + " is corrupt");
            }
            int flags = cd.getShort(p + 8) & 0xFFFF;
            int method = cd.getShort(p + 10) & 0xFFFF;
            int crc = cd.getInt(p + 16);
            long compressed = cd.getInt(p + 20) & 0xFFFFFFFFL;
            long uncompressed = cd.getInt(p + 24) & 0xFFFFFFFFL;
            int nameLength = cd.getShort(p + 28) & 0xFFFF;
            int extraLength = cd.getShort(p + 30) & 0xFFFF;
            int commentLength = cd.getShort(p + 32) & 0xFFFF;
            long localOffset = cd.getInt(p + 42) & 0xFFFFFFFFL;
            int nameStart = p + 46;
            if (nameStart + nameLength + extraLength + commentLength > cd.limit()) {
                throw new CheckpointException(where + ": central directory entry " + i + " runs past the directory");
            }
            String name = utf8(cd, nameStart, nameLength);
            int extra = nameStart + nameLength;
            // zip64 extra field: the 64-bit values, in this order, of whichever fields are saturated.
            for (int q = extra; q + 4 <= extra + extraLength; ) {
                int id = cd.getShort(q) & 0xFFFF;
                int len = cd.getShort(q + 2) & 0xFFFF;
                if (q + 4 + len > extra + extraLength) break;
                if (id == 0x0001) {
                    int r = q + 4;
                    if (uncompressed == 0xFFFFFFFFL && r + 8 <= q + 4 + len) { uncompressed = cd.getLong(r); r += 8; }
                    if (compressed == 0xFFFFFFFFL && r + 8 <= q + 4 + len) { compressed = cd.getLong(r); r += 8; }
                    if (localOffset == 0xFFFFFFFFL && r + 8 <= q + 4 + len) { localOffset = cd.getLong(r); }
                }
                q += 4 + len;
            }
            p = extra + extraLength + commentLength;

            String what = where + ": zip entry '" + name + "'";
            if ((flags & 1) != 0) throw new CheckpointException(what + " is encrypted");
            if (compressed < 0 || uncompressed < 0 || localOffset < 0 || localOffset > cdOffset - 30) {
                throw new CheckpointException(what + ": local header offset " + localOffset + " is outside the file");
            }
            ByteBuffer local = file.read(localOffset, 30, "local header of zip entry '" + name + "'");
            if (local.getInt(0) != LOCAL_SIGNATURE) {
                throw new CheckpointException(what + ": no local header at offset " + localOffset + ": corrupt zip");
            }
            int localName = local.getShort(26) & 0xFFFF;
            int localExtra = local.getShort(28) & 0xFFFF;
            if (localName != nameLength
                    || !utf8(file.read(localOffset + 30, localName, "zip entry name"), 0, localName).equals(name)) {
                throw new CheckpointException(what + ": local header names another entry: corrupt zip");
            }
            long dataOffset = localOffset + 30 + localName + localExtra;
            if (dataOffset > cdOffset - compressed) {
                throw new CheckpointException(what + ": its " + compressed + " bytes at offset " + dataOffset
                        + " run into the central directory at " + cdOffset + ": truncated or corrupt zip");
            }
            if (method == STORED && compressed != uncompressed) {
                throw new CheckpointException(what + ": stored entry has compressed size " + compressed
                        + " but size " + uncompressed);
            }
            if (entries.put(name, new Entry(name, method, compressed, uncompressed, dataOffset, crc)) != null) {
                throw new CheckpointException(what + " appears twice");
            }
        }
        return new TorchZipArchive(Collections.unmodifiableMap(entries));
    }

    private static String utf8(ByteBuffer buf, int start, int length) {
        byte[] b = new byte[length];
        buf.get(start, b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
