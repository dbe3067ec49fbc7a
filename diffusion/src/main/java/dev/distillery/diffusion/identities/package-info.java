/**
 * The identity catalog I1..I13 of MATH.md: each identity generates seeded inputs and returns its worst error against a float64 tolerance; the property tests and the audit command run it.
 */
package dev.distillery.diffusion.identities;
