package dev.distillery.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.distillery.cli.error.CliException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a {@code --config} file becomes flags (its hostile inputs: {@code HostileInputTest}). */
class ConfigFileTest {
    @TempDir
    Path tmp;

    @Test
    void objectsInAConfigFileBecomeOneFlagPerLeaf() throws Exception {
        Path cfg = Files.writeString(tmp.resolve("nested.json"), "{\"set\": {\"mu\": 0.99, \"n\": 18}, "
                + "\"settings\": {\"cd\": {\"mu\": [0.95, 0.99]}, \"guided\": {\"w\": [1, 3]}}, "
                + "\"conf\": {\"spark.executor.memory\": \"2g\"}}");
        assertEquals(List.of("--set=mu=0.99", "--set=n=18", "--settings=cd.mu=0.95,0.99", "--settings=guided.w=1,3",
                "--conf=spark.executor.memory=2g"), ConfigFile.flags(cfg));
        Path bad = Files.writeString(tmp.resolve("bad.json"), "{\"set\": {\"mu\": null}}");
        CliException e = org.junit.jupiter.api.Assertions.assertThrows(CliException.class, () -> ConfigFile.flags(bad));
        assertTrue(e.getMessage().contains("'mu' under key 'set'"), e.getMessage());
    }
}
