package io.github.dl4jspectral.examples.cli;

import io.github.dl4jspectral.training.Trainer;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line text progress bar on standard error, redrawn in place ({@code \r}) at most ten times a second:
 * {@code full          epoch 2/5 [#########-----------]  45%   3.1 s}. Without a terminal (output piped to
 * a file) it prints one line per finished epoch instead.
 */
final class ProgressBar implements Trainer.Progress, AutoCloseable {

    private static final int WIDTH = 30;

    private final PrintStream out = System.err;
    private final boolean terminal = System.console() != null;
    private final String label;
    private final int epochs;
    private final int batchesPerEpoch;
    private final long start = System.nanoTime();
    private long lastDraw;
    private int lastEpoch = -1;

    /** A bar for {@code epochs} epochs of {@code batchesPerEpoch} minibatches (any step count works: epochs = 1). */
    ProgressBar(String label, int epochs, int batchesPerEpoch) {
        this.label = label;
        this.epochs = epochs;
        this.batchesPerEpoch = Math.max(1, batchesPerEpoch);
    }

    @Override
    public void update(int epoch, int batchesDone) {
        long now = System.nanoTime();
        boolean epochDone = batchesDone >= batchesPerEpoch;
        if (terminal && (now - lastDraw > 100_000_000L || epochDone)) {
            lastDraw = now;
            draw(epoch, batchesDone, "\r");
        } else if (!terminal && epochDone && epoch != lastEpoch) {
            lastEpoch = epoch;
            draw(epoch, batchesDone, "");
            out.println();
        }
    }

    private void draw(int epoch, int batchesDone, String prefix) {
        double fraction = (epoch + Math.min(1.0, batchesDone / (double) batchesPerEpoch)) / epochs;
        int filled = (int) Math.round(fraction * WIDTH);
        out.print(String.format(Locale.ROOT, "%s  %-16s epoch %d/%d [%s%s] %3d%% %6.1f s", prefix, label, epoch + 1,
                epochs, "#".repeat(filled), "-".repeat(WIDTH - filled), Math.round(fraction * 100),
                (System.nanoTime() - start) / 1e9));
        out.flush();
    }

    @Override
    public void close() {
        if (terminal) {
            out.println();
        }
    }
}
