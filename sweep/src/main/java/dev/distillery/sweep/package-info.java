/**
 * {@code distillery sweep}: a grid of distil-sample-evaluate cells (methods x seeds x budgets x
 * settings) run as one Apache Spark job, embedded ({@code local[*]}) or on a cluster. Each cell is
 * seeded from the grid, never from the task, so results are bit-identical however the job is
 * scheduled; the teacher is obtained once on the driver and broadcast. Imports: the library
 * layers, the CLI's run pipeline and report classes, and Spark (this module alone depends on it).
 */
package dev.distillery.sweep;
