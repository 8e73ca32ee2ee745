package dev.mt5augment.models.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The shared tiny-mt5 fixture and its golden tokenization (see its README). */
public final class TinyMt5Fixture {

    public static final ObjectMapper JSON = new ObjectMapper();

    private TinyMt5Fixture() {
    }

    public static Path dir() {
        String root = System.getProperty("mt5.fixtures");
        if (root == null) throw new IllegalStateException("system property mt5.fixtures is not set (surefire sets it)");
        return Path.of(root, "tiny-mt5");
    }

    public static Path spieceModel() {
        return dir().resolve("spiece.model");
    }

    public static Path tokenizerJson() {
        return dir().resolve("tokenizer.json");
    }

    /** One case of tokenization.json. */
    public record Case(int index, String text, int[] idsWithEos, String decoded) {
        @Override
        public String toString() {
            return "case " + index;
        }
    }

    public static List<Case> cases() {
        JsonNode root = read(dir().resolve("tokenization.json"));
        List<Case> out = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            out.add(new Case(c.get("index").asInt(), c.get("text").asText(),
                    JSON.convertValue(c.get("ids_with_eos"), int[].class), c.get("decoded").asText()));
        }
        return out;
    }

    public static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
