package dev.distillery.cli.run;

import dev.distillery.cli.data.Dataset;
import dev.distillery.distill.DistillMethod;
import dev.distillery.distill.MethodSettings;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class DatasetRecipesTest {

    @Test
    void theDigitsSettingsAreValidKnobValuesAndTheUsersGoOnTop() {
        // each label canonical, in the order the method declares its knobs: what the run's setting column shows
        assertEquals("lr=0.0002", digits("cd").settings().label());
        assertEquals("n0=8,lr=0.0002", digits("progressive").settings().label());
        assertEquals("fake-updates=1,student-steps=4", digits("dmd").settings().label());
        assertEquals("distill-weight=0.2,lr=0.0001,dlr=0.0001,student-steps=4,dmax=0.5,r1=0.00001",
                digits("add").settings().label());
        assertEquals(DatasetRecipes.DIGITS_METHODS, List.of("cd", "progressive", "dmd", "add"));

        // 'distill --set lr=1e-3' on the digits overrides the digits rate and keeps the rest
        DistillMethod user = digits("progressive").withSettings(MethodSettings.parse(List.of("lr=1e-3")));
        assertEquals("n0=8,lr=0.001", user.settings().label());
    }

    @Test
    void otherDatasetsAndOtherMethodsKeepTheRegistrysRecipe() {
        DistillMethod cd = MethodRegistry.byName("cd", "--method");
        assertSame(cd, DatasetRecipes.of(Dataset.GAUSSIANS25, cd));
        DistillMethod kd = MethodRegistry.byName("kd", "--method");
        assertSame(kd, DatasetRecipes.of(Dataset.DIGITS, kd));
        assertEquals(List.of(), DatasetRecipes.defaultMethods(Dataset.GAUSSIANS25));
        assertEquals(MethodRegistry.names(), MethodRegistry.select(List.of("all"), "--methods").stream()
                .map(DistillMethod::name).toList());
    }

    private static DistillMethod digits(String name) {
        return DatasetRecipes.of(Dataset.DIGITS, MethodRegistry.byName(name, "--method"));
    }
}
