package dev.mt5augment.worker.loop;

/** Loads one model replica onto a device; a worker loop calls it once, at start. */
@FunctionalInterface
public interface ModelLoader {
    ModelReplica load(String device);
}
