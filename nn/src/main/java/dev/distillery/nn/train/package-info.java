/** A minimal training loop: steps, logging, progress, periodic checkpoints, a NaN/Inf guard. */
package dev.distillery.nn.train;
