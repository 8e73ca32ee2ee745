package dev.mt5augment.models.checkpoint;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * A torch-shaped zip64 file written by hand: {@code archive/data.pkl} at the start, one storage whose
 * local header lies past 4 GiB (the gap is a sparse hole, costing no disk), and a zip64 central
 * directory with 64-bit offsets in extra fields — what torch.save writes for checkpoints over 4 GiB.
 */
final class Zip64TorchFile {

    private Zip64TorchFile() {
    }

    static Path write(Path file, byte[] pickle, byte[] storage, long storageHeaderOffset) throws IOException {
        String pickleName = "archive/data.pkl";
        String storageName = "archive/data/0";
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.write(localHeader(pickleName, pickle));
            raf.write(pickle);
            raf.seek(storageHeaderOffset);
            raf.write(localHeader(storageName, storage));
            raf.write(storage);
            long cdOffset = raf.getFilePointer();
            byte[] cd1 = centralEntry(pickleName, pickle, 0);
            byte[] cd2 = centralEntry(storageName, storage, storageHeaderOffset);
            raf.write(cd1);
            raf.write(cd2);
            long cdSize = cd1.length + cd2.length;
            long z64Offset = raf.getFilePointer();
            ByteBuffer z64 = le(56).putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45)
                    .putInt(0).putInt(0).putLong(2).putLong(2).putLong(cdSize).putLong(cdOffset);
            raf.write(z64.array());
            raf.write(le(20).putInt(0x07064b50).putInt(0).putLong(z64Offset).putInt(1).array());
            raf.write(le(22).putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) 0xFFFF)
                    .putShort((short) 0xFFFF).putInt(-1).putInt(-1).putShort((short) 0).array());
        }
        return file;
    }

    private static byte[] localHeader(String name, byte[] data) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = le(30 + n.length + 20).putInt(0x04034b50).putShort((short) 45).putShort((short) 0)
                .putShort((short) 0).putInt(0).putInt(crc(data)).putInt(-1).putInt(-1)
                .putShort((short) n.length).putShort((short) 20).put(n);
        b.putShort((short) 1).putShort((short) 16).putLong(data.length).putLong(data.length);
        return b.array();
    }

    private static byte[] centralEntry(String name, byte[] data, long localOffset) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = le(46 + n.length + 28).putInt(0x02014b50).putShort((short) 45).putShort((short) 45)
                .putShort((short) 0).putShort((short) 0).putInt(0).putInt(crc(data)).putInt(-1).putInt(-1)
                .putShort((short) n.length).putShort((short) 28).putShort((short) 0).putShort((short) 0)
                .putShort((short) 0).putInt(0).putInt(-1).put(n);
        b.putShort((short) 1).putShort((short) 24).putLong(data.length).putLong(data.length).putLong(localOffset);
        return b.array();
    }

    private static int crc(byte[] data) {
        CRC32 c = new CRC32();
        c.update(data);
        return (int) c.getValue();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
