package io.github.dl4jspectral.data;

import io.github.dl4jspectral.data.FashionMnist.Split;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FashionMnistIteratorTest {

    @TempDir
    Path tmp;

    private FashionMnistIterator.Builder iterator(int train) {
        Path dir = IdxFiles.dataset(tmp.resolve("data"), train, 10);
        return FashionMnistIterator.builder(Split.TRAIN)
                .locator(FashionMnistLocator.builder().directory(dir).build());
    }

    /** Which synthetic example a feature row is: pixel 0 of image i is 7 i mod 256 (unique for i < 37). */
    private static int exampleOf(INDArray features, int row) {
        return Math.round(features.getFloat(row, 0) * 255f) / 7;
    }

    private static List<Integer> epoch(FashionMnistIterator it) {
        List<Integer> seen = new ArrayList<>();
        while (it.hasNext()) {
            DataSet batch = it.next();
            for (int r = 0; r < batch.numExamples(); r++) {
                int example = exampleOf(batch.getFeatures(), r);
                seen.add(example);
                assertEquals(1.0, batch.getLabels().getDouble(r, example % 10), "label of example " + example);
                assertEquals(1.0, batch.getLabels().getRow(r).sumNumber().doubleValue(), 1e-9);
            }
        }
        return seen;
    }

    @Test
    void batchesAreScaledOneHotAndCoverEveryExampleOnce() {
        FashionMnistIterator it = iterator(30).batchSize(8).build();
        DataSet first = it.next();
        assertEquals(DataType.FLOAT, first.getFeatures().dataType());
        assertArrayEquals(new long[]{8, 784}, first.getFeatures().shape());
        assertArrayEquals(new long[]{8, 10}, first.getLabels().shape());
        assertEquals(IdxFiles.pixel(3, 100) / 255f, first.getFeatures().getFloat(3, 100), 1e-7f);
        assertTrue(first.getFeatures().maxNumber().floatValue() <= 1f);
        it.reset();
        List<Integer> seen = epoch(it);
        assertEquals(30, seen.size());
        assertEquals(java.util.stream.IntStream.range(0, 30).boxed().toList(), seen, "unshuffled: file order");
        assertEquals(784, it.inputColumns());
        assertEquals(10, it.totalOutcomes());
        assertEquals(FashionMnist.CLASS_NAMES, it.getLabels());
    }

    @Test
    void lastBatchOfAnEpochIsShorterAndNextAfterTheEndIsAnError() {
        FashionMnistIterator it = iterator(30).batchSize(8).build();
        int last = 0;
        while (it.hasNext()) {
            last = it.next().numExamples();
        }
        assertEquals(6, last);
        assertThrows(java.util.NoSuchElementException.class, it::next);
    }

    @Test
    void unscaledFeaturesKeepTheRawPixelValues() {
        DataSet batch = iterator(30).batchSize(30).scaled(false).build().next();
        assertEquals(IdxFiles.pixel(29, 783), batch.getFeatures().getFloat(29, 783), 0f);
    }

    @Test
    void sameSeedGivesTheSameOrderEveryEpochAndAnotherSeedAnother() {
        FashionMnistIterator a = iterator(30).batchSize(7).shuffle(5).build();
        FashionMnistIterator b = iterator(30).batchSize(7).shuffle(5).build();
        FashionMnistIterator c = iterator(30).batchSize(7).shuffle(6).build();
        List<Integer> a1 = epoch(a);
        List<Integer> b1 = epoch(b);
        List<Integer> c1 = epoch(c);
        assertEquals(a1, b1);
        assertNotEquals(a1, c1);
        assertEquals(new HashSet<>(java.util.stream.IntStream.range(0, 30).boxed().toList()), new HashSet<>(a1));
        a.reset();
        b.reset();
        List<Integer> a2 = epoch(a);
        assertEquals(a2, epoch(b), "second epochs agree too");
        assertNotEquals(a1, a2, "each epoch has a new order");
    }

    @Test
    void examplesLimitsToTheFirstOnes() {
        FashionMnistIterator it = iterator(30).examples(12).batchSize(5).shuffle(1).build();
        Set<Integer> seen = new HashSet<>(epoch(it));
        assertEquals(new HashSet<>(java.util.stream.IntStream.range(0, 12).boxed().toList()), seen);
    }

    @Test
    void rangeOfLoadedDataServesAsValidationSplit() {
        LabeledImages all = iterator(30).build().data();
        FashionMnistIterator validation = FashionMnistIterator.builder(all.range(20, 30)).batchSize(4).build();
        assertEquals(java.util.stream.IntStream.range(20, 30).boxed().toList(), epoch(validation));
    }

    @Test
    void badOptionsNameTheField() {
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class, () -> iterator(30).batchSize(0).build());
        assertTrue(batch.getMessage().contains("batchSize 0; expected >= 1"), batch.getMessage());
        IllegalArgumentException examples = assertThrows(IllegalArgumentException.class, () -> iterator(30).examples(31).build());
        assertTrue(examples.getMessage().contains("examples 31; expected 1..30"), examples.getMessage());
    }

    /** The Debian package's files, when installed (not in CI): the real sizes and ten balanced classes. */
    @Test
    void systemPackageHoldsTheFullDataset() {
        Path system = Path.of(FashionMnistLocator.SYSTEM_DIRECTORY);
        Assumptions.assumeTrue(Files.isDirectory(system), "dataset-fashion-mnist not installed");
        FashionMnistFiles files = FashionMnistLocator.builder().noDownload().fullDatasetOnly().build().locate();
        assertEquals(DataOrigin.SYSTEM_DIRECTORY, files.origin());
        LabeledImages test = files.load(Split.TEST);
        assertEquals(10_000, test.size());
        int[] perClass = new int[10];
        for (int i = 0; i < test.size(); i++) {
            perClass[test.label(i)]++;
        }
        for (int count : perClass) {
            assertEquals(1000, count);
        }
        assertFalse(files.load(Split.TRAIN).size() != 60_000);
    }
}
