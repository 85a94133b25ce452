package io.github.dl4jspectral.keras;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad files get a {@link KerasImportException} naming the file, the layer and what was expected; no copy remains. */
class KerasImportErrorsTest {

    private static KerasImportException sequentialFails(Path file) throws IOException {
        Set<Path> copiesBefore = SpectralKerasImportTest.temporaryCopies();
        KerasImportException e = assertThrows(KerasImportException.class,
                () -> SpectralKerasImport.importSequential(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertEquals(copiesBefore, SpectralKerasImportTest.temporaryCopies(), "the normalized copy is deleted");
        return e;
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "\"" + part + "\" missing from: " + message);
        }
    }

    @Test
    void aFileThatIsNotHdf5IsRefused(@TempDir Path dir) throws IOException {
        Path text = dir.resolve("model.h5");
        Files.writeString(text, "{\"class_name\": \"Sequential\"}".repeat(100), StandardCharsets.UTF_8);
        assertContains(sequentialFails(text).getMessage(), "not an HDF5 file", "expected a Keras model saved with");
    }

    @Test
    void aMissingFileIsRefused(@TempDir Path dir) throws IOException {
        assertContains(sequentialFails(dir.resolve("absent.h5")).getMessage(), "no such file");
    }

    @Test
    void anUnsupportedLayerIsNamed() throws IOException {
        String message = sequentialFails(KerasFixture.file("unsupported_identity_k3.h5")).getMessage();
        assertContains(message, "class_name = Identity", "\"identity", "expected a layer DL4J's Keras import supports");
    }

    @Test
    void aSpectralLayerWithoutWeightsIsNamed() throws IOException {
        String message = sequentialFails(KerasFixture.file("spectral_noweights_k3.h5")).getMessage();
        assertContains(message, "Spectral layer \"spectral\"", "no weight base", "expected base [nIn, nOut]");
    }

    @Test
    void aSpectralWeightOfTheWrongShapeIsNamed() throws IOException {
        String message = sequentialFails(KerasFixture.file("spectral_badshape_k3.h5")).getMessage();
        assertContains(message, "Spectral layer \"spectral\"", "diag_end shape = [1, 17]", "expected [1, 16]");
        assertTrue(message.endsWith("expected [1, 16]"), "DL4J's documentation link is cut: " + message);
    }
}
