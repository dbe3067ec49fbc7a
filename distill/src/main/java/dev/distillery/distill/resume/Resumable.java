package dev.distillery.distill.resume;

/**
 * A part of a training run that can be saved between two steps and restored into a fresh copy
 * of itself (same construction, same config), after which its next steps are bit for bit those
 * the saved one would have taken. Each part writes what changes while it trains (weights,
 * optimizer moments and counts, EMA averages, counters, data drawn on the way) and nothing that
 * its construction rebuilds.
 */
public interface Resumable {

    /**
     * Writes this part's state into {@code out}. The tensors may be the live ones: the snapshot
     * is valid until the next training step.
     */
    void writeState(StateWriter out);

    /**
     * Restores what {@link #writeState} wrote, copying the values (later steps never change the
     * snapshot's tensors).
     *
     * @throws IllegalArgumentException naming the entry that is missing or does not fit; the part
     *                                  may then be partly restored: discard it
     */
    void readState(StateReader in);
}
