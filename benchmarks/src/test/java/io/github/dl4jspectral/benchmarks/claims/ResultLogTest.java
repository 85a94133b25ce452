package io.github.dl4jspectral.benchmarks.claims;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The resumable CSV of long experiments. */
class ResultLogTest {

    private static Measurement point(String series, double x, long seed, double accuracy) {
        return new Measurement("pruning-paper", series, "h500", x, seed, 1e-3, accuracy, 397_510, 0, Double.NaN, 100);
    }

    @Test
    void aLogWrittenBeforeTheEpochsWereRecordedIsReadWithEpochsUnknownAndRewrittenOnOpenOnly(@TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("runs.csv");
        String old = String.join(",", ResultLog.HEADER.subList(0, 10)) + "\n"
                + "\"sparse-paper\",\"spectral\",\"h500\",90.0,1,0.001,0.8309,503904,647000,15.98\n";
        Files.writeString(file, old);

        List<Measurement> read = ResultLog.read(file);
        assertEquals(1, read.size());
        assertEquals(Measurement.UNKNOWN_EPOCHS, read.get(0).epochs());
        assertEquals(0.8309, read.get(0).accuracy());
        assertEquals(old, Files.readString(file), "read leaves a log another process appends to alone");

        ResultLog opened = ResultLog.open(file);
        assertEquals(read, opened.measurements());
        assertEquals(String.join(",", ResultLog.HEADER) + "\n" + ResultLog.line(read.get(0)), Files.readString(file),
                "open rewrites it in the current format");
        assertTrue(ResultLog.line(read.get(0)).endsWith(",-1,\"\",-1,\"\"\n"));
    }

    @Test
    void everyRowKeepsItsDatasetWidthAndCommitAndRowsWithoutThemReadAsUnknown(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("runs.csv");
        String old = String.join(",", ResultLog.HEADER.subList(0, 11)) + "\n"
                + "\"sparse-paper\",\"spectral\",\"h500\",90.0,1,0.001,0.8309,503904,647000,15.98,14\n";
        Files.writeString(file, old);
        ResultLog log = ResultLog.open(file);
        Measurement before = log.measurements().get(0);
        assertEquals(Measurement.UNKNOWN, before.dataset());
        assertEquals(Measurement.UNKNOWN_WIDTH, before.width());
        assertEquals(14, before.epochs());
        Measurement stamped = point("dense", 50, 2, 0.9).stamped("mnist", 500, "f079c8d0abcd+dirty");
        log.append(stamped);
        Measurement reread = ResultLog.open(file).measurements().get(1);
        assertEquals(stamped, reread);
        assertEquals("mnist", reread.dataset());
        assertEquals(500, reread.width());
        assertEquals("f079c8d0abcd+dirty", reread.commit());
        assertTrue(Files.readString(file).endsWith(",\"mnist\",500,\"f079c8d0abcd+dirty\"\n"), Files.readString(file));
    }

    @Test
    void appendedPointsSurviveAReopenExactlyAndAreSkipped(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("runs.csv");
        ResultLog log = ResultLog.open(file);
        Measurement a = point("post-processing, |lambdaOut|", 40, 1, 0.8912345678901234);
        Measurement b = point("dense, \"connectivity\"", 50, 2, 0.5);
        log.append(a);
        log.append(b);

        Locale previous = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);   // decimal commas must not leak into the file
            ResultLog reopened = ResultLog.open(file);
            assertEquals(List.of(a, b), reopened.measurements());
            assertTrue(reopened.has("pruning-paper", "post-processing, |lambdaOut|", "h500", 40, 1));
            assertFalse(reopened.has("pruning-paper", "post-processing, |lambdaOut|", "h500", 40, 2), "other seed");
            assertFalse(reopened.has("pruning-paper", "post-processing, |lambdaOut|", "h500", 50, 1), "other x");
        } finally {
            Locale.setDefault(previous);
        }
    }

    @Test
    void aLineCutShortByAKilledProcessIsDroppedAndMeasuredAgain(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("runs.csv");
        ResultLog log = ResultLog.open(file);
        Measurement a = point("s", 10, 1, 0.7);
        log.append(a);
        Files.writeString(file, "\"pruning-paper\",\"s\",\"h500\",20.0,1,0.001,0.6", StandardOpenOption.APPEND);

        ResultLog reopened = ResultLog.open(file);

        assertEquals(List.of(a), reopened.measurements());
        assertFalse(reopened.has("pruning-paper", "s", "h500", 20, 1));
        assertEquals(String.join(",", ResultLog.HEADER) + "\n" + ResultLog.line(a), Files.readString(file),
                "the cut line is gone from the file too, so the next append starts a clean line");
        Measurement again = point("s", 20, 1, 0.65);
        reopened.append(again);
        assertEquals(List.of(a, again), ResultLog.open(file).measurements());
    }
}
