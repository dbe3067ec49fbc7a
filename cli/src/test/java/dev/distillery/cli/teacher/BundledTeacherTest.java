package dev.distillery.cli.teacher;

import dev.distillery.autograd.Tensor;
import dev.distillery.cli.data.Dataset;
import dev.distillery.cli.error.CliException;
import dev.distillery.cli.progress.Progress;
import dev.distillery.diffusion.denoise.Condition;
import dev.distillery.nn.models.ConditionalModel;
import dev.distillery.nn.models.UNetConfig;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BundledTeacherTest {

    @Test
    void theJarHoldsTheNetworkTheDigitsRecipeTrainsWithTheRecordedHash() {
        assertEquals(BundledTeacher.WEIGHTS_SHA256, BundledTeacher.sha256(BundledTeacher.resource(BundledTeacher.WEIGHTS)));
        Teacher t = BundledTeacher.INSTANCE.obtain(Dataset.DIGITS, 0, Progress.NONE);
        ConditionalModel recipe = (ConditionalModel) Architectures.teacher(Dataset.DIGITS, false, BundledTeacher.STEPS, 0).model();
        ConditionalModel bundled = (ConditionalModel) t.network();
        // the architecture 'distillery train --dataset digits' builds, so the command reproduces the file
        assertEquals(recipe.config(), bundled.config());
        assertTrue(bundled.config() instanceof UNetConfig u && u.baseChannels() == 32 && u.numResBlocks() == 2,
                "the W3 layout: " + bundled.config());
        assertEquals(0, t.classes());
        assertTrue(t.description().contains(BundledTeacher.COMMAND), t.description());

        // a trained v-network: the denoised estimate of pure-ish noise is a bounded image, finite everywhere
        Tensor z = Dataset.DIGITS.noise(4, 1);
        Tensor x0 = t.denoiser().x0(z, Tensor.full(z.dtype(), 0.5, 4), Condition.NONE);
        for (double v : x0.toDoubleArray()) {
            assertTrue(Double.isFinite(v) && Math.abs(v) < 3, "x0 component " + v);
        }
    }

    @Test
    void theRecordedHashIsTheOneTheDocsGive() throws Exception {
        Path results = Path.of("").toAbsolutePath().getParent().resolve("docs/RESULTS.md");
        assertTrue(Files.readString(results).contains(BundledTeacher.WEIGHTS_SHA256),
                "docs/RESULTS.md gives the bundled teacher's SHA-256 " + BundledTeacher.WEIGHTS_SHA256);
    }

    @Test
    void otherDatasetsAreRefusedNamingTheFix() {
        CliException e = assertThrows(CliException.class,
                () -> BundledTeacher.INSTANCE.obtain(Dataset.GAUSSIANS25, 0, Progress.NONE));
        assertTrue(e.getMessage().contains("--teacher trained"), e.getMessage());
        assertSame(BundledTeacher.INSTANCE, TeacherSource.choose("bundled", null, null, null));
    }
}
