package dev.mt5augment.worker.loop;

/** Life of a worker loop, as /health reports it. */
public enum LoopState {
    STARTING, RUNNING, STOPPING, STOPPED, FAILED;

    public boolean healthy() {
        return this == STARTING || this == RUNNING || this == STOPPING;
    }
}
