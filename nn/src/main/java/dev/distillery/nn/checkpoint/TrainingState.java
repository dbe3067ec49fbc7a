package dev.distillery.nn.checkpoint;

import dev.distillery.autograd.random.Rng;

/**
 * Where training stands: steps completed and the state of the run's generator, so a resumed run
 * draws the same numbers an uninterrupted one would.
 */
public record TrainingState(long step, Rng.State rng) {
}
