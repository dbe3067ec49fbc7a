/**
 * What the commands keep on disk between runs, and the rules for it: a distilled student's folder
 * ({@code StudentFolder}, {@code StudentRecord}), a resumable distillation
 * ({@code DistillCheckpoints}, {@code DistillRecord}), the record of a {@code train} checkpoint
 * ({@code TrainingRecord}), and what {@code --force} and {@code --resume} may do with a
 * {@code --checkpoint} folder ({@code CheckpointTarget}). Every failure to read or write is one
 * line naming the file and the fix. Reads the teachers and datasets; the pipeline reads it.
 */
package dev.distillery.cli.store;
