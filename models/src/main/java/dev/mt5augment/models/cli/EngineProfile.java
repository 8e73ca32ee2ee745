package dev.mt5augment.models.cli;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Runs a piece of work under PyTorch's profiler and counts what the engine did: top-level operator
 * calls (about one per engine call from Java; a DJL {@code linear} shows as {@code t} + {@code matmul}).
 * The profiler's own overhead inflates every operator's time, so take times from unprofiled runs.
 */
final class EngineProfile {

    /** Operators that are matrix products (their time is "inside matmuls"). */
    static final Set<String> MATRIX_PRODUCTS = Set.of("aten::mm", "aten::bmm", "aten::addmm", "aten::matmul",
            "aten::linear", "aten::baddbmm", "aten::addbmm");

    /** @param topLevelOps operator calls not nested in another; @param matrixMicros time in top-level matrix products */
    record Counts(long topLevelOps, double matrixMicros, double topLevelMicros) {
        Counts minus(Counts o) {
            return new Counts(topLevelOps - o.topLevelOps, matrixMicros - o.matrixMicros, topLevelMicros - o.topLevelMicros);
        }
    }

    private EngineProfile() {
    }

    static Counts profile(Runnable work) throws IOException {
        Path trace = Files.createTempFile("mt5-profile", ".json");
        try {
            JniUtils.startProfile(false, false, false);
            try {
                work.run();
            } finally {
                JniUtils.stopProfile(trace.toString());
            }
            return count(new ObjectMapper().readTree(trace.toFile()));
        } finally {
            Files.deleteIfExists(trace);
        }
    }

    private record Event(String name, double start, double end, long tid) {
    }

    static Counts count(JsonNode trace) {
        JsonNode events = trace.isArray() ? trace : trace.path("traceEvents");
        List<Event> list = new ArrayList<>();
        for (JsonNode e : events) {
            if (!"X".equals(e.path("ph").asText()) || !e.path("name").asText().startsWith("aten::")) continue;
            double ts = e.path("ts").asDouble();
            list.add(new Event(e.path("name").asText(), ts, ts + e.path("dur").asDouble(), e.path("tid").asLong()));
        }
        // Outer events first: by start, then longest first.
        list.sort(Comparator.comparingLong(Event::tid).thenComparingDouble(Event::start)
                .thenComparing(Comparator.comparingDouble(Event::end).reversed()));
        long ops = 0;
        double matrix = 0;
        double total = 0;
        double openEnd = Double.NEGATIVE_INFINITY;
        long openTid = Long.MIN_VALUE;
        for (Event e : list) {
            if (e.tid() == openTid && e.start() < openEnd) continue; // nested in the open top-level call
            ops++;
            total += e.end() - e.start();
            if (MATRIX_PRODUCTS.contains(e.name())) matrix += e.end() - e.start();
            openEnd = e.end();
            openTid = e.tid();
        }
        return new Counts(ops, matrix, total);
    }
}
