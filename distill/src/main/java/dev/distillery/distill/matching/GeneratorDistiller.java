package dev.distillery.distill.matching;

import dev.distillery.distill.Distiller;
import dev.distillery.distill.Generator;
import dev.distillery.distill.StudentState;
import dev.distillery.distill.resume.StateReader;
import dev.distillery.distill.resume.StateWriter;
import dev.distillery.nn.Module;

/**
 * What the score-based generator methods (SDS, the unbiased score estimator, DMD, DMD2) share as
 * distillers: their student is the few-step generator of a {@link GeneratorTraining}, sampled by
 * its {@link FewStepSampler} and saved under the name "generator".
 */
abstract class GeneratorDistiller implements Distiller.SingleNetwork {
    final GeneratorTraining g;

    GeneratorDistiller(GeneratorTraining g) {
        this.g = g;
    }

    @Override
    public Generator generator() {
        return g.sampler;
    }

    /** The network the generator evaluates (what {@link StudentState} saves). */
    @Override
    public Module sampledNetwork() {
        return g.generator.module();
    }

    @Override
    public String sampledNetworkName() {
        return "generator";
    }

    /** The generator and its Adam; methods with more networks add theirs. */
    @Override
    public void writeState(StateWriter out) {
        g.writeState(out);
    }

    @Override
    public void readState(StateReader in) {
        g.readState(in);
    }
}
