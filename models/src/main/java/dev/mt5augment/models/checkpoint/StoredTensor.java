package dev.mt5augment.models.checkpoint;

/**
 * Where a validated tensor's bytes lie: {@code info.byteCount()} bytes at {@code offset} in {@code file}.
 * Several tensors may share bytes (PyTorch storages shared by tied weights).
 */
record StoredTensor(TensorInfo info, TensorFile file, long offset) {
}
