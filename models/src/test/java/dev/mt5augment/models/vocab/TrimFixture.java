package dev.mt5augment.models.vocab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tiny-mt5 fixture split for trimming: its SentencePiece training corpus minus every 10th line
 * is the trimming corpus, those lines are held out. Model folders with only some of the fixture's
 * files are built from links, never copies.
 */
final class TrimFixture {

    static final ObjectMapper JSON = new ObjectMapper();

    private TrimFixture() {
    }

    static Path dir() {
        String root = System.getProperty("mt5.fixtures");
        if (root == null) throw new IllegalStateException("system property mt5.fixtures is not set (surefire sets it)");
        return Path.of(root, "tiny-mt5");
    }

    static List<String> corpusLines() {
        try {
            return Files.readAllLines(dir().resolve("corpus.txt"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> trainingLines() {
        List<String> out = new ArrayList<>();
        List<String> all = corpusLines();
        for (int i = 0; i < all.size(); i++) {
            if (i % 10 != 9) out.add(all.get(i));
        }
        return out;
    }

    static List<String> heldOutLines() {
        List<String> out = new ArrayList<>();
        List<String> all = corpusLines();
        for (int i = 0; i < all.size(); i++) {
            if (i % 10 == 9) out.add(all.get(i));
        }
        return out;
    }

    static Path write(Path file, List<String> lines) {
        try {
            Files.write(file, lines, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A model folder in {@code parent/name} holding copies of the named fixture files. */
    static Path modelWith(Path parent, String name, String... files) {
        try {
            Path dir = Files.createDirectories(parent.resolve(name));
            for (String f : files) Files.copy(dir().resolve(f), dir.resolve(f));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Trims the whole fixture folder with the training corpus into {@code tmp/name}. */
    static TrimReport trimFixture(Path tmp, String name, KeepPolicy policy) {
        Path corpus = tmp.resolve(name + "-train.txt");
        if (!Files.exists(corpus)) write(corpus, trainingLines());
        Path heldOut = write(tmp.resolve(name + "-held-out.txt"), heldOutLines());
        return VocabularyTrimmer.builder(dir(), tmp.resolve(name)).corpus(corpus).heldOut(heldOut).policy(policy).build().trim();
    }
}
