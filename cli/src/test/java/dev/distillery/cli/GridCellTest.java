package dev.distillery.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.distillery.cli.run.MethodRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A grid cell trains on the stream a demo of every method gives the method: its registry position. */
class GridCellTest {

    @Test
    void everyMethodTrainsOnItsOwnRegistryPosition() {
        List<String> names = MethodRegistry.names();
        for (int i = 0; i < names.size(); i++) {
            // the demo folds 1000 + i for the i-th method; -1 (an identity lookup that finds nothing) would
            // give every method the same stream
            assertEquals(i, GridCell.streamPosition(names.get(i)), names.get(i));
        }
        assertThrows(IllegalArgumentException.class, () -> GridCell.streamPosition("no-such-method"));
    }
}
