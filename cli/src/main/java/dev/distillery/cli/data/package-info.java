/**
 * The datasets the commands know ({@code --dataset}): {@link dev.distillery.cli.data.Dataset} is
 * the choice and its data; beside it, one job a class, the dataset's metrics and verdict criteria
 * ({@code Metrics}, {@code Criterion}), the pictures of samples ({@code Pictures}) and samples as
 * rows ({@code Rows}). Below the teachers and the pipeline, which read it; it knows no teacher.
 */
package dev.distillery.cli.data;
