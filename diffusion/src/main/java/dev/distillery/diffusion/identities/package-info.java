/**
 * The identity catalog I1..I13 of MATH.md, each over an explicit input type: an identity builds
 * its input (a record: schedule family and parameters, times, shapes, data values) from
 * {@link dev.distillery.diffusion.identities.Choices}, and returns its scaled error and its tolerance
 * at that input, the tolerance derived in the class Javadoc from the input's conditioning.
 * {@link dev.distillery.diffusion.identities.SeededChoices} draws random inputs from a seed,
 * {@link dev.distillery.diffusion.identities.EdgeChoices} the edge cases, and the property harness
 * (module {@code proptests/identities}, its tests) drives the same choices through shrinkable
 * generators, so a failure shrinks to the simplest input. {@link dev.distillery.diffusion.identities.Identities#closest}
 * is the search the {@code audit} command runs. Also the inputs shared with the distillation
 * identities: {@link dev.distillery.diffusion.identities.ScheduleCase} (every schedule family) and
 * {@link dev.distillery.diffusion.identities.MixtureCase}.
 */
package dev.distillery.diffusion.identities;
