/**
 * The harness as a JUnit Jupiter extension: a property is a method annotated {@link
 * dev.distillery.proptest.jupiter.Property}, its parameters drawn from generators, run by the
 * harness's seeded runner with shrinking, edge cases first, and optional statistics
 * (docs/PROPERTIES.md). Imports: the harness and JUnit Jupiter's extension API.
 */
package dev.distillery.proptest.jupiter;
