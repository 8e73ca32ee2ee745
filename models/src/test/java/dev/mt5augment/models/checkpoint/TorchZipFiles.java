package dev.mt5augment.models.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes torch.save-shaped zips for tests: {@code archive/data.pkl} plus {@code archive/data/KEY} storages. */
final class TorchZipFiles {

    private TorchZipFiles() {
    }

    static Path write(Path file, byte[] pickle, Map<String, byte[]> storages) throws IOException {
        return write(file, pickle, storages, Set.of());
    }

    /** Storages whose keys are in {@code deflated} are compressed, which torch never does. */
    static Path write(Path file, byte[] pickle, Map<String, byte[]> storages, Set<String> deflated) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("archive/data.pkl", pickle);
        storages.forEach((k, v) -> entries.put("archive/data/" + k, v));
        entries.put("archive/version", "3\n".getBytes());
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry z = new ZipEntry(e.getKey());
                String key = e.getKey().substring(e.getKey().lastIndexOf('/') + 1);
                if (e.getKey().startsWith("archive/data/") && deflated.contains(key)) {
                    z.setMethod(ZipEntry.DEFLATED);
                } else {
                    CRC32 crc = new CRC32();
                    crc.update(e.getValue());
                    z.setMethod(ZipEntry.STORED);
                    z.setSize(e.getValue().length);
                    z.setCompressedSize(e.getValue().length);
                    z.setCrc(crc.getValue());
                }
                zip.putNextEntry(z);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }
}
